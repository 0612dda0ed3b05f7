// Fan-out of instrumentation events to observers. An observer that throws is logged, never breaks messaging.
import type { Instrumentation, InstrumentationEvent, Logger } from "../api.js";

export class InstrumentationHub implements Instrumentation {
  constructor(
    private readonly observers: readonly Instrumentation[],
    private readonly logger: Logger,
  ) {}

  onEvent(event: InstrumentationEvent): void {
    for (const observer of this.observers) {
      try {
        observer.onEvent(event);
      } catch (error) {
        this.logger.warn("instrumentation observer failed", { event: event.kind, error: error instanceof Error ? error.message : String(error) });
      }
    }
  }
}
