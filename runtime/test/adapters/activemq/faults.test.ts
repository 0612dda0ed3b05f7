// A private Artemis (own port and instance dir, journal on disk) is restarted while a publisher and a
// subscriber run through the adapter: rhea reconnects, unconfirmed publishes fail as retriable and are sent
// again, and every message the broker acknowledged is handled.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createActiveMqTransport } from "../../../src/adapters/activemq/index.js";
import type { Transport } from "../../../src/transport.js";
import { requireOrSkip } from "../../support/brokers.js";
import { brokerScript, restartUnderLoad } from "../sqs/restart-under-load.js";
import { testContext } from "../sqs/support.js";
import { seedActiveMqConfig } from "./support.js";

const PORT = process.env.HYPC_ARTEMIS_FAULTS_PORT ?? "61626";
const state = mkdtempSync(join(tmpdir(), "hypc-artemis-faults-"));
const env = { HYPC_ARTEMIS_PORT: PORT, HYPC_ARTEMIS_STATE: state, HYPC_ARTEMIS_USER: "hypc", HYPC_ARTEMIS_PASSWORD: "hypc" };

let startError: string | undefined;
try {
  await brokerScript("artemis.sh", "start", env);
} catch (error) {
  startError = `private Artemis did not start: ${String(error).slice(0, 300)}`;
}
const skip = startError === undefined ? false : requireOrSkip(false, startError);

afterAll(async () => {
  await brokerScript("artemis.sh", "stop", env).catch(() => undefined);
  rmSync(state, { recursive: true, force: true });
});

describe.skipIf(skip !== false)("activemq adapter: Artemis restarted under load", () => {
  it("loses no acknowledged message", { timeout: 200_000 }, async () => {
    const open = async (): Promise<Transport> => {
      const t = createActiveMqTransport(
        seedActiveMqConfig({ session_pool: { session_timeout: 5_000 } }),
        testContext({ HYPC_ACTIVEMQ_URL: `tcp://127.0.0.1:${PORT}`, ACTIVEMQ_USERNAME: "hypc", ACTIVEMQ_PASSWORD: "hypc" }),
      );
      await t.connect();
      return t;
    };
    const publisher = await open();
    const subscriber = await open();
    const topic = `faults-${Date.now()}`;
    try {
      const result = await restartUnderLoad({
        publisher,
        subscriber,
        topic,
        group: "restart",
        total: 500,
        stop: async () => void (await brokerScript("artemis.sh", "stop", env)),
        start: async () => void (await brokerScript("artemis.sh", "start", env)),
        deadlineMs: 150_000,
      });
      console.info("[faults] artemis restart:", { ...result, lost: result.lost.length, lostDetail: result.lostDetail.slice(0, 12) });
      expect(result.acknowledged).toBeGreaterThanOrEqual(2 * 500);
      expect(result.lost).toEqual([]);
      // The restart really happened under load: publishes failed (and were retried) or waited for the broker.
      expect(result.publishErrors + result.stalledPublishes).toBeGreaterThan(0);
    } finally {
      await subscriber.close();
      await publisher.close();
    }
  });
});
