// Concurrency limit per handler slot, for slots that share one subscription (the transport bounds the
// subscription to the sum of their limits; see core/consumer.ts): at most `limit` attempts of the slot run at
// once, the others wait in arrival order. Per-key order is the transport's job (orderedByKey) and the partition
// gate's, not this middleware's.
import { run, type Attempt, type Done, type Middleware } from "../core/pipeline.js";

export interface ConcurrencyOptions {
  readonly limit: number;
}

export function concurrency(options: ConcurrencyOptions): Middleware {
  const limit = Math.max(1, options.limit);
  return (next) => {
    let running = 0;
    /**
     * Attempts waiting for a slot, oldest first. A plain array and shift(): the transport bounds the
     * subscription to the sum of its slots' limits, so the queue stays short.
     */
    const waiting: { attempt: Attempt; done: Done }[] = [];
    const start = (attempt: Attempt, done: Done): void =>
      run(next, attempt, (error) => {
        const queued = waiting.shift();
        if (queued === undefined) running--;
        // The slot passes on: `running` stays the same. Started from a microtask, not from here: an attempt
        // that fails at once (invalid) calls back synchronously, and a long queue of those would recurse.
        else queueMicrotask(() => run(start, queued.attempt, queued.done));
        done(error);
      });
    return (attempt, done) => {
      if (running < limit) {
        running++;
        start(attempt, done);
      } else waiting.push({ attempt, done });
    };
  };
}
