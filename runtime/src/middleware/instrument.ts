// Metrics and tracing of the consume path: one "consumed" instrumentation event per successful attempt with its
// processing latency and trace/span ids (failures are reported by retry / dead-letter). An attempt an inner
// middleware settled itself (a duplicate the idempotency middleware acked without calling the handler) is not
// one. The hub builds the event only for observers that want it (core/instrumentation.ts).
import { run, type Middleware, type PipelineServices } from "../core/pipeline.js";

export function instrument(services: PipelineServices): Middleware {
  return (next) => (attempt) => {
    const started = performance.now();
    return run(next, attempt).then(() => {
      if (!attempt.settled) services.instrumentation.consumed(attempt, performance.now() - started);
    });
  };
}
