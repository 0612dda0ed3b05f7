// In-process idempotency store: a Map with expiry times, swept lazily. Single process only.
import type { IdempotencyStore } from "../api.js";

interface Entry {
  state: "in_progress" | "done";
  expiresAt: number;
}

export class MemoryIdempotencyStore implements IdempotencyStore {
  private readonly entries = new Map<string, Entry>();
  private sweepAt = 0;

  constructor(private readonly now: () => number = Date.now) {}

  async claim(key: string, ttlSeconds: number): Promise<"claimed" | "done" | "in_progress"> {
    const now = this.now();
    this.sweep(now);
    const existing = this.entries.get(key);
    if (existing !== undefined && existing.expiresAt > now) return existing.state;
    this.entries.set(key, { state: "in_progress", expiresAt: now + ttlSeconds * 1000 });
    return "claimed";
  }

  async complete(key: string, ttlSeconds: number): Promise<void> {
    this.entries.set(key, { state: "done", expiresAt: this.now() + ttlSeconds * 1000 });
  }

  async release(key: string): Promise<void> {
    this.entries.delete(key);
  }

  async close(): Promise<void> {
    this.entries.clear();
  }

  get size(): number {
    return this.entries.size;
  }

  /** Drops expired entries at most once a second (Map iteration is in insertion order ≈ expiry order). */
  private sweep(now: number): void {
    if (now < this.sweepAt) return;
    this.sweepAt = now + 1000;
    for (const [key, entry] of this.entries) if (entry.expiresAt <= now) this.entries.delete(key);
  }
}
