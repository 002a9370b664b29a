/**
 * The p-th percentile (0..100) of ascending `sortedValues`, interpolating linearly between the
 * closest ranks (numpy.percentile's default). Throws on an empty array or p outside 0..100.
 */
export function percentile(sortedValues: readonly number[], p: number): number {
  if (sortedValues.length === 0) throw new RangeError('percentile of an empty array');
  if (!(p >= 0 && p <= 100)) throw new RangeError(`percentile p must be within 0..100, got ${p}`);
  const rank = ((sortedValues.length - 1) * p) / 100;
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const below = sortedValues[lo] as number;
  const above = sortedValues[hi] as number;
  return below + (rank - lo) * (above - below);
}
