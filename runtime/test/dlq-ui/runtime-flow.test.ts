// The whole manual-processing loop on a real runtime (embedded broker, the seed's topology): a handler fails,
// its message is dead-lettered, the manual_processing DLQ group files it in the inbox, an admin replays it over
// HTTP, and the handler processes it. Monitoring observes the same runtime and raises the error-rate alert.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { Envelope, InstrumentationEvent } from "../../src/api.js";
import { createRuntime, type Runtime } from "../../src/core/runtime.js";
import { compileValidators } from "../../src/dev/compile-validators.js";
import { inboxHandler, MemoryDeadLetterInbox } from "../../src/dlq-ui/inbox.js";
import { replayThroughRuntime } from "../../src/dlq-ui/replay.js";
import { startDlqServer } from "../../src/dlq-ui/server.js";
import { EmbeddedTransport } from "../../src/embedded/transport.js";
import type { RunningServer } from "../../src/monitoring/metrics-server.js";
import { createMonitoring } from "../../src/monitoring/monitoring.js";
import type { Topology } from "../../src/topology.js";
import { seedTopology } from "../fixtures/seed-topology.js";
import { recordingLogger, until } from "../helpers.js";

const fastRetry = { max_retries: 1, backoff_strategy: "fixed", initial_delay: 10, max_delay: 10, multiplier: 1, jitter: 0 } as const;
const topology: Topology = { ...seedTopology, consumers: seedTopology.consumers.map((c) => ({ ...c, handlers: c.handlers.map((h) => ({ ...h, retry: fastRetry })) })) };
const noop = async () => undefined;

describe("DLQ manual processing on a running runtime", () => {
  let runtime: Runtime | undefined;
  let server: RunningServer | undefined;
  afterEach(async () => {
    await server?.close();
    await runtime?.stop();
  });

  it("dead letter → inbox → HTTP replay → handled; the error-rate alert fires once", async () => {
    const ui = topology.deadLetter!.handlers.find((h) => h.ui !== undefined)!;
    expect(ui.handler).toBe("DLQManualProcessingHandler");
    const inbox = new MemoryDeadLetterInbox();
    const logger = recordingLogger();
    const alerts: InstrumentationEvent[] = [];
    const monitoring = createMonitoring({ monitoring: topology.monitoring, logger, minSamples: 2 }).attach((e) => alerts.push(e));
    let healthy = false;
    const handled: Envelope[] = [];
    runtime = createRuntime({
      topology,
      validators: compileValidators(topology),
      transport: new EmbeddedTransport(),
      logger,
      instrumentation: [monitoring.evaluator],
      handlers: {
        events: {
          ScriptUpdatedHandler: noop,
          ScriptExecutedHandler: noop,
          ScriptCreatedHandler: async (e: Envelope) => {
            if (!healthy) throw new Error("database unavailable");
            handled.push(e);
          },
        },
        deadLetters: { [ui.handler]: inboxHandler(inbox) },
      },
    });
    await runtime.start();
    const token = `admin-${randomUUID()}`;
    server = await startDlqServer({ ui: ui.ui!, inbox, replay: replayThroughRuntime(topology, (k) => runtime!.transportFor(k)), logger, env: { HYPC_DLQ_ADMIN_TOKENS: token } });

    const payload = { script_id: randomUUID(), name: "n", created_by: randomUUID(), created_at: new Date().toISOString(), metadata: {} };
    const { messageId } = await runtime.publish("ScriptEventProducer", "script.created", payload);
    await eventually("the dead letter in the inbox", async () => (await inbox.get(messageId)) !== undefined);

    monitoring.evaluator.evaluate();
    expect(alerts).toEqual([expect.objectContaining({ kind: "alert", category: "error_rate", message: expect.stringContaining("handler ScriptCreatedHandler") })]);

    const auth = { authorization: `Bearer ${token}` };
    const list = (await (await fetch(server!.url, { headers: auth })).json()) as { items: { id: string; reason: { originalTopic: string; attempts: number } }[] };
    expect(list.items).toEqual([expect.objectContaining({ id: messageId, reason: expect.objectContaining({ originalTopic: "hypnoscript.events.script-events", attempts: 2 }) })]);

    healthy = true;
    const replay = await fetch(`${server!.url}/${messageId}/replay`, { method: "POST", headers: auth });
    expect(replay.status).toBe(200);
    await until("the replayed message to be handled", () => handled.length === 1);
    expect(handled[0]!.metadata.message_id).toBe(messageId);
    expect(handled[0]!.payload).toEqual(payload);
    expect(await inbox.list()).toEqual([]);
  });
});

async function eventually(what: string, done: () => Promise<boolean>, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await done())) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}
