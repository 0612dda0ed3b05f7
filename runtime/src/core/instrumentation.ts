// Fan-out of instrumentation events to observers. An observer that throws is logged, never breaks messaging.
//
// A successful consume is the one event of every message. The runtime's own observers (metrics, alert windows)
// only count it, so they take it as plain arguments through `recordConsumed`: for them no event object is built
// and the attempt's trace ids are never computed (they are lazy: a span id is random bytes, and the trace id may
// mean decoding the message's headers). Any other observer gets the full "consumed" event as before.
import type { Instrumentation, InstrumentationEvent, Logger } from "../api.js";
import type { Attempt } from "./pipeline.js";

/** Method key of the runtime's own observers that count successful consumes without an event object. */
export const recordConsumed: unique symbol = Symbol("hypc.recordConsumed");

export interface ConsumedRecorder {
  [recordConsumed](handler: string, topic: string, eventType: string, latencyMs: number): void;
}

function isRecorder(observer: Instrumentation): observer is Instrumentation & ConsumedRecorder {
  return typeof (observer as Partial<ConsumedRecorder>)[recordConsumed] === "function";
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

  /** An attempt succeeded after `latencyMs`: the "consumed" event, built only for observers that want it. */
  consumed(attempt: Attempt, latencyMs: number): void {
    const topic = attempt.message.topic;
    const eventType = attempt.envelope.event_type;
    for (const recorder of this.recorders) {
      try {
        recorder[recordConsumed](attempt.handler, topic, eventType, latencyMs);
      } catch (error) {
        this.failed("consumed", error);
      }
    }
    if (this.consumedObservers.length === 0) return;
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
