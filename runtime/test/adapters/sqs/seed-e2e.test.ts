// The seed scenario (runtime/test/e2e/seed-scenario.ts) through the runtime's "configured" transport with every
// block moved onto aws_messaging (unique names), plus the Redis idempotency store the seed asks for.
// Twice: SNS fan-out on an in-process fauxqs, and SQS-only fan-out on ElasticMQ.
import { randomUUID } from "node:crypto";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { Runtime } from "../../../src/core/runtime.js";
import { loadSeedTopology } from "../../fixtures/load-seed.js";
import { relocate } from "../../fixtures/relocate.js";
import { runSeedScenario } from "../../e2e/seed-scenario.js";
import { brokerAvailable, requireOrSkip } from "../../support/brokers.js";
import { ELASTICMQ_ENDPOINT, TEST_CREDENTIALS, elasticMqSkip, startFauxqs } from "./support.js";

const redisSkip = requireOrSkip(await brokerAvailable("127.0.0.1", 6379), "Redis not reachable at 127.0.0.1:6379");
const emqSkip = await elasticMqSkip();
const fauxqs = await startFauxqs();
afterAll(() => fauxqs.stop());

const targets = [
  { name: "SNS fan-out on fauxqs", skip: redisSkip, env: { HYPC_SQS_ENDPOINT: fauxqs.endpoint, HYPC_SNS_ENDPOINT: fauxqs.endpoint } },
  { name: "SQS-only fan-out on ElasticMQ", skip: redisSkip || emqSkip, env: { HYPC_SQS_ENDPOINT: ELASTICMQ_ENDPOINT } },
];

for (const target of targets) {
  describe.skipIf(target.skip !== false)(`seed topology end to end on aws_messaging, ${target.name} (configured transport) + Redis`, () => {
    let runtime: Runtime | undefined;
    afterEach(async () => {
      await runtime?.stop();
      runtime = undefined;
    });

    it("produces and handles every event type, fans out, replies, dead-letters and suppresses duplicates", { timeout: 150_000 }, async () => {
      const seed = await loadSeedTopology();
      expect(seed.messaging.aws_messaging, "the compiled seed configures messaging.aws_messaging").toBeDefined();
      const base = relocate(seed, "aws_messaging", `e2e-${randomUUID().slice(0, 8)}`);
      // Short long-poll waits: stopping the runtime waits for receives in progress (up to wait_time_seconds).
      const aws = base.messaging.aws_messaging!;
      // message_ordering off: with it, keyed topics are FIFO and SQS/SNS drop the scenario's deliberate duplicate
      // (same MessageDeduplicationId = message id) before any consumer sees it, while the scenario waits for the
      // idempotency middleware to suppress it. FIFO ordering is tested in behaviour.test.ts.
      const topology = {
        ...base,
        guarantees: { ...base.guarantees, message_ordering: { ...base.guarantees.message_ordering, enabled: false } },
        messaging: { ...base.messaging, aws_messaging: { ...aws, sqs: { ...aws.sqs, wait_time_seconds: 1 } } },
      };
      await runSeedScenario(
        { topology, transport: "configured", env: { ...TEST_CREDENTIALS, ...target.env, HYPC_LOG_LEVEL: "error" }, kind: "aws_messaging", timeScale: 4 },
        (r) => (runtime = r),
      );
    });
  });
}
