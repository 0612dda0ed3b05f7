// The seed scenario (runtime/test/e2e/seed-scenario.ts) through the runtime's "configured" transport with every
// block moved onto ActiveMQ Artemis (unique names), plus the Redis idempotency store the seed asks for.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { Runtime } from "../../../src/core/runtime.js";
import { loadSeedTopology } from "../../fixtures/load-seed.js";
import { relocate } from "../../fixtures/relocate.js";
import { runSeedScenario } from "../../e2e/seed-scenario.js";
import { brokerAvailable, requireOrSkip } from "../../support/brokers.js";
import { ACTIVEMQ_ENV, artemisSkip } from "./support.js";

const skip = (await artemisSkip()) || requireOrSkip(await brokerAvailable("127.0.0.1", 6379), "Redis not reachable at 127.0.0.1:6379");

describe.skipIf(skip !== false)("seed topology end to end on ActiveMQ Artemis (configured transport) + Redis", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  it("produces and handles every event type, fans out, replies, dead-letters and suppresses duplicates", { timeout: 120_000 }, async () => {
    const seed = await loadSeedTopology();
    expect(seed.messaging.activemq, "the compiled seed configures messaging.activemq").toBeDefined();
    const topology = relocate(seed, "activemq", `e2e-${randomUUID().slice(0, 8)}`);
    await runSeedScenario({ topology, transport: "configured", env: { ...ACTIVEMQ_ENV, HYPC_LOG_LEVEL: "error" }, kind: "activemq", timeScale: 4 }, (r) => (runtime = r));
  });
});
