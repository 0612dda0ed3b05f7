// Faults against real brokers. Nothing acknowledged may be lost:
//  1. a consumer process SIGKILLed mid-batch: every message is handled at least once (by it or its successor);
//  2. the broker restarted under load (acks all + idempotence): every acknowledged publish is in the log, once;
//  3. a three-node cluster loses one broker: producing and consuming go on.
// 2 and 3 run their own brokers through scripts/brokers/kafka.sh (instance kafka-faults on 9192, the cluster on
// 19092/29092/39092), never the shared one on 9092. Every loop is bounded in count and time.
import { execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import kafkajs from "kafkajs";
import { afterAll, describe, expect, it } from "vitest";
import { createKafkaTransport } from "../../../src/adapters/kafka/index.js";
import type { OutgoingMessage, ReceivedMessage, Transport } from "../../../src/transport.js";
import { brokersRequired } from "../../support/brokers.js";
import { BOOTSTRAP, kafkaSkip, seedKafkaConfig, testContext } from "./support.js";
import { sleep, until } from "../../helpers.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const SCRIPT = join(ROOT, "scripts/brokers/kafka.sh");
const skip = await kafkaSkip();
const canStartBrokers = existsSync(SCRIPT) && (await run("java", ["-version"]).then(() => true, () => false));
if (!canStartBrokers && brokersRequired()) throw new Error("faults tests need java and scripts/brokers/kafka.sh");


function fastConsumerConfig() {
  return seedKafkaConfig({ consumer: { session_timeout_ms: 6000, heartbeat_interval_ms: 500 } });
}

const events = (topic: string, n: number, from = 0): OutgoingMessage[] =>
  Array.from({ length: n }, (_, i) => ({ topic, key: `key-${(from + i) % 16}`, body: Buffer.from(JSON.stringify({ n: from + i, pad: "x".repeat(200) })), headers: {}, id: `m-${from + i}` }));

/** Every message id in a topic, read from the beginning with a plain kafkajs consumer (read_committed). */
async function idsInLog(bootstrap: string, topic: string, expectAtLeast: number): Promise<string[]> {
  const kafka = new kafkajs.Kafka({ brokers: bootstrap.split(","), logLevel: kafkajs.logLevel.NOTHING });
  const consumer = kafka.consumer({ groupId: `audit-${randomUUID()}` });
  const ids: string[] = [];
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({ eachMessage: async ({ message }) => void ids.push(message.headers?.["x-hypc-message-id"]?.toString() ?? "?") });
  await until(`${expectAtLeast} messages in ${topic}`, () => ids.length >= expectAtLeast, 30_000).catch(() => undefined);
  await sleep(1000); // anything beyond (duplicates) arrives too
  await consumer.disconnect();
  return ids;
}

describe.skipIf(skip !== false)("kafka faults: consumer SIGKILLed mid-batch", () => {
  it("every message is handled at least once by the killed consumer or its successor", { timeout: 120_000 }, async () => {
    const topic = `hypc-fault-kill-${randomUUID().slice(0, 8)}`;
    const group = `${topic}-g`;
    const out = join(tmpdir(), `${topic}.ids`);
    writeFileSync(out, "");
    const t = createKafkaTransport(fastConsumerConfig(), testContext());
    await t.connect();
    try {
      await t.ensureTopics([{ name: topic, partitions: 3 }]);
      const total = 400;
      await t.publish(events(topic, total));
      const child = spawn(process.execPath, ["--import", "tsx", fileURLToPath(new URL("./fault-child.ts", import.meta.url))], {
        env: { ...process.env, TOPIC: topic, GROUP: group, OUT: out, HYPC_KAFKA_BOOTSTRAP_SERVERS: BOOTSTRAP },
        stdio: ["ignore", "pipe", "inherit"],
      });
      const exited = new Promise((r) => child.on("exit", r));
      const lines = () => readFileSync(out, "utf8").split("\n").filter(Boolean);
      await until("the child to handle some messages", () => lines().length >= 60, 60_000);
      child.kill("SIGKILL");
      await exited;
      const byChild = lines();
      expect(byChild.length).toBeLessThan(total); // killed mid-way

      const bySuccessor: string[] = [];
      const sub = await t.subscribe({ group, topics: [topic], concurrency: 8 }, async (m: ReceivedMessage) => {
        bySuccessor.push(m.id);
        await m.ack();
      });
      const handled = () => new Set([...byChild, ...bySuccessor]);
      await until("every message handled", () => handled().size >= total, 60_000);
      await sub.close();
      expect(handled()).toEqual(new Set(events(topic, total).map((e) => e.id)));
      // At least once: the successor replays at most what was in flight or uncommitted at the kill.
      const replayed = bySuccessor.filter((id) => byChild.includes(id)).length;
      expect(replayed).toBeLessThanOrEqual(500);
      console.info(`[kafka faults] killed after ${byChild.length} handled; successor handled ${bySuccessor.length} (${replayed} again)`);
    } finally {
      await t.close();
      rmSync(out, { force: true });
    }
  });
});

describe.skipIf(!canStartBrokers)("kafka faults: broker restarted under load (acks all, idempotence)", () => {
  const env = { ...process.env, HYPC_KAFKA_INSTANCE: "kafka-faults", HYPC_KAFKA_PORT: "9192", KAFKA_HEAP: "-Xmx384m -Xms64m" };
  const bootstrap = "127.0.0.1:9192";
  afterAll(async () => {
    await run(SCRIPT, ["wipe"], { env, timeout: 60_000 });
  });

  it("every acknowledged publish is in the log exactly once", { timeout: 180_000 }, async () => {
    await run(SCRIPT, ["start"], { env, timeout: 120_000 });
    const t = createKafkaTransport(seedKafkaConfig(), testContext({ env: { HYPC_KAFKA_BOOTSTRAP_SERVERS: bootstrap } }));
    await t.connect();
    const topic = `hypc-fault-restart-${randomUUID().slice(0, 8)}`;
    try {
      await t.ensureTopics([{ name: topic, partitions: 3 }]);
      const acked = new Set<string>();
      let rejected = 0;
      let stop = false;
      let next = 0;
      // Load: batches of 50, each awaited; a rejected batch is retried once the broker is back, as the
      // core's retry middleware would (same ids).
      const load = (async () => {
        while (!stop && next < 20_000) {
          const batch = events(topic, 50, next);
          next += 50;
          for (let attempt = 0; attempt < 60; attempt++) {
            try {
              await t.publish(batch);
              for (const m of batch) acked.add(m.id);
              break;
            } catch {
              rejected++;
              await sleep(500);
            }
          }
        }
      })();
      await until("some load before the restart", () => acked.size >= 1000, 60_000);
      await run(SCRIPT, ["restart"], { env, timeout: 120_000 });
      const afterRestart = acked.size;
      await until("load after the restart", () => acked.size >= afterRestart + 1000, 90_000);
      stop = true;
      await load;
      const ids = await idsInLog(bootstrap, topic, acked.size);
      const counts = new Map<string, number>();
      for (const id of ids) counts.set(id, (counts.get(id) ?? 0) + 1);
      const missing = [...acked].filter((id) => !counts.has(id));
      const duplicated = [...counts].filter(([, c]) => c > 1).map(([id]) => id);
      console.info(`[kafka faults] restart: ${acked.size} acked, ${rejected} rejected sends retried, ${ids.length} in log, ${duplicated.length} duplicated`);
      expect(missing).toEqual([]);
      // Duplicates could only come from a rejected send that had in fact been written and was retried with a
      // new producer sequence; kafkajs's own retries (same sequence) are deduplicated by the broker.
      expect(duplicated.length).toBeLessThanOrEqual(rejected * 50);
      if (rejected === 0) expect(duplicated).toEqual([]);
    } finally {
      await t.close();
    }
  });
});

describe.skipIf(!canStartBrokers)("kafka faults: three-node cluster loses a broker", () => {
  const env = { ...process.env, KAFKA_HEAP: "-Xmx320m -Xms64m" };
  const bootstrap = "127.0.0.1:19092,127.0.0.1:29092,127.0.0.1:39092";
  afterAll(async () => {
    await run(SCRIPT, ["wipe-cluster"], { env, timeout: 90_000 });
  });

  it("produce and consume go on while one of three brokers is down", { timeout: 240_000 }, async () => {
    await run(SCRIPT, ["start-cluster"], { env, timeout: 180_000 });
    const config = fastConsumerConfig();
    const t: Transport = createKafkaTransport(config, testContext({ env: { HYPC_KAFKA_BOOTSTRAP_SERVERS: bootstrap } }));
    await t.connect();
    const topic = `hypc-fault-cluster-${randomUUID().slice(0, 8)}`;
    try {
      await t.ensureTopics([{ name: topic, partitions: 3 }]); // replication 3, min ISR 2 (cluster defaults)
      const seen = new Set<string>();
      const sub = await t.subscribe({ group: `${topic}-g`, topics: [topic], concurrency: 8 }, async (m) => {
        seen.add(m.id);
        await m.ack();
      });
      await t.publish(events(topic, 300, 0));
      await until("messages before the failure", () => seen.size >= 300, 60_000);
      // Stop the leader of partition 0 (node ids are 1..3 = the script's node numbers): a real failover.
      const admin = new kafkajs.Kafka({ brokers: bootstrap.split(","), logLevel: kafkajs.logLevel.NOTHING }).admin();
      await admin.connect();
      const meta = await admin.fetchTopicMetadata({ topics: [topic] });
      await admin.disconnect();
      const leader = meta.topics[0]!.partitions.find((p) => p.partitionId === 0)!.leader;
      await run(SCRIPT, ["stop-node", String(leader)], { env, timeout: 60_000 });
      let sent = 300;
      for (let i = 0; i < 10; i++) {
        await t.publish(events(topic, 100, sent));
        sent += 100;
      }
      await until("messages after the failure", () => seen.size >= sent, 90_000);
      await sub.close();
      expect(seen.size).toBe(sent);
    } finally {
      await t.close();
    }
  });
});
