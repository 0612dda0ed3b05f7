// Concurrency limit per handler slot (several slots share one subscription), optionally with per-key ordering:
// attempts of the same key run one after the other, different keys run concurrently up to `limit`.
import { run, type Attempt, type Middleware } from "../core/pipeline.js";

export interface ConcurrencyOptions {
  readonly limit: number;
  /** When given, attempts with the same key run serially in arrival order. */
  readonly keyOf?: (attempt: Attempt) => string | undefined;
}

export function concurrency(options: ConcurrencyOptions): Middleware {
  const limit = Math.max(1, options.limit);
  let running = 0;
  const waiting: (() => void)[] = [];
  const keyTails = new Map<string, Promise<void>>();

  const acquire = (): Promise<void> | undefined => {
    if (running < limit) {
      running++;
      return undefined;
    }
    return new Promise<void>((resolve) => waiting.push(resolve)).then(() => undefined);
  };
  const releaseSlot = (): void => {
    const nextWaiter = waiting.shift();
    if (nextWaiter !== undefined) nextWaiter(); // the slot passes on: running stays the same
    else running--;
  };

  return (next) => {
    // Both callbacks are created once, not per message.
    const releaseAndRethrow = (error: unknown): never => {
      releaseSlot();
      throw error;
    };
    const runHolding = (attempt: Attempt): Promise<void> => run(next, attempt).then(releaseSlot, releaseAndRethrow);
    // Fast path without async/await: a free slot costs one promise.
    const limited = (attempt: Attempt): Promise<void> => {
      const wait = acquire();
      return wait === undefined ? runHolding(attempt) : wait.then(() => runHolding(attempt));
    };
    if (options.keyOf === undefined) return limited;
    const keyOf = options.keyOf;
    return (attempt) => {
      const key = keyOf(attempt);
      if (key === undefined) return limited(attempt);
      const previous = keyTails.get(key);
      const run = previous === undefined ? limited(attempt) : previous.then(() => limited(attempt), () => limited(attempt));
      const tail = run.then(
        () => undefined,
        () => undefined,
      );
      keyTails.set(key, tail);
      void tail.then(() => {
        if (keyTails.get(key) === tail) keyTails.delete(key);
      });
      return run;
    };
  };
}
