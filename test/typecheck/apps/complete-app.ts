// An app that implements every handler slot of the seed and uses every typed façade: must type-check.
import { createMessaging, validEnvelope, type Handlers, type ScriptCreatedEnvelope } from "../../../fixtures/golden/seed/index.js";

const onScriptCreated = async (envelope: ScriptCreatedEnvelope): Promise<void> => {
  const name: string = envelope.payload.name;
  void name;
};

const handlers: Handlers = {
  events: {
    ScriptCreatedHandler: onScriptCreated,
    ScriptUpdatedHandler: async (envelope) => {
      const version: number = envelope.payload.version;
      void version;
    },
    ScriptExecutedHandler: async (envelope, context) => {
      // publish in a handler is typed by producer and event type; correlation is propagated by the runtime.
      const { script_id, user_id, completed_at } = envelope.payload;
      await context.publish("ScriptEventProducer", "script.updated", {
        script_id, name: "re-run", version: 2, updated_by: user_id, updated_at: completed_at, changes: {},
      });
    },
    AnalyticsEventHandler: async (envelopes) => {
      for (const envelope of envelopes) {
        // The union narrows on event_type.
        if (envelope.event_type === "user.registered") {
          const email: string = envelope.payload.email;
          void email;
        }
      }
    },
    AuditLogHandler: async () => {},
    CacheInvalidationHandler: async (envelope) => {
      const id: string = envelope.payload.script_id;
      void id;
    },
    NotificationHandler: async () => {},
    AnalyticsHandler: async () => {},
    MonitoringHandler: async (envelope) => {
      // system_events carries every event (the checker's inference for a channel without partition_key).
      if (envelope.event_type === "system.started") {
        const service: string = envelope.payload.service_name;
        void service;
      }
    },
    AlertingHandler: async () => {},
    LogAggregationHandler: async () => {},
  },
  requests: {
    script_validation: async (request) => ({
      script_id: request.script_id,
      valid: request.content.length > 0,
      errors: [],
      warnings: [],
      validation_time_ms: 1,
    }),
    script_execution: async (request) => ({
      execution_id: "00000000-0000-4000-8000-000000000000",
      script_id: request.script_id,
      status: "completed",
      result: {},
      error_message: "",
      execution_time_ms: 2,
    }),
  },
  deadLetters: {
    DLQErrorAnalysisHandler: async (letter) => {
      const reason: string = letter.reason.error;
      const type: string | undefined = letter.envelope?.event_type;
      const checked = validEnvelope(letter);
      if (checked?.event_type === "user.logged_in") {
        const ip: string = checked.payload.ip_address;
        void ip;
      }
      void reason;
      void type;
    },
    DLQManualProcessingHandler: async () => {},
  },
  workQueue: async (envelope) => {
    if (envelope.event_type === "script.executed") {
      const duration: number = envelope.payload.duration_ms;
      void duration;
    }
  },
};

export async function main(): Promise<void> {
  const messaging = createMessaging({ handlers, transport: "embedded" });
  await messaging.start();
  const now = new Date().toISOString();
  const id = "00000000-0000-4000-8000-000000000001";
  await messaging.producers.scriptEventProducer.scriptCreated({ script_id: id, name: "demo", created_by: id, created_at: now, metadata: {} });
  await messaging.producers.userEventProducer.publish("user.logged_in", { user_id: id, login_at: now, ip_address: "127.0.0.1", user_agent: "t" });
  await messaging.channels.systemEvents.systemStarted({ service_name: "s", version: "1", started_at: now, environment: "test", instance_id: "i" });
  const reply = await messaging.requests.scriptValidation.request({ script_id: id, content: "x", validation_rules: [], timeout: 1000 }, { timeout: 500 });
  const valid: boolean = reply.valid;
  void valid;
  await messaging.workQueue.enqueue("script.executed", {
    execution_id: id, script_id: id, user_id: id, started_at: now, completed_at: now, duration_ms: 1, status: "ok", result: {}, error_message: "", environment: "t",
  });
  await messaging.stop();
}
