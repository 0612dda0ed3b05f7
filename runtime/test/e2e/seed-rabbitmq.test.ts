// The same seed scenario as seed.test.ts, through the runtime's "configured" transport on the real RabbitMQ at
// 127.0.0.1:5672 (every block moved onto rabbitmq with unique names) and the real Redis idempotency store.
// Skips with a message when RabbitMQ is absent; fails instead under HYPC_REQUIRE_BROKERS=1.
import { randomUUID } from "node:crypto";
import { createConnection } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { Runtime } from "../../src/core/runtime.js";
import { loadSeedTopology } from "../fixtures/load-seed.js";
import { relocate } from "../fixtures/relocate.js";
import { runSeedScenario } from "./seed-scenario.js";

const url = process.env.HYPC_RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672/";

function reachable(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host, port });
    socket.setTimeout(1000);
    socket.once("connect", () => (socket.destroy(), resolve(true)));
    socket.once("error", () => resolve(false));
    socket.once("timeout", () => (socket.destroy(), resolve(false)));
  });
}

const { hostname, port } = new URL(url);
const up = (await reachable(hostname, Number(port || 5672))) && (await reachable("127.0.0.1", 6379));
const required = process.env.HYPC_REQUIRE_BROKERS === "1";
if (!up && !required) console.warn(`[e2e rabbitmq] skipped: RabbitMQ (${hostname}:${port || 5672}) or Redis (127.0.0.1:6379) not reachable`);

describe.skipIf(!up && !required)("seed topology end to end on RabbitMQ (configured transport) + Redis", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  it("produces and handles every event type, fans out, replies, dead-letters and suppresses duplicates", { timeout: 90_000 }, async () => {
    expect(up).toBe(true);
    const seed = await loadSeedTopology();
    expect(seed.messaging.rabbitmq, "the compiled seed configures messaging.rabbitmq").toBeDefined();
    const topology = relocate(seed, "rabbitmq", `e2e-${randomUUID().slice(0, 8)}`);
    await runSeedScenario({ topology, transport: "configured", env: { HYPC_RABBITMQ_URL: url, HYPC_LOG_LEVEL: "error" }, kind: "rabbitmq", timeScale: 4 }, (r) => (runtime = r));
  });
});
