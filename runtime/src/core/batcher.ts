// Collects envelopes for a batch handler ("*" with batch_size/batch_timeout): flushes when `size` items are
// waiting or `timeoutMs` after the first one arrived. Each add() resolves or rejects with its batch's outcome,
// so every message of a batch is acked, retried or dead-lettered by the normal pipeline.
import type { BatchHandler, Envelope, HandlerContext } from "../api.js";

interface Pending {
  readonly envelope: Envelope;
  readonly context: HandlerContext;
  resolve(): void;
  reject(error: unknown): void;
}

export class Batcher {
  private pending: Pending[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly running = new Set<Promise<void>>();

  constructor(
    private readonly handler: BatchHandler,
    private readonly size: number,
    private readonly timeoutMs: number,
  ) {}

  add(envelope: Envelope, context: HandlerContext): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.pending.push({ envelope, context, resolve, reject });
      if (this.pending.length >= this.size) this.flush();
      else if (this.timer === undefined) this.timer = setTimeout(() => this.flush(), this.timeoutMs);
    });
  }

  /** Hands what is waiting to the handler now (also used at shutdown). */
  flush(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending.splice(0, this.size);
    const run = (async () => {
      try {
        // The batch's context is its first message's: publishes from a batch continue that flow.
        await this.handler(
          batch.map((p) => p.envelope),
          batch[0]!.context,
        );
        for (const p of batch) p.resolve();
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    })();
    this.running.add(run);
    void run.finally(() => this.running.delete(run));
    if (this.pending.length >= this.size) this.flush();
    else if (this.pending.length > 0) this.timer = setTimeout(() => this.flush(), this.timeoutMs);
  }

  async drain(): Promise<void> {
    this.flush();
    await Promise.all([...this.running]);
  }
}
