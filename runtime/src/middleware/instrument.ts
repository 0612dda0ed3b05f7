// Metrics and tracing of the consume path as instrumentation events: one "consumed" event per successful attempt
// with its processing latency and trace/span ids (failures are reported by retry / dead-letter).
import { run, type Middleware, type PipelineServices } from "../core/pipeline.js";

export function instrument(services: PipelineServices): Middleware {
  return (next) => (attempt) => {
    const started = performance.now();
    return run(next, attempt).then(() => services.instrumentation.onEvent({
      kind: "consumed",
      topic: attempt.message.topic,
      eventType: attempt.envelope.event_type,
      messageId: attempt.envelope.metadata.message_id,
      handler: attempt.handler,
      latencyMs: performance.now() - started,
      attempt: attempt.attempt,
      traceId: attempt.trace.traceId,
      spanId: attempt.trace.spanId,
    }));
  };
}
