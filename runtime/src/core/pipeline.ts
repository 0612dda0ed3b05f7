// The consume pipeline: a received message becomes an Attempt that flows through middlewares
// (`(next) => step`, one per file in ../middleware) down to the app's handler. The outermost caller acks when
// the pipeline succeeded and nobody settled the message; a middleware that settles (retry → nack, duplicate →
// ack, dead-letter → publish + ack) marks the attempt settled.
//
// A step reports its end through a callback (`done`) instead of returning a promise. With promises every layer
// cost a promise, a reaction and a microtask per message: Artemis consume through generated code measured 0.90x
// raw rhea with promise-based dead-letter, retry, instrument and timeout layers, 0.99x without them. A callback
// is one closure and one call; the app's handler is the only promise in the pipeline.
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
  /**
   * A pipeline callback threw (a bug: steps report errors through done). Called by finish(); the consumer then
   * logs it, nacks the message for redelivery unless it was settled, and ends the delivery, so nothing hangs.
   */
  crashed(error: unknown): void;
  settled: boolean;
}

/** The end of a step: no argument when it succeeded, else the error (never undefined; see failure()). */
export type Done = (error?: unknown) => void;
/** One stage of the pipeline: calls `done` exactly once, now or later, and does not throw (a throw is a crash: run()). */
export type Step = (attempt: Attempt, done: Done) => void;
export type Middleware = (next: Step) => Step;
/** The app's side of a slot: resolves when the message is handled. */
export type Invoke = (attempt: Attempt) => Promise<void>;

/** What middlewares may use besides the attempt. */
export interface PipelineServices {
  readonly logger: Logger;
  readonly instrumentation: InstrumentationHub;
}

/** compose([a, b, c], invoke) = a(b(c(handlerStep(invoke)))): the first middleware is the outermost. */
export function compose(middlewares: readonly Middleware[], invoke: Invoke): Step {
  let step = handlerStep(invoke);
  for (let i = middlewares.length - 1; i >= 0; i--) step = middlewares[i]!(step);
  return step;
}

/** The app's handler as the innermost step: its promise is the one the pipeline waits for. */
function handlerStep(invoke: Invoke): Step {
  return (attempt, done) => {
    let handled: Promise<void> | undefined;
    try {
      handled = invoke(attempt);
    } catch (error) {
      return finish(attempt, done, failure(error));
    }
    // A plain function (no promise) from JavaScript code is done when it returns.
    if (typeof handled?.then !== "function") return finish(attempt, done);
    doneAfter(attempt, handled, done);
  };
}

/**
 * Calls `done` from a place nothing above would catch a throw (a promise callback, a timer): a throw there would
 * leave the message unsettled for good, or end the process as an unhandled rejection.
 */
export function finish(attempt: Attempt, done: Done, error?: unknown): void {
  try {
    if (error === undefined) done();
    else done(error);
  } catch (bug) {
    attempt.crashed(bug);
  }
}

/**
 * Runs a step. Steps report errors through done, so a throw out of one is a bug, maybe in a callback it already
 * called: not done again (that could settle twice) but a crash, which ends the delivery once.
 */
export function run(step: Step, attempt: Attempt, done: Done): void {
  try {
    step(attempt, done);
  } catch (bug) {
    attempt.crashed(bug);
  }
}

/** Calls `done` when `settling` (the handler, an ack, a DLQ publish) is over: without an argument once it
 *  resolved, with the error if it rejected. */
export function doneAfter(attempt: Attempt, settling: Promise<unknown>, done: Done): void {
  settling.then(
    () => finish(attempt, done),
    (error: unknown) => finish(attempt, done, failure(error)),
  );
}

/** A thrown or rejected value as an error for done(): `throw undefined` still has to count as a failure. */
export function failure(error: unknown): unknown {
  return error === undefined ? new Error("failed without a reason (undefined was thrown or rejected)") : error;
}

export function settleAck(attempt: Attempt): Promise<void> {
  if (attempt.settled) return SETTLED;
  attempt.settled = true;
  return attempt.message.ack();
}

export function settleNack(attempt: Attempt, delayMs: number, headers?: Readonly<Record<string, string>>): Promise<void> {
  if (attempt.settled) return SETTLED;
  attempt.settled = true;
  return attempt.message.nack({ delayMs, ...(headers === undefined ? {} : { headers }) });
}

export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
