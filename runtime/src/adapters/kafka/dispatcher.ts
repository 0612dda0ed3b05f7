// Runs handlers for fetched messages: at most `concurrency` at a time; with orderedByKey, one at a time per
// key (lane = topic/partition/key), so the order of a key is kept while other keys run concurrently.
// A nacked message is delivered again by the same job (after delayMs, without holding a handler slot), so
// a lane stays blocked only for its own key while it waits, and unordered messages are not blocked at all.
//
// Hot path (every fetched message passes here): waiting jobs sit in plain FIFO arrays — no promise, closure
// or timer per waiting message; up to `concurrency` slot loops take them in turn (one await per delivery).

export type Outcome =
  | { readonly kind: "ack" }
  | { readonly kind: "nack"; readonly delayMs: number; readonly headers?: Readonly<Record<string, string>> }
  | { readonly kind: "abandoned" };

export interface Job {
  readonly lane: string | undefined;
  /** Starts one delivery; the promise settles when the handler is done (its value is not used). */
  deliver(): Promise<unknown>;
  /**
   * What the delivery that just settled did; `failure` holds the rejection when deliver()'s promise
   * rejected (or deliver() threw). Asked once per delivery, right after it settled.
   */
  outcome(failure?: { readonly error: unknown }): Outcome;
  /** Prepares the next delivery after a nack (delivery count, merged headers). */
  redeliver(headers: Readonly<Record<string, string>> | undefined): void;
}

export class Dispatcher {
  private running = 0;
  /** Jobs submitted and not finished (waiting, running, sleeping before a retry): bounds memory. */
  private unfinished = 0;
  private closing = false;
  /** Jobs ready to run, waiting for a slot (FIFO from `readyHead`; compacted now and then). */
  private ready: Job[] = [];
  private readyHead = 0;
  /** Busy lanes: the jobs queued behind the lane's current one (an entry exists while the lane is busy). */
  private readonly lanes = new Map<string, Job[]>();
  private readonly capacityWaiters: (() => void)[] = [];
  private readonly idleWaiters: (() => void)[] = [];
  private readonly sleeps = new Set<{ timer: NodeJS.Timeout; job: Job }>();

  constructor(
    private readonly concurrency: number,
    /** Messages accepted and not finished (queued, running, waiting for a retry): bounds memory. */
    private readonly maxQueued: number,
  ) {}

  get size(): number {
    return this.unfinished;
  }

  hasCapacity(): boolean {
    return this.unfinished < this.maxQueued;
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
    if (this.closing) return; // closed: not delivered (it stays uncommitted, so it is redelivered later)
    this.unfinished++;
    const lane = job.lane;
    if (lane !== undefined) {
      const behind = this.lanes.get(lane);
      if (behind) {
        behind.push(job);
        return;
      }
      this.lanes.set(lane, []);
    }
    this.runOrQueue(job);
  }

  /** Stops delivering: queued and delayed messages are not delivered; waits for running handlers. */
  async close(): Promise<void> {
    this.closing = true;
    this.unfinished -= this.ready.length - this.readyHead;
    this.ready = [];
    this.readyHead = 0;
    for (const behind of this.lanes.values()) this.unfinished -= behind.length;
    this.lanes.clear();
    for (const sleep of this.sleeps) clearTimeout(sleep.timer);
    this.unfinished -= this.sleeps.size;
    this.sleeps.clear();
    for (const wake of this.capacityWaiters.splice(0)) wake();
    if (this.unfinished > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private runOrQueue(job: Job): void {
    this.ready.push(job);
    if (this.running < this.concurrency) {
      this.running++;
      void this.work();
    }
  }

  /**
   * One handler slot: delivers ready jobs one after the other until none is left. A slot is an async loop
   * rather than a promise chain per job, so a delivery costs one await and no closures.
   */
  private async work(): Promise<void> {
    while (!this.closing && this.readyHead < this.ready.length) {
      const job = this.ready[this.readyHead]!;
      this.readyHead++;
      if (this.readyHead === this.ready.length) {
        this.ready.length = 0;
        this.readyHead = 0;
      } else if (this.readyHead > 1024 && this.readyHead * 2 > this.ready.length) {
        this.ready = this.ready.slice(this.readyHead);
        this.readyHead = 0;
      }
      let failure: { error: unknown } | undefined;
      try {
        await job.deliver();
      } catch (error) {
        failure = { error };
      }
      this.finished(job, job.outcome(failure));
    }
    this.running--;
  }

  private finished(job: Job, outcome: Outcome): void {
    if (outcome.kind === "nack" && !this.closing) {
      job.redeliver(outcome.headers);
      if (outcome.delayMs > 0) this.sleepThenRequeue(job, outcome.delayMs);
      else this.ready.push(job); // behind the jobs already waiting (as a fresh delivery would be)
    } else {
      this.done(job);
    }
  }

  /** The job is over (acked, abandoned, or dropped by close): its lane moves on, waiters are told. */
  private done(job: Job): void {
    const lane = job.lane;
    if (lane !== undefined) {
      const behind = this.lanes.get(lane);
      const next = behind?.shift();
      if (next) this.ready.push(next);
      else this.lanes.delete(lane);
    }
    this.unfinished--;
    if (this.unfinished === 0 && this.idleWaiters.length > 0) for (const wake of this.idleWaiters.splice(0)) wake();
    if (this.capacityWaiters.length > 0 && this.unfinished <= this.maxQueued / 2) for (const wake of this.capacityWaiters.splice(0)) wake();
  }

  private sleepThenRequeue(job: Job, ms: number): void {
    const entry = {
      job,
      timer: setTimeout(() => {
        this.sleeps.delete(entry);
        if (this.closing) return; // close() already counted it as finished
        this.runOrQueue(job);
      }, ms),
    };
    this.sleeps.add(entry);
  }
}
