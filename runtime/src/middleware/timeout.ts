// Handler timeout: after `timeoutMs` the handler's AbortSignal is aborted and the attempt fails with a
// TimeoutError (category timeout_error); the handler's late completion is ignored.
// One sweeping interval per handler slot (tick = timeout/20, so a timeout fires at most 5% late) instead of a
// timer per message: the hot path only adds to and deletes from a Set.
import { TimeoutError } from "../errors.js";
import { run, type Attempt, type Middleware } from "../core/pipeline.js";

interface Pending {
  readonly deadline: number;
  readonly attempt: Attempt;
  readonly reject: (error: unknown) => void;
}

export function timeout(timeoutMs: number): Middleware {
  if (!(timeoutMs > 0)) return (next) => next;
  const active = new Set<Pending>();
  const tickMs = Math.max(5, Math.min(1000, Math.floor(timeoutMs / 20)));
  let timer: NodeJS.Timeout | undefined;

  const sweep = (): void => {
    const now = performance.now();
    for (const p of active) {
      if (p.deadline > now) continue;
      active.delete(p);
      const a = p.attempt;
      const error = new TimeoutError(
        `${a.handler} timed out after ${timeoutMs} ms on message ${a.envelope.metadata.message_id} (${a.envelope.event_type} on ${a.message.topic})`,
        { topic: a.message.topic, messageId: a.envelope.metadata.message_id },
      );
      a.abort(error);
      p.reject(error);
    }
    if (active.size === 0 && timer !== undefined) {
      clearInterval(timer);
      timer = undefined;
    }
  };

  return (next) => (attempt) =>
    new Promise<void>((resolve, reject) => {
      const pending: Pending = { deadline: performance.now() + timeoutMs, attempt, reject };
      active.add(pending);
      timer ??= setInterval(sweep, tickMs);
      run(next, attempt).then(
        () => {
          if (active.delete(pending)) resolve();
        },
        (error: unknown) => {
          if (active.delete(pending)) reject(error);
        },
      );
    });
}
