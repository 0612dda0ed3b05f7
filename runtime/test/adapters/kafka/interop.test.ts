// Interop with tools outside hypc: kcat (librdkafka) reads what the adapter produced and produces what the
// adapter consumes; the Java client's partitioner decides where keys belong. Needs `kcat` (Debian package
// kcat) and the Kafka jars (.cache/kafka/libs, from scripts/brokers/kafka.sh).
import { execFile, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createKafkaTransport } from "../../../src/adapters/kafka/index.js";
import type { ReceivedMessage, Transport } from "../../../src/transport.js";
import { brokersRequired } from "../../support/brokers.js";
import { BOOTSTRAP, kafkaSkip, seedKafkaConfig, testContext } from "./support.js";

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL("../../../../", import.meta.url));
const LIBS = `${ROOT}.cache/kafka/libs`;
const brokerSkip = await kafkaSkip();
const kcatPresent = await run("kcat", ["-V"]).then(() => true, () => false);
const javaPresent = existsSync(LIBS);
const skip = brokerSkip || (!kcatPresent ? "kcat not installed (apt-get install -y kcat)" : false) || (!javaPresent ? `Kafka jars missing at ${LIBS}` : false);
if (skip && brokerSkip === false && brokersRequired()) throw new Error(`interop test required but: ${skip}`);
if (skip && !brokerSkip) console.warn(`[kafka interop] skipped: ${skip}`);

const KEYS = ["user-1", "user-2", "script-42", "ä-umlaut", "a-little-bit-longer-string", "", "x", "foobar", "21", "k".repeat(33)];
const PARTITIONS = 6;

/** Partition of every key according to the Java client (Utils.murmur2), run from the broker's jars. */
async function javaPartitions(keys: readonly string[]): Promise<Map<string, number>> {
  const { stdout } = await run("java", ["-cp", `${LIBS}/*`, fileURLToPath(new URL("./java/Murmur2Partition.java", import.meta.url)), String(PARTITIONS), ...keys], { timeout: 60_000 });
  return new Map(stdout.trimEnd().split("\n").map((line) => {
    const tab = line.lastIndexOf("\t");
    return [line.slice(0, tab), Number(line.slice(tab + 1))] as const;
  }));
}

describe.skipIf(skip !== false)("kafka interop (kcat, Java partitioner)", () => {
  let transport: Transport;
  const runId = `hypc-interop-${randomUUID().slice(0, 8)}`;

  beforeAll(async () => {
    transport = createKafkaTransport(seedKafkaConfig(), testContext());
    await transport.connect();
  });
  afterAll(async () => {
    await transport?.close();
  });

  it("kcat reads what the adapter produced (snappy): key, Java partition, headers, body", { timeout: 90_000 }, async () => {
    const topic = `${runId}-out`;
    await transport.ensureTopics([{ name: topic, partitions: PARTITIONS }]);
    const nonEmpty = KEYS.filter((k) => k !== "");
    await transport.publish(nonEmpty.map((key, i) => ({
      topic,
      key,
      body: Buffer.from(JSON.stringify({ i, key })),
      headers: { "x-trace-id": `trace-${i}`, "x-correlation-id": `corr-${i}` },
      id: `id-${i}`,
    })));
    const { stdout } = await run("kcat", ["-C", "-b", BOOTSTRAP, "-t", topic, "-o", "beginning", "-e", "-q", "-f", "%p\t%k\t%h\t%s\n"], { timeout: 30_000 });
    const rows = stdout.trimEnd().split("\n").map((l) => l.split("\t"));
    expect(rows).toHaveLength(nonEmpty.length);
    const java = await javaPartitions(nonEmpty);
    for (const [partition, key, headers, body] of rows) {
      const { i } = JSON.parse(body!) as { i: number };
      expect(key).toBe(nonEmpty[i]);
      expect(Number(partition)).toBe(java.get(key!));
      expect(headers).toContain(`x-trace-id=trace-${i}`);
      expect(headers).toContain(`x-hypc-message-id=id-${i}`);
    }
  });

  it("the adapter consumes what kcat produced (murmur2 partitioner, snappy, headers)", { timeout: 90_000 }, async () => {
    const topic = `${runId}-in`;
    await transport.ensureTopics([{ name: topic, partitions: PARTITIONS }]);
    const lines = KEYS.filter((k) => k !== "").map((key, i) => `${key}|{"from":"kcat","i":${i}}`).join("\n") + "\n";
    await new Promise<void>((resolve, reject) => {
      const kcat = spawn("kcat", ["-P", "-b", BOOTSTRAP, "-t", topic, "-K", "|", "-z", "snappy", "-X", "partitioner=murmur2_random", "-H", "x-trace-id=from-kcat", "-H", "x-correlation-id=c-kcat"]);
      let err = "";
      kcat.stderr.on("data", (d: Buffer) => (err += d.toString()));
      kcat.on("error", reject);
      kcat.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`kcat exited ${code}: ${err}`))));
      kcat.stdin.end(lines);
    });
    const got: ReceivedMessage[] = [];
    const sub = await transport.subscribe({ group: `${runId}-g`, topics: [topic], concurrency: 4 }, async (m) => {
      got.push(m);
      await m.ack();
    });
    const deadline = Date.now() + 20_000;
    while (got.length < KEYS.length - 1 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await sub.close();
    expect(got).toHaveLength(KEYS.length - 1);
    const java = await javaPartitions(KEYS.filter((k) => k !== ""));
    for (const m of got) {
      expect(JSON.parse(m.body.toString()).from).toBe("kcat");
      expect(m.partition).toBe(java.get(m.key!));
      expect(m.headers["x-trace-id"]).toBe("from-kcat");
      expect(m.id).toBe(`${topic}-${m.partition}-${m.offset}`); // no hypc id header: derived from the position
    }
  });
});
