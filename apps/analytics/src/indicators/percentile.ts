/**
 * Nearest-rank percentile over a histogram sorted by value: the smallest value whose cumulative
 * count reaches ⌈q·N⌉. Exact for whole-minute durations; null for an empty histogram.
 */
export function nearestRankPercentile(
  histogram: { value: number; count: number }[],
  quantile: number,
): number | null {
  const total = histogram.reduce((t, bucket) => t + bucket.count, 0);
  if (total === 0) return null;
  const rank = Math.max(1, Math.ceil(quantile * total));
  let seen = 0;
  for (const bucket of histogram) {
    seen += bucket.count;
    if (seen >= rank) return bucket.value;
  }
  return histogram[histogram.length - 1].value;
}
