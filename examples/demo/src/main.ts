// The demo app: the seed's whole topology on the embedded broker, through the generated, typed API.
// It shows every event type produced and handled, the script_changes fan-out to its four subscriber
// groups, a script_validation request-reply round trip, a poison message in the DLQ with its category,
// and a duplicate delivery suppressed.
import { randomUUID } from "node:crypto";
import { EmbeddedTransport, Runtime, type Logger } from "@hypc/runtime";
import { createMessaging, type Handlers, type TypedDeadLetter } from "./gen/index.js";

const now = (): string => new Date().toISOString();
const handled = new Map<string, string[]>(); // handler → event types it received
const record = (handler: string, eventType: string): void => {
  const list = handled.get(handler) ?? [];
  list.push(eventType);
  handled.set(handler, list);
};
const deadLetters: TypedDeadLetter[] = [];

// Quiet logger: the demo prints its own summary; warnings still show.
const logger: Logger = {
  debug: () => {},
  info: () => {},
  // The poison message and the anonymous DLQ request below are on purpose: the summary reports both.
  warn: (message, fields) => {
    if (!message.startsWith("dead-lettered") && !message.startsWith("DLQ UI: request refused")) console.warn(`  [warn] ${message}`, fields ?? "");
  },
  error: (message, fields) => console.error(`  [error] ${message}`, fields ?? ""),
};

const handlers: Handlers = {
  events: {
    ScriptCreatedHandler: async (event) => record("ScriptCreatedHandler", event.event_type),
    ScriptUpdatedHandler: async (event) => record("ScriptUpdatedHandler", event.event_type),
    ScriptExecutedHandler: async (event) => record("ScriptExecutedHandler", `${event.event_type} (${event.payload.status})`),
    AnalyticsEventHandler: async (batch) => {
      for (const event of batch) record("AnalyticsEventHandler", event.event_type);
    },
    AuditLogHandler: async (event) => record("AuditLogHandler", event.event_type),
    CacheInvalidationHandler: async (event) => record("CacheInvalidationHandler", event.event_type),
    NotificationHandler: async (event) => record("NotificationHandler", event.event_type),
    AnalyticsHandler: async (event) => record("AnalyticsHandler", event.event_type),
    MonitoringHandler: async (event) => record("MonitoringHandler", event.event_type),
    AlertingHandler: async (event) => record("AlertingHandler", event.event_type),
    LogAggregationHandler: async (event) => record("LogAggregationHandler", event.event_type),
  },
  requests: {
    script_validation: async (request) => ({
      script_id: request.script_id,
      valid: !request.content.includes("undefined"),
      errors: request.content.includes("undefined") ? ["uses undefined"] : [],
      warnings: [],
      validation_time_ms: 1,
    }),
    script_execution: async (request) => ({
      execution_id: randomUUID(),
      script_id: request.script_id,
      status: "completed",
      result: { ok: true },
      error_message: "",
      execution_time_ms: 3,
    }),
  },
  deadLetters: {
    DLQErrorAnalysisHandler: async (letter) => void deadLetters.push(letter),
    DLQManualProcessingHandler: async () => {},
  },
  workQueue: async (event) => record("WorkQueueWorker", event.event_type),
};

async function until(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`demo: timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function main(): Promise<void> {
  const transport = new EmbeddedTransport();
  // The manual_processing group's `ui` starts a real HTTP endpoint; its admin token comes from the environment.
  const adminToken = randomUUID();
  const messaging = createMessaging({ handlers, transport, logger, env: { HYPC_DLQ_ADMIN_TOKENS: adminToken } });
  await messaging.start();
  const started = performance.now();

  const scriptId = randomUUID();
  const userId = randomUUID();
  const { scriptEventProducer, userEventProducer } = messaging.producers;
  console.log("hypc demo: the seed's configuration on the embedded broker\n");

  // 1. Every event type of the seed, through the typed producers and the system_events channel.
  await scriptEventProducer.scriptCreated({ script_id: scriptId, name: "hello.hyp", created_by: userId, created_at: now(), metadata: {} });
  await scriptEventProducer.scriptUpdated({ script_id: scriptId, name: "hello.hyp", version: 2, updated_by: userId, updated_at: now(), changes: { name: "hello.hyp" } });
  await scriptEventProducer.scriptExecuted({
    execution_id: randomUUID(), script_id: scriptId, user_id: userId, started_at: now(), completed_at: now(),
    duration_ms: 12, status: "succeeded", result: {}, error_message: "", environment: "demo",
  });
  await scriptEventProducer.scriptDeleted({ script_id: scriptId, deleted_by: userId, deleted_at: now(), reason: "demo over" });
  await userEventProducer.userRegistered({ user_id: userId, email: "ada@example.com", username: "ada", registered_at: now() });
  await userEventProducer.userLoggedIn({ user_id: userId, login_at: now(), ip_address: "127.0.0.1", user_agent: "demo" });
  await messaging.channels.systemEvents.systemStarted({ service_name: "demo", version: "0.1.0", started_at: now(), environment: "demo", instance_id: "demo-1" });
  await messaging.channels.systemEvents.systemError({
    error_code: "E_DEMO", error_message: "just a demo", stack_trace: "", occurred_at: now(), service_name: "demo", severity: "low",
  });

  // 2. script_changes: one publish, four subscriber groups.
  await messaging.channels.scriptChanges.scriptUpdated({ script_id: scriptId, name: "hello.hyp", version: 3, updated_by: userId, updated_at: now(), changes: {} });

  // 3. Request-reply.
  const t0 = performance.now();
  const reply = await messaging.requests.scriptValidation.request({ script_id: scriptId, content: "induce(trance)", validation_rules: [], timeout: 1000 });
  const rtt = performance.now() - t0;

  // 4. A poison message: a valid JSON envelope whose payload breaks the schema, written by a foreign producer
  //    straight onto the topic (the typed producer would refuse it). It must land in the DLQ, never be dropped.
  const poisonId = randomUUID();
  const poison = {
    event_type: "script.created", version: "1.0", payload: { script_id: "not-a-uuid", name: 42 },
    metadata: { message_id: poisonId, source: "legacy-importer", correlation_id: poisonId, causation_id: poisonId, timestamp: now() },
  };
  await transport.publish([{ topic: "hypnoscript.events.script-events", key: "poison", body: Buffer.from(JSON.stringify(poison)), headers: {}, id: poisonId }]);

  // 5. A duplicate: the same message delivered twice (an at-least-once redelivery); handled once.
  const dupId = randomUUID();
  const duplicate = {
    event_type: "script.created", version: "1.0",
    payload: { script_id: randomUUID(), name: "twice.hyp", created_by: userId, created_at: now(), metadata: {} },
    metadata: { message_id: dupId, source: "hypnoscript-api", correlation_id: dupId, causation_id: dupId, timestamp: now() },
  };
  const body = Buffer.from(JSON.stringify(duplicate));
  for (let i = 0; i < 2; i++) await transport.publish([{ topic: "hypnoscript.events.script-events", key: "dup", body, headers: {}, id: dupId }]);

  // 6. The dead_letter_queue work queue.
  await messaging.workQueue.enqueue("script.executed", {
    execution_id: randomUUID(), script_id: scriptId, user_id: userId, started_at: now(), completed_at: now(),
    duration_ms: 1, status: "queued", result: {}, error_message: "", environment: "demo",
  });

  const fanout = ["AuditLogHandler", "CacheInvalidationHandler", "NotificationHandler", "AnalyticsHandler"];
  await until("the script_changes fan-out", () => fanout.every((h) => handled.get(h)?.includes("script.updated")));
  await until("the poison message in the DLQ", () => deadLetters.some((l) => l.envelope?.metadata.message_id === poisonId));
  await until("the analytics batch (batch_timeout 5 s)", () => new Set(handled.get("AnalyticsEventHandler") ?? []).size >= 6, 20_000);
  await until("the work queue", () => (handled.get("WorkQueueWorker")?.length ?? 0) >= 1);
  await until("the duplicate", () => (handled.get("ScriptCreatedHandler") ?? []).length >= 2);
  await new Promise((resolve) => setTimeout(resolve, 50)); // let a (wrong) second copy of the duplicate show up

  console.log("Handlers and the event types they received:");
  for (const [handler, types] of [...handled.entries()].sort(([a], [b]) => a.localeCompare(b))) {
    const counts = new Map<string, number>();
    for (const t of types) counts.set(t, (counts.get(t) ?? 0) + 1);
    console.log(`  ${handler.padEnd(26)} ${[...counts].map(([t, n]) => (n > 1 ? `${t} ×${n}` : t)).join(", ")}`);
  }
  console.log(`\nscript_changes fan-out: 1 publish reached ${fanout.filter((h) => handled.get(h)?.includes("script.updated")).length} of 4 subscriber groups (${fanout.join(", ")})`);
  console.log(`script_validation round trip: valid=${reply.valid}, errors=${JSON.stringify(reply.errors)}, ${rtt.toFixed(1)} ms`);
  const letter = deadLetters.find((l) => l.envelope?.metadata.message_id === poisonId);
  console.log(`poison message ${poisonId}: dead-lettered as ${letter?.reason.category} from ${letter?.reason.originalTopic} (handler ${letter?.reason.handler}, ${letter?.reason.attempts} attempt(s))`);
  console.log(`  reason: ${letter?.reason.error}`);
  const dlqUrl = messaging.runtime instanceof Runtime ? messaging.runtime.dlqUiUrl() : undefined;
  if (dlqUrl !== undefined) {
    const anonymous = await fetch(dlqUrl);
    const listing = (await (await fetch(dlqUrl, { headers: { authorization: `Bearer ${adminToken}` } })).json()) as { total: number };
    console.log(`DLQ manual processing at ${dlqUrl}: ${listing.total} letter(s) for an admin; ${anonymous.status} without a token`);
  }
  const createdTwice = (handled.get("ScriptCreatedHandler") ?? []).length;
  console.log(`duplicate ${dupId}: delivered 2×, ScriptCreatedHandler ran for it ${createdTwice - 1}× (suppressed by the idempotency store)`);
  const published = messaging.runtime
    .metricsText().split("\n").filter((l) => l.startsWith("hypc_messages_published_total")).length;
  console.log(`\nmetrics: ${published} published-counter series; done in ${(performance.now() - started).toFixed(0)} ms`);

  await messaging.stop();
  if (createdTwice !== 2 || letter === undefined || fanout.some((h) => !handled.get(h)?.includes("script.updated"))) {
    console.error("demo: unexpected outcome (see above)");
    process.exitCode = 1;
  }
}

main().catch((error: unknown) => {
  console.error(`demo failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
});
