// Metrics and tracing of the consume path: one "consumed" instrumentation event per successful attempt with its
// processing latency and trace/span ids (failures are reported by retry / dead-letter). An attempt an inner
// middleware settled itself (a duplicate the idempotency middleware acked without calling the handler) is not
// one. The hub builds the event only for observers that want it (core/instrumentation.ts).
import { run, type Attempt, type Middleware, type PipelineServices } from "../core/pipeline.js";

export function instrument(services: PipelineServices): Middleware {
  return (next) => {
    // The recorder of the slot's handler, asked for once (a slot's attempts all have the slot's handler name).
    let handler: string | undefined;
    let consumed: (attempt: Attempt, latencyMs: number) => void = () => undefined;
    return (attempt, done) => {
      const started = performance.now();
      run(next, attempt, (error) => {
        if (error === undefined && !attempt.settled) {
          if (attempt.handler !== handler) consumed = services.instrumentation.consumedBy((handler = attempt.handler));
          consumed(attempt, performance.now() - started);
        }
        done(error);
      });
    };
  };
}
