import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mannWhitney } from './mann-whitney.js';
import { median, normalCdf, proportionTest } from './normal.js';

const near = (actual: number, expected: number, eps: number) => assert.ok(Math.abs(actual - expected) < eps, `${actual} ≉ ${expected}`);

test('normal CDF matches tables', () => {
  near(normalCdf(0), 0.5, 1e-7);
  near(normalCdf(1.959964), 0.975, 1e-6);
  near(normalCdf(-2.326348), 0.01, 1e-6);
});

test('Mann-Whitney U: fully separated samples (textbook value, continuity-corrected asymptotic p = 0.0061)', () => {
  const r = mannWhitney([1, 2, 3, 4, 5], [6, 7, 8, 9, 10]);
  assert.equal(r.u, 25);
  near(r.pGreater, 0.00609, 5e-5);
  assert.ok(r.pLess > 0.99);
  near(r.pTwoSided, 0.01218, 1e-4);
});

test('Mann-Whitney U: ties get average ranks; identical samples are not significant', () => {
  const tied = mannWhitney([1, 2, 2, 3], [2, 3, 3, 4]);
  assert.equal(tied.u, 13); // canary ranks 3, 6, 6, 8 = 23; U = 23 − 4·5/2
  assert.ok(tied.pGreater > 0.05 && tied.pGreater < 0.2, String(tied.pGreater));
  assert.deepEqual(mannWhitney([5, 5, 5], [5, 5, 5]).pTwoSided, 1);
  assert.equal(mannWhitney([], [1]).pGreater, 1);
});

test('two-proportion test and median', () => {
  const rise = proportionTest(5, 1000, 60, 1000);
  assert.ok(rise.pHigher < 1e-6);
  assert.equal(rise.rateB, 0.06);
  assert.ok(proportionTest(50, 1000, 48, 1000).pHigher > 0.5);
  assert.equal(proportionTest(0, 0, 3, 10).pHigher, 1);
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 3, 2]), 2.5);
});
