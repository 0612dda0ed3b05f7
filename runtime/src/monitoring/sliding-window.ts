// Sliding time window of attempt outcomes and latencies for one key (a handler, a publish topic). The window is a
// ring of `slots` time slots: old slots are reset when the ring wraps, so memory is fixed and nothing is ever
// scanned per message. The window covers the last `windowMs` with a resolution of windowMs / slots.
import { bucketOf, newCounts, percentileOf } from "./log-histogram.js";

interface Slot {
  /** Absolute slot number (time / slotMs) this slot currently holds; -1 = empty. */
  index: number;
  attempts: number;
  failures: number;
  latencies: Uint32Array | undefined;
}

export interface WindowSummary {
  readonly attempts: number;
  readonly failures: number;
}

export class SlidingWindow {
  private readonly slotMs: number;
  private readonly ring: Slot[];

  constructor(windowMs: number, slots = 30) {
    const count = Math.max(1, Math.floor(slots));
    this.slotMs = Math.max(1, windowMs / count);
    this.ring = Array.from({ length: count }, () => ({ index: -1, attempts: 0, failures: 0, latencies: undefined }));
  }

  /** One attempt that ended at `now`: failed or not, with its latency when known. */
  record(now: number, failed: boolean, latencyMs?: number): void {
    const slot = this.slotAt(now);
    slot.attempts++;
    if (failed) slot.failures++;
    if (latencyMs !== undefined) (slot.latencies ??= newCounts())[bucketOf(latencyMs)]!++;
  }

  summary(now: number): WindowSummary {
    let attempts = 0;
    let failures = 0;
    for (const slot of this.live(now)) {
      attempts += slot.attempts;
      failures += slot.failures;
    }
    return { attempts, failures };
  }

  /** Latency percentile (ms) over the window; undefined without latency samples. */
  latencyPercentile(now: number, percentile: number): number | undefined {
    const histograms: Uint32Array[] = [];
    for (const slot of this.live(now)) if (slot.latencies !== undefined) histograms.push(slot.latencies);
    return percentileOf(histograms, percentile);
  }

  private live(now: number): Slot[] {
    const current = Math.floor(now / this.slotMs);
    return this.ring.filter((s) => s.index > current - this.ring.length && s.index <= current);
  }

  private slotAt(now: number): Slot {
    const index = Math.floor(now / this.slotMs);
    const slot = this.ring[((index % this.ring.length) + this.ring.length) % this.ring.length]!;
    if (slot.index !== index) {
      slot.index = index;
      slot.attempts = 0;
      slot.failures = 0;
      slot.latencies?.fill(0);
    }
    return slot;
  }
}
