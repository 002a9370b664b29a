/** Standard normal CDF (Abramowitz & Stegun 7.1.26 erf, |error| < 1.5e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.3275911 * x);
  const poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))));
  const erf = 1 - poly * Math.exp(-x * x);
  return z >= 0 ? 0.5 * (1 + erf) : 0.5 * (1 - erf);
}

export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const s = [...values].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}

export interface ProportionTest {
  rateA: number;
  rateB: number;
  /** One-sided p-value for "B's rate is higher than A's". */
  pHigher: number;
}

/** Pooled two-proportion z-test: is the rate of B (canary) higher than the rate of A (stable)? */
export function proportionTest(hitsA: number, totalA: number, hitsB: number, totalB: number): ProportionTest {
  const rateA = totalA > 0 ? hitsA / totalA : 0;
  const rateB = totalB > 0 ? hitsB / totalB : 0;
  if (totalA === 0 || totalB === 0) return { rateA, rateB, pHigher: 1 };
  const pooled = (hitsA + hitsB) / (totalA + totalB);
  const se = Math.sqrt(pooled * (1 - pooled) * (1 / totalA + 1 / totalB));
  if (se === 0) return { rateA, rateB, pHigher: rateB > rateA ? 0 : 1 };
  return { rateA, rateB, pHigher: 1 - normalCdf((rateB - rateA) / se) };
}
