// Handler timeout: after `timeoutMs` the handler's AbortSignal is aborted and the attempt fails with a
// TimeoutError (category timeout_error); the handler's late completion is ignored.
// No timer per message: every attempt of a slot has the same timeout, so deadlines are in arrival order; they
// wait in a FIFO queue swept by one interval (tick = timeout/20, a timeout fires at most 5% late). A finished
// attempt is only flagged done; the sweep drops it when it reaches the head.
import { TimeoutError } from "../errors.js";
import { run, type Attempt, type Middleware } from "../core/pipeline.js";

interface Pending {
  readonly deadline: number;
  readonly attempt: Attempt;
  readonly reject: (error: unknown) => void;
  done: boolean;
}

export function timeout(timeoutMs: number): Middleware {
  if (!(timeoutMs > 0)) return (next) => next;
  let queue: Pending[] = [];
  let head = 0;
  let running = 0;
  const tickMs = Math.max(5, Math.min(1000, Math.floor(timeoutMs / 20)));
  let timer: NodeJS.Timeout | undefined;

  const sweep = (): void => {
    const now = performance.now();
    while (head < queue.length) {
      const p = queue[head]!;
      if (!p.done) {
        if (p.deadline > now) break;
        p.done = true;
        running--;
        const a = p.attempt;
        const error = new TimeoutError(
          `${a.handler} timed out after ${timeoutMs} ms on message ${a.envelope.metadata.message_id} (${a.envelope.event_type} on ${a.message.topic})`,
          { topic: a.message.topic, messageId: a.envelope.metadata.message_id },
        );
        a.abort(error);
        p.reject(error);
      }
      head++;
    }
    if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head);
      head = 0;
    }
    if (running === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
      queue = [];
      head = 0;
    }
  };

  return (next) => (attempt) =>
    new Promise<void>((resolve, reject) => {
      const pending: Pending = { deadline: performance.now() + timeoutMs, attempt, reject, done: false };
      queue.push(pending);
      running++;
      timer ??= setInterval(sweep, tickMs);
      run(next, attempt).then(
        () => {
          if (pending.done) return;
          pending.done = true;
          running--;
          resolve();
        },
        (error: unknown) => {
          if (pending.done) return;
          pending.done = true;
          running--;
          reject(error);
        },
      );
    });
}
