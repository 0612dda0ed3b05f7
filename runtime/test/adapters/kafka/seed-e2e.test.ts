// The seed scenario (runtime/test/e2e/seed-scenario.ts) end to end on the real Kafka through the runtime core
// ("configured" transport: the core loads this adapter lazily), every block moved onto Kafka with unique topic
// and group names, with the seed's full message_guarantees (idempotent producer, exactly_once.transactional
// handlers, read_committed) and the Redis idempotency store of the seed. Needs Kafka and Redis 127.0.0.1:6379.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { Runtime } from "../../../src/core/runtime.js";
import { loadSeedTopology } from "../../fixtures/load-seed.js";
import { relocate } from "../../fixtures/relocate.js";
import { runSeedScenario } from "../../e2e/seed-scenario.js";
import { brokerAvailable, requireOrSkip } from "../../support/brokers.js";
import { BOOTSTRAP, kafkaSkip } from "./support.js";

const skip = (await kafkaSkip()) || requireOrSkip(await brokerAvailable("127.0.0.1", 6379), "Redis not reachable at 127.0.0.1:6379");

describe.skipIf(skip !== false)("seed topology end to end on Kafka (configured transport) + Redis", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  it("produces and handles every event type, fans out, replies, dead-letters and suppresses duplicates", { timeout: 120_000 }, async () => {
    const seed = await loadSeedTopology();
    expect(seed.messaging.kafka, "the compiled seed configures messaging.kafka").toBeDefined();
    const topology = relocate(seed, "kafka", `e2e-${randomUUID().slice(0, 8)}`);
    await runSeedScenario({ topology, transport: "configured", env: { HYPC_KAFKA_BOOTSTRAP_SERVERS: BOOTSTRAP, HYPC_LOG_LEVEL: "error" }, kind: "kafka", timeScale: 4 }, (r) => (runtime = r));
  });
});
