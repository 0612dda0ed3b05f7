// Monitoring wired to the runtime's transports: the embedded broker, and the configured RabbitMQ and Kafka
// adapters on the real local brokers (the seed relocated onto each with unique names). The lag gauge and the
// consumer_lag alert read real group backlogs.
import { randomUUID } from "node:crypto";
import kafkajs from "kafkajs";
import { describe, expect, it } from "vitest";
import { createTransports, uniqueTransports } from "../../src/core/transports.js";
import { EmbeddedTransport } from "../../src/embedded/transport.js";
import { createRuntimeMonitoring, useRuntimeTransports } from "../../src/monitoring/for-runtime.js";
import type { BrokerKind, Topology } from "../../src/topology.js";
import type { Transport } from "../../src/transport.js";
import { BOOTSTRAP, kafkaSkip } from "../adapters/kafka/support.js";
import { deleteObjectsContaining } from "../adapters/rabbitmq/rabbitmqctl.js";
import { loadSeedTopology } from "../fixtures/load-seed.js";
import { relocate } from "../fixtures/relocate.js";
import { seedTopology } from "../fixtures/seed-topology.js";
import { recordingLogger } from "../helpers.js";
import { brokerAvailable, requireOrSkip } from "../support/brokers.js";

const rabbitUrl = process.env.HYPC_RABBITMQ_URL ?? "amqp://guest:guest@127.0.0.1:5672/";
const rabbitSkip = requireOrSkip(await brokerAvailable("127.0.0.1", 5672), "RabbitMQ not reachable on 127.0.0.1:5672");
const kafkaSkipped = await kafkaSkip();

/** Publishes `n` envelopes-to-be (bodies do not matter for lag) to `topic`. */
async function fill(transport: Transport, topic: string, n: number): Promise<void> {
  await transport.publish(Array.from({ length: n }, (_, i) => ({ topic, key: `k${i}`, body: Buffer.from(`{"n":${i}}`), headers: {}, id: randomUUID() })));
}

/** The first consumer of the seed: its group and first topic. */
function firstGroup(topology: Topology): { group: string; topic: string } {
  const c = topology.consumers[0]!;
  return { group: c.groupId, topic: c.topics[0]!.name };
}

async function lagAlertCycle(topology: Topology, kind: BrokerKind | "embedded", transports: Map<BrokerKind, Transport>, env: Record<string, string>, prepare: (t: Transport, group: string, topic: string) => Promise<void>, expected: number) {
  const logger = recordingLogger();
  const monitoring = createRuntimeMonitoring({ ...topology, monitoring: { ...topology.monitoring, alerting: { ...topology.monitoring.alerting, consumer_lag: { threshold: expected - 1, alert_level: "warning", escalation_time: 300 } } } }, logger)!;
  const alerts: unknown[] = [];
  monitoring.attach((e) => alerts.push(e));
  const { group, topic } = firstGroup(topology);
  const transport = transports.get(topology.consumers[0]!.broker)!;
  try {
    await prepare(transport, group, topic);
    await useRuntimeTransports(monitoring, topology, transports, env, logger);
    let text = "";
    for (let i = 0; i < 100; i++) {
      await monitoring.refresh();
      text = monitoring.metricsText("");
      if (text.includes(`hypc_consumer_lag{group="${group}"} ${expected}`)) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect(text, `${kind}: lag gauge`).toContain(`hypc_consumer_lag{group="${group}"} ${expected}`);
    expect(alerts).toContainEqual(expect.objectContaining({ kind: "alert", category: "consumer_lag", message: expect.stringContaining(`consumer group ${group} lags ${expected}`) }));
    expect(logger.entries.filter((e) => e.message.startsWith("monitoring: cannot read consumer lag"))).toEqual([]);
    return text;
  } finally {
    await monitoring.stop();
  }
}

describe("monitoring on the runtime's transports", () => {
  it("embedded: lag of the seed's groups from the broker's own counters", async () => {
    const transport = new EmbeddedTransport();
    const transports = new Map<BrokerKind, Transport>([["kafka", transport]]);
    await lagAlertCycle(seedTopology, "embedded", transports, {}, async (t, group, topic) => {
      await t.ensureTopics([{ name: topic, partitions: 4 }]);
      const sub = await t.subscribe({ group, topics: [topic], concurrency: 1 }, async (m) => m.nack({ delayMs: 60_000 }));
      await sub.close();
      await fill(t, topic, 6);
    }, 6);
    await transport.close();
  });

  it.skipIf(rabbitSkip)("RabbitMQ (configured): lag and queue depth of the group queues over AMQP", { timeout: 60_000 }, async () => {
    const runId = `mon-${randomUUID().slice(0, 8)}`;
    const topology = relocate(await loadSeedTopology(), "rabbitmq", runId);
    expect(topology.messaging.rabbitmq, "the compiled seed configures messaging.rabbitmq").toBeDefined();
    const env = { HYPC_RABBITMQ_URL: rabbitUrl };
    const transports = await createTransports(topology, "configured", env, recordingLogger());
    try {
      for (const t of uniqueTransports(transports)) await t.connect();
      const text = await lagAlertCycle(topology, "rabbitmq", transports, env, async (t, group, topic) => {
        await t.ensureTopics([{ name: topic, partitions: 1 }]);
        // Subscribing declares and binds the group queue; closing leaves it (durable) to collect the backlog.
        const sub = await t.subscribe({ group, topics: [topic], concurrency: 1 }, async (m) => m.nack({ delayMs: 60_000 }));
        await sub.close();
        await fill(t, topic, 5);
      }, 5);
      expect(text).toMatch(/hypc_queue_depth\{queue="[^"]+"\} 5/);
    } finally {
      for (const t of uniqueTransports(transports)) await t.close().catch(() => undefined);
      // The shared broker keeps durable objects: remove every one this run declared (the seed's groups, their
      // dead-letter queues and exchanges, the unrouted queues), all named with the run's id.
      await deleteObjectsContaining(runId);
    }
  });

  it.skipIf(kafkaSkipped)("Kafka (configured): lag from the admin API", { timeout: 90_000 }, async () => {
    const topology = relocate(await loadSeedTopology(), "kafka", `mon-${randomUUID().slice(0, 8)}`);
    expect(topology.messaging.kafka).toBeDefined();
    const env = { HYPC_KAFKA_BOOTSTRAP_SERVERS: BOOTSTRAP };
    const transports = await createTransports(topology, "configured", env, recordingLogger());
    try {
      for (const t of uniqueTransports(transports)) await t.connect();
      await lagAlertCycle(topology, "kafka", transports, env, async (t, _group, topic) => {
        await t.ensureTopics([{ name: topic, partitions: 2 }]);
        await fill(t, topic, 4); // the group never committed: everything retained is its lag
      }, 4);
    } finally {
      for (const t of uniqueTransports(transports)) await t.close().catch(() => undefined);
      const admin = new kafkajs.Kafka({ brokers: BOOTSTRAP.split(","), logLevel: kafkajs.logLevel.NOTHING }).admin();
      await admin.connect();
      await admin.deleteTopics({ topics: [firstGroup(topology).topic] }).catch(() => undefined);
      await admin.disconnect();
    }
  });
});
