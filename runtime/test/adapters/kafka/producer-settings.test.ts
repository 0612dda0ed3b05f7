// Producer settings against the real broker: acks 1 and 0 deliver; compression_type snappy and gzip really
// shrink what the broker stores (the on-disk segment of a local broker started by scripts/brokers/kafka.sh,
// HYPC_KAFKA_DATA_DIR, default .brokers/kafka/data), and what they store reads back intact.
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { createKafkaTransport } from "../../../src/adapters/kafka/index.js";
import type { KafkaConfig } from "../../../src/topology.js";
import { kafkaSkip, seedGuarantees, seedKafkaConfig, testContext } from "./support.js";

const skip = await kafkaSkip();
const DATA = process.env.HYPC_KAFKA_DATA_DIR ?? fileURLToPath(new URL("../../../../.brokers/kafka/data", import.meta.url));
const noIdempotence = seedGuarantees({ at_least_once: { producer: { idempotence: false } }, exactly_once: { transactional: { enabled: false } } });

async function roundTrip(producer: Partial<KafkaConfig["producer"]>, count: number, body: (i: number) => string): Promise<{ topic: string; got: string[] }> {
  const t = createKafkaTransport(seedKafkaConfig({ producer }), testContext({ guarantees: noIdempotence }));
  await t.connect();
  const topic = `hypc-prod-${producer.compression_type ?? "x"}-${producer.acks ?? "all"}-${randomUUID().slice(0, 8)}`;
  try {
    await t.ensureTopics([{ name: topic, partitions: 1 }]);
    const got: string[] = [];
    const sub = await t.subscribe({ group: `${topic}-g`, topics: [topic], concurrency: 4 }, async (m) => {
      got.push(m.body.toString());
      await m.ack();
    });
    await t.publish(Array.from({ length: count }, (_, i) => ({ topic, key: `k${i}`, body: Buffer.from(body(i)), headers: {}, id: `id-${i}` })));
    for (let i = 0; i < 400 && got.length < count; i++) await new Promise((r) => setTimeout(r, 25));
    await sub.close();
    return { topic, got };
  } finally {
    await t.close();
  }
}

function storedBytes(topic: string): number | undefined {
  const dir = join(DATA, `${topic}-0`);
  if (!existsSync(dir)) return undefined;
  return readdirSync(dir).filter((f) => f.endsWith(".log")).reduce((s, f) => s + statSync(join(dir, f)).size, 0);
}

describe.skipIf(skip !== false)("kafka producer settings on the broker", () => {
  it.each(["1", "0"] as const)("acks %s delivers", { timeout: 60_000 }, async (acks) => {
    const { got } = await roundTrip({ acks, compression_type: "none" }, 50, (i) => `m${i}`);
    expect(new Set(got).size).toBe(50);
  });

  it("snappy and gzip store far fewer bytes than none for compressible events, and read back intact", { timeout: 90_000 }, async () => {
    const event = (i: number) => JSON.stringify({ event_type: "script.created", version: "1.0", payload: { script_id: `script-${i}`, text: "hypnoscript ".repeat(30) } });
    const sizes: Record<string, number | undefined> = {};
    for (const compression_type of ["none", "snappy", "gzip"] as const) {
      const { topic, got } = await roundTrip({ compression_type, linger_ms: 20 }, 500, event);
      expect(got.sort()).toEqual(Array.from({ length: 500 }, (_, i) => event(i)).sort());
      sizes[compression_type] = storedBytes(topic);
    }
    if (sizes.none === undefined) {
      console.warn(`[kafka producer settings] no local data dir at ${DATA}: stored sizes not compared`);
      return;
    }
    expect(sizes.snappy!).toBeLessThan(sizes.none * 0.5);
    expect(sizes.gzip!).toBeLessThan(sizes.none * 0.5);
    console.info(`[kafka producer settings] stored bytes for 500 events: none ${sizes.none}, snappy ${sizes.snappy}, gzip ${sizes.gzip}`);
  });
});
