// Order statistics of measured rounds, for every benchmark module.

/** The middle value (the upper one of an even count); NaN without values. */
export const median = (xs: readonly number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

/** The value at fraction `q` (0..1) of the sorted values; NaN without values. */
export const quantile = (xs: readonly number[], q: number): number => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))] ?? Number.NaN;
