// The sliding window and the geometric latency histogram behind the alert evaluator.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { bucketOf, newCounts, percentileOf, upperBoundOf } from "../../src/monitoring/log-histogram.js";
import { SlidingWindow } from "../../src/monitoring/sliding-window.js";

describe("log histogram percentiles", () => {
  it("reports a percentile at most 2% above the exact nearest-rank value, never below it", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: 0.01, max: 3_600_000, noNaN: true }), { minLength: 1, maxLength: 300 }), fc.integer({ min: 1, max: 100 }), (samples, p) => {
        const counts = newCounts();
        for (const s of samples) counts[bucketOf(s)]!++;
        const sorted = [...samples].sort((a, b) => a - b);
        const exact = sorted[Math.max(1, Math.ceil((p / 100) * sorted.length)) - 1]!;
        const reported = percentileOf([counts], p)!;
        expect(reported).toBeGreaterThanOrEqual(exact * (1 - 1e-9));
        expect(reported).toBeLessThanOrEqual(exact * 1.02 * (1 + 1e-9));
      }),
      { numRuns: 200 },
    );
  });

  it("has no percentile without samples and clamps out-of-range values", () => {
    expect(percentileOf([newCounts()], 95)).toBeUndefined();
    expect(bucketOf(-5)).toBe(0);
    expect(bucketOf(Number.NaN)).toBe(0);
    // The top bucket holds everything from ~2.8 h up (far beyond any latency threshold).
    expect(upperBoundOf(bucketOf(1e12))).toBeGreaterThanOrEqual(1e7);
  });
});

describe("sliding window", () => {
  it("counts attempts and failures of the last window only", () => {
    const w = new SlidingWindow(10_000, 10); // 1 s slots
    w.record(0, false);
    w.record(500, true);
    w.record(9_500, true);
    expect(w.summary(9_999)).toEqual({ attempts: 3, failures: 2 });
    // At 10 s the slot [0,1 s) left the window.
    expect(w.summary(10_000)).toEqual({ attempts: 1, failures: 1 });
    // A slot reused by the ring starts from zero.
    w.record(10_200, false);
    expect(w.summary(10_300)).toEqual({ attempts: 2, failures: 1 });
    expect(w.summary(60_000)).toEqual({ attempts: 0, failures: 0 });
  });

  it("reads latency percentiles over the window", () => {
    const w = new SlidingWindow(10_000, 10);
    for (let i = 1; i <= 100; i++) w.record(i * 10, false, i);
    const p95 = w.latencyPercentile(1_000, 95)!;
    expect(p95).toBeGreaterThanOrEqual(95);
    expect(p95).toBeLessThanOrEqual(95 * 1.02);
    expect(w.latencyPercentile(100_000, 95)).toBeUndefined();
  });
});
