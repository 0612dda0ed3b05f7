// Fixed-memory latency histogram with geometric buckets: every bucket is 2% wider than the one before, so a
// percentile read from it is at most 2% above the true value, whatever the range (1 µs .. ~3 h in 1,163 buckets).
// Recording is O(1); reading a percentile is one pass over the buckets, done only when alerts are evaluated.
const BASE_MS = 0.001;
const RATIO = 1.02;
const LOG_RATIO = Math.log(RATIO);
export const BUCKET_COUNT = Math.ceil(Math.log(1e10) / LOG_RATIO) + 1;

export function bucketOf(valueMs: number): number {
  if (!(valueMs > BASE_MS)) return 0; // also NaN and negatives
  const index = Math.ceil(Math.log(valueMs / BASE_MS) / LOG_RATIO);
  return index >= BUCKET_COUNT ? BUCKET_COUNT - 1 : index;
}

/** Upper bound (ms) of a bucket: the value a percentile in this bucket is reported as. */
export function upperBoundOf(bucket: number): number {
  return BASE_MS * Math.pow(RATIO, bucket);
}

export function newCounts(): Uint32Array {
  return new Uint32Array(BUCKET_COUNT);
}

/**
 * The `percentile` (0 < p <= 100) of the samples counted in `histograms` (summed), or undefined without samples.
 * Nearest-rank definition: the smallest value with at least p% of the samples at or below it.
 */
export function percentileOf(histograms: readonly Uint32Array[], percentile: number): number | undefined {
  let total = 0;
  for (const h of histograms) for (let i = 0; i < h.length; i++) total += h[i]!;
  if (total === 0) return undefined;
  const rank = Math.max(1, Math.ceil((Math.min(Math.max(percentile, 0), 100) / 100) * total));
  let seen = 0;
  for (let i = 0; i < BUCKET_COUNT; i++) {
    for (const h of histograms) seen += h[i]!;
    if (seen >= rank) return upperBoundOf(i);
  }
  return upperBoundOf(BUCKET_COUNT - 1);
}
