// The consume pipeline: a received message becomes an Attempt that flows through middlewares
// (`(next) => step`, one per file in ../middleware) down to the app's handler. The outermost caller acks when
// the pipeline resolves and nobody settled the message; a middleware that settles (retry → nack, duplicate →
// ack, dead-letter → publish + ack) marks the attempt settled.
import type { Envelope, HandlerContext, Logger } from "../api.js";
import { SETTLED, type ReceivedMessage } from "../transport.js";
import type { TraceContext } from "./tracing.js";
import type { InstrumentationHub } from "./instrumentation.js";

export interface Attempt {
  readonly message: ReceivedMessage;
  readonly envelope: Envelope;
  /** The handler slot's name (`ScriptCreatedHandler`), used in logs, metrics and DLQ reason headers. */
  readonly handler: string;
  /** 1 on the first attempt (max of the broker's deliveryCount and the x-hypc-attempt header). */
  readonly attempt: number;
  readonly trace: TraceContext;
  readonly context: HandlerContext;
  /** Aborts the handler's signal (timeout, shutdown). */
  abort(reason: unknown): void;
  settled: boolean;
}

export type Step = (attempt: Attempt) => Promise<void>;
export type Middleware = (next: Step) => Step;

/** What middlewares may use besides the attempt. */
export interface PipelineServices {
  readonly logger: Logger;
  readonly instrumentation: InstrumentationHub;
}

/** compose([a, b, c])(handler) = a(b(c(handler))): the first middleware is the outermost. */
export function compose(middlewares: readonly Middleware[], handler: Step): Step {
  let step = handler;
  for (let i = middlewares.length - 1; i >= 0; i--) step = middlewares[i]!(step);
  return step;
}

export function settleAck(attempt: Attempt): Promise<void> {
  if (attempt.settled) return SETTLED;
  attempt.settled = true;
  return attempt.message.ack();
}


export async function settleNack(attempt: Attempt, delayMs: number, headers?: Readonly<Record<string, string>>): Promise<void> {
  if (attempt.settled) return;
  attempt.settled = true;
  await attempt.message.nack({ delayMs, ...(headers === undefined ? {} : { headers }) });
}

/** Runs a step, turning a synchronous throw into a rejection (middlewares chain with .then, not async/await). */
export function run(step: Step, attempt: Attempt): Promise<void> {
  try {
    return step(attempt);
  } catch (error) {
    return Promise.reject(error);
  }
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
