// The committed seed output running on the real runtime (embedded transport, the default): typed producers,
// channels and request clients reach the typed handlers; the generated validators reject a bad payload.
import { describe, expect, it } from "vitest";
import { createMessaging, validEnvelope, type Handlers, type TypedDeadLetter } from "../../fixtures/golden/seed/index.js";

const noop = async (): Promise<void> => {};
const id = "123e4567-e89b-42d3-a456-426614174000";

async function waitFor(predicate: () => boolean, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (!predicate() && Date.now() < until) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe("generated seed code on the embedded runtime", () => {
  it("delivers typed messages to typed handlers and validates payloads", async () => {
    const seen: string[] = [];
    const handlers: Handlers = {
      events: {
        ScriptCreatedHandler: async (envelope) => void seen.push(`created:${envelope.payload.name}`),
        ScriptUpdatedHandler: noop,
        ScriptExecutedHandler: noop,
        AnalyticsEventHandler: async (envelopes) => void seen.push(`analytics:${envelopes.map((e) => e.event_type).join(",")}`),
        AuditLogHandler: noop,
        CacheInvalidationHandler: noop,
        NotificationHandler: noop,
        AnalyticsHandler: noop,
        MonitoringHandler: async (envelope) => void seen.push(`monitoring:${envelope.event_type}`),
        AlertingHandler: noop,
        LogAggregationHandler: noop,
      },
      requests: {
        script_validation: async (request) => ({ script_id: request.script_id, valid: request.content === "ok", errors: [], warnings: [], validation_time_ms: 1 }),
        script_execution: async (request) => ({
          execution_id: id, script_id: request.script_id, status: "done", result: {}, error_message: "", execution_time_ms: 1,
        }),
      },
      deadLetters: { DLQErrorAnalysisHandler: noop, DLQManualProcessingHandler: noop },
      workQueue: noop,
    };
    const messaging = createMessaging({ handlers, transport: "embedded" });
    await messaging.start();
    try {
      const now = new Date().toISOString();
      await messaging.producers.scriptEventProducer.scriptCreated({ script_id: id, name: "demo", created_by: id, created_at: now, metadata: {} });
      await messaging.channels.systemEvents.systemStarted({ service_name: "s", version: "1", started_at: now, environment: "test", instance_id: "i" });
      const reply = await messaging.requests.scriptValidation.request({ script_id: id, content: "ok", validation_rules: [], timeout: 1000 });
      expect(reply).toMatchObject({ script_id: id, valid: true });
      // The generated validator (format uuid) rejects the payload before it is sent.
      await expect(
        messaging.producers.scriptEventProducer.scriptCreated({ script_id: "not-a-uuid", name: "x", created_by: id, created_at: now, metadata: {} }),
      ).rejects.toMatchObject({ name: "ValidationError", retriable: false });
      // The analytics slot batches (batch_timeout 5000 ms in the seed).
      await waitFor(() => seen.some((s) => s.startsWith("analytics:")), 10_000);
      expect(seen).toEqual(expect.arrayContaining(["created:demo", "monitoring:system.started", "analytics:script.created"]));
    } finally {
      await messaging.stop();
    }
  });
});

describe("validEnvelope", () => {
  const at = "2024-01-01T00:00:00Z";
  const envelope = {
    event_type: "user.logged_in",
    version: "1.0",
    payload: { user_id: id, login_at: at, ip_address: "127.0.0.1", user_agent: "t" },
    metadata: { message_id: id, source: "hypnoscript-auth", correlation_id: id, causation_id: id, timestamp: at },
  };
  const letter = (e: unknown): TypedDeadLetter => ({
    envelope: e as TypedDeadLetter["envelope"],
    body: JSON.stringify(e),
    reason: { originalTopic: "t", error: "x", category: "validation_error", attempts: 1, handler: "h", failedAt: at },
    headers: {},
  });

  it("returns the envelope of a dead letter only when it is a valid event", () => {
    expect(validEnvelope(letter(envelope))).toEqual(envelope);
    expect(validEnvelope(letter({ ...envelope, payload: { ...envelope.payload, user_id: "nope" } }))).toBeUndefined();
    expect(validEnvelope(letter({ ...envelope, event_type: "unknown.type" }))).toBeUndefined();
    expect(validEnvelope(letter(undefined))).toBeUndefined();
  });
});
