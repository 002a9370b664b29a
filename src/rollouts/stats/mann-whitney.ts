/**
 * Mann-Whitney U test (Wilcoxon rank-sum) with average ranks for ties, tie-corrected variance and a
 * continuity correction; normal approximation, as Kayenta uses per metric.
 */
import { normalCdf } from './normal.js';

export interface MannWhitney {
  /** U statistic of sample `b`. */
  u: number;
  z: number;
  /** One-sided p-value that `b` tends to be greater than `a`. */
  pGreater: number;
  /** One-sided p-value that `b` tends to be less than `a`. */
  pLess: number;
  pTwoSided: number;
}

export function mannWhitney(a: readonly number[], b: readonly number[]): MannWhitney {
  const n1 = a.length;
  const n2 = b.length;
  if (n1 === 0 || n2 === 0) return { u: 0, z: 0, pGreater: 1, pLess: 1, pTwoSided: 1 };
  const all = [...a.map((v) => ({ v, g: 0 })), ...b.map((v) => ({ v, g: 1 }))].sort((x, y) => x.v - y.v);
  const ranks = new Array<number>(all.length);
  let tieTerm = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j + 1 < all.length && (all[j + 1] as { v: number }).v === (all[i] as { v: number }).v) j++;
    const rank = (i + j + 2) / 2;
    for (let k = i; k <= j; k++) ranks[k] = rank;
    const t = j - i + 1;
    tieTerm += t * t * t - t;
    i = j + 1;
  }
  let rankSumB = 0;
  all.forEach((x, i) => {
    if (x.g === 1) rankSumB += ranks[i] as number;
  });
  const u = rankSumB - (n2 * (n2 + 1)) / 2;
  const mean = (n1 * n2) / 2;
  const n = n1 + n2;
  const variance = ((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1)));
  if (variance <= 0) return { u, z: 0, pGreater: 1, pLess: 1, pTwoSided: 1 };
  const sd = Math.sqrt(variance);
  const zGreater = (u - mean - 0.5) / sd;
  const zLess = (u - mean + 0.5) / sd;
  const pGreater = 1 - normalCdf(zGreater);
  const pLess = normalCdf(zLess);
  return { u, z: (u - mean) / sd, pGreater, pLess, pTwoSided: Math.min(1, 2 * Math.min(pGreater, pLess)) };
}
