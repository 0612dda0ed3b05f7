// Runs handlers for fetched messages: at most `concurrency` at a time; with orderedByKey, one at a time per
// key (lane = topic/partition/key), so the order of a key is kept while other keys run concurrently.
// A nacked message is delivered again by the same job (after delayMs, without holding a handler slot), so
// a lane stays blocked only for its own key while it waits, and unordered messages are not blocked at all.

export type Outcome =
  | { readonly kind: "ack" }
  | { readonly kind: "nack"; readonly delayMs: number; readonly headers?: Readonly<Record<string, string>> }
  | { readonly kind: "abandoned" };

export interface Job {
  readonly lane: string | undefined;
  /** Delivers once and reports what the handler did. */
  deliver(): Promise<Outcome>;
  /** Prepares the next delivery after a nack (delivery count, merged headers). */
  redeliver(headers: Readonly<Record<string, string>> | undefined): void;
}

export class Dispatcher {
  private running = 0;
  private queued = 0;
  private closing = false;
  private readonly slotWaiters: ((ok: boolean) => void)[] = [];
  private readonly capacityWaiters: (() => void)[] = [];
  private readonly lanes = new Map<string, Promise<void>>();
  /** Jobs submitted and not finished; close() waits for 0 (a counter: no promise bookkeeping per message). */
  private active = 0;
  private readonly idleWaiters: (() => void)[] = [];
  private readonly sleeps = new Set<{ timer: NodeJS.Timeout; wake: () => void }>();

  constructor(
    private readonly concurrency: number,
    /** Messages accepted and not finished (queued, running, waiting for a retry): bounds memory. */
    private readonly maxQueued: number,
  ) {}

  get size(): number {
    return this.queued;
  }

  hasCapacity(): boolean {
    return this.queued < this.maxQueued;
  }

  /**
   * Resolves when the queue drained to half its bound (hysteresis: the fetch loop then hands over a run of
   * messages instead of one per freed slot), or after `ms` (so the caller can heartbeat), or on close.
   */
  waitForCapacity(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        resolve();
      }
      this.capacityWaiters.push(done);
    });
  }

  submit(job: Job): void {
    this.queued++;
    this.active++;
    if (job.lane === undefined) {
      void this.process(job);
      return;
    }
    const lane = job.lane;
    const previous = this.lanes.get(lane);
    const run: Promise<void> = previous ? previous.then(() => this.process(job)) : this.process(job);
    this.lanes.set(lane, run);
    void run.then(() => {
      if (this.lanes.get(lane) === run) this.lanes.delete(lane);
    });
  }

  /** Stops delivering: queued and delayed messages are not delivered; waits for running handlers. */
  async close(): Promise<void> {
    this.closing = true;
    for (const wake of this.slotWaiters.splice(0)) wake(false);
    for (const sleep of this.sleeps) {
      clearTimeout(sleep.timer);
      sleep.wake();
    }
    this.sleeps.clear();
    for (const wake of this.capacityWaiters.splice(0)) wake();
    if (this.active > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private async process(job: Job): Promise<void> {
    try {
      for (;;) {
        // Fast path without a promise when a slot is free (the common case under load).
        if (!this.tryAcquire() && !(await this.acquire())) return;
        let outcome: Outcome;
        try {
          outcome = await job.deliver();
        } finally {
          this.release();
        }
        if (outcome.kind !== "nack" || this.closing) return;
        job.redeliver(outcome.headers);
        if (outcome.delayMs > 0) await this.sleep(outcome.delayMs);
        if (this.closing) return;
      }
    } finally {
      this.queued--;
      if (--this.active === 0) for (const wake of this.idleWaiters.splice(0)) wake();
      if (this.capacityWaiters.length > 0 && this.queued <= this.maxQueued / 2) for (const wake of this.capacityWaiters.splice(0)) wake();
    }
  }

  private tryAcquire(): boolean {
    if (this.closing || this.running >= this.concurrency || this.slotWaiters.length > 0) return false;
    this.running++;
    return true;
  }

  private acquire(): Promise<boolean> {
    if (this.closing) return Promise.resolve(false);
    if (this.running < this.concurrency) {
      this.running++;
      return Promise.resolve(true);
    }
    return new Promise((resolve) => this.slotWaiters.push(resolve));
  }

  private release(): void {
    const next = this.slotWaiters.shift();
    if (next) next(true); // the slot passes on: `running` stays the same
    else this.running--;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const entry = {
        timer: setTimeout(() => {
          this.sleeps.delete(entry);
          resolve();
        }, ms),
        wake: resolve,
      };
      this.sleeps.add(entry);
    });
  }
}
