// createRuntime with monitoring and the DLQ ui wired in (docs/monitoring.md, "Wiring into createRuntime"): the
// seed's manual_processing ui starts with the runtime, files dead letters without an app handler, replays them;
// the runtime's metricsText applies the metric switches and shows lag and active alerts.
// Skips (with a message) until core/runtime.ts carries the wiring.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { Envelope } from "../../src/api.js";
import { createRuntime, Runtime } from "../../src/core/runtime.js";
import { compileValidators } from "../../src/dev/compile-validators.js";
import { EmbeddedTransport } from "../../src/embedded/transport.js";
import type { Topology } from "../../src/topology.js";
import { seedTopology } from "../fixtures/seed-topology.js";
import { recordingLogger, until } from "../helpers.js";

type Wired = Runtime & { dlqUiUrl(): string | undefined };
const wired = "dlqUiUrl" in Runtime.prototype;
if (!wired) console.warn("[dlq-ui] wired-runtime test skipped: core/runtime.ts does not wire monitoring / the DLQ ui yet (docs/monitoring.md)");

const fastRetry = { max_retries: 0, backoff_strategy: "fixed", initial_delay: 10, max_delay: 10, multiplier: 1, jitter: 0 } as const;
const noop = async () => undefined;

describe.skipIf(!wired)("runtime with monitoring and the DLQ ui wired", () => {
  let runtime: Wired | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  it("runs the ui of the seed's manual_processing group, files and replays dead letters, and exposes monitoring metrics", async () => {
    const topology: Topology = {
      ...seedTopology,
      consumers: seedTopology.consumers.map((c) => ({ ...c, handlers: c.handlers.map((h) => ({ ...h, retry: fastRetry })) })),
      monitoring: { ...seedTopology.monitoring, metrics: { ...seedTopology.monitoring.metrics, producer: { ...seedTopology.monitoring.metrics.producer, message_size: false } } },
    };
    const token = `admin-${randomUUID()}`;
    let healthy = false;
    const handled: Envelope[] = [];
    runtime = createRuntime({
      topology,
      validators: compileValidators(topology),
      transport: new EmbeddedTransport(),
      logger: recordingLogger(),
      env: { HYPC_DLQ_ADMIN_TOKENS: token },
      handlers: {
        // No DLQ handlers registered: the ui group runs anyway, filing letters in the inbox.
        events: {
          ScriptUpdatedHandler: noop,
          ScriptExecutedHandler: noop,
          ScriptCreatedHandler: async (e: Envelope) => {
            if (!healthy) throw new Error("database unavailable");
            handled.push(e);
          },
        },
      },
    }) as Wired;
    await runtime.start();
    const url = runtime.dlqUiUrl();
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/api\/dlq\/manual-processing$/);
    expect((await fetch(url!)).status).toBe(401);

    const payload = { script_id: randomUUID(), name: "n", created_by: randomUUID(), created_at: new Date().toISOString(), metadata: {} };
    const { messageId } = await runtime.publish("ScriptEventProducer", "script.created", payload);
    const auth = { authorization: `Bearer ${token}` };
    let ids: string[] = [];
    const deadline = Date.now() + 5_000;
    while (!ids.includes(messageId) && Date.now() < deadline) {
      ids = (((await (await fetch(url!, { headers: auth })).json()) as { items: { id: string }[] }).items ?? []).map((i) => i.id);
      await new Promise((r) => setTimeout(r, 10));
    }
    expect(ids).toEqual([messageId]);

    const metrics = runtime.metricsText();
    expect(metrics).not.toContain("hypc_message_size_bytes");
    expect(metrics).toContain("hypc_publish_latency_seconds");
    expect(metrics).toContain("hypc_consumer_lag{group=");

    healthy = true;
    expect((await fetch(`${url}/${messageId}/replay`, { method: "POST", headers: auth })).status).toBe(200);
    await until("the replayed message to be handled", () => handled.length === 1);
    expect(handled[0]!.metadata.message_id).toBe(messageId);
  });
});
