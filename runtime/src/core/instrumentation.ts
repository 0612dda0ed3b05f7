// Fan-out of instrumentation events to observers. An observer that throws is logged, never breaks messaging.
//
// A successful consume is the one event of every message. The runtime's own observers (metrics, alert windows)
// only count it, so each gives a recorder per handler slot (`consumedRecorder`) that takes plain arguments: for
// them no event object is built, their series and windows are looked up once per slot rather than per message,
// and the attempt's trace ids are never computed (they are lazy: a span id is random bytes, and the trace id may
// mean decoding the message's headers). Any other observer gets the full "consumed" event as before.
import type { Instrumentation, InstrumentationEvent, Logger } from "../api.js";
import type { Attempt } from "./pipeline.js";

/** Method key of the runtime's own observers that count successful consumes without an event object. */
export const consumedRecorder: unique symbol = Symbol("hypc.consumedRecorder");

/** Records one successful attempt of a handler's slot. */
export type RecordConsumed = (topic: string, eventType: string, latencyMs: number) => void;

export interface ConsumedRecorder {
  /** The recorder of `handler`'s successful attempts (asked once per handler slot). */
  [consumedRecorder](handler: string): RecordConsumed;
}

function isRecorder(observer: Instrumentation): observer is Instrumentation & ConsumedRecorder {
  return typeof (observer as Partial<ConsumedRecorder>)[consumedRecorder] === "function";
}

export class InstrumentationHub implements Instrumentation {
  private readonly recorders: readonly (Instrumentation & ConsumedRecorder)[];
  /** Observers that get the "consumed" event object. */
  private readonly consumedObservers: readonly Instrumentation[];

  constructor(
    private readonly observers: readonly Instrumentation[],
    private readonly logger: Logger,
  ) {
    this.recorders = observers.filter(isRecorder);
    this.consumedObservers = observers.filter((o) => !isRecorder(o));
  }

  onEvent(event: InstrumentationEvent): void {
    for (const observer of this.observers) {
      try {
        observer.onEvent(event);
      } catch (error) {
        this.failed(event.kind, error);
      }
    }
  }

  /**
   * What reports the successful attempts of the handler slot `handler` (each after `latencyMs`): to recorders
   * as plain arguments, to other observers as the "consumed" event, built only for them.
   */
  consumedBy(handler: string): (attempt: Attempt, latencyMs: number) => void {
    const recorders = this.recorders.map((recorder) => recorder[consumedRecorder](handler));
    return (attempt, latencyMs) => {
      const topic = attempt.message.topic;
      const eventType = attempt.envelope.event_type;
      for (const record of recorders) {
        try {
          record(topic, eventType, latencyMs);
        } catch (error) {
          this.failed("consumed", error);
        }
      }
      if (this.consumedObservers.length > 0) this.consumedEvent(attempt, latencyMs);
    };
  }

  private consumedEvent(attempt: Attempt, latencyMs: number): void {
    const topic = attempt.message.topic;
    const eventType = attempt.envelope.event_type;
    const event: InstrumentationEvent = {
      kind: "consumed",
      topic,
      eventType,
      messageId: attempt.envelope.metadata.message_id,
      handler: attempt.handler,
      latencyMs,
      attempt: attempt.attempt,
      traceId: attempt.trace.traceId,
      spanId: attempt.trace.spanId,
    };
    for (const observer of this.consumedObservers) {
      try {
        observer.onEvent(event);
      } catch (error) {
        this.failed("consumed", error);
      }
    }
  }

  private failed(kind: string, error: unknown): void {
    this.logger.warn("instrumentation observer failed", { event: kind, error: error instanceof Error ? error.message : String(error) });
  }
}
