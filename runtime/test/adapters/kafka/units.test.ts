// Broker-free parts of the Kafka adapter: settings mapping, commit positions, batching, dispatch, snappy.
import { describe, expect, it } from "vitest";
import { Dispatcher, type Job, type Outcome } from "../../../src/adapters/kafka/dispatcher.js";
import { PartitionOffsets } from "../../../src/adapters/kafka/offsets.js";
import { BatchingPublisher } from "../../../src/adapters/kafka/publisher.js";
import { kafkaSettings } from "../../../src/adapters/kafka/settings.js";
import { snappyCompress, snappyDecompress } from "../../../src/adapters/kafka/snappy.js";
import { ConfigError } from "../../../src/errors.js";
import type { OutgoingMessage } from "../../../src/transport.js";
import { atLeastOnceGuarantees, seedGuarantees, seedKafkaConfig, testContext } from "./support.js";

describe("kafka settings mapping", () => {
  it("maps every seed key", () => {
    const s = kafkaSettings(seedKafkaConfig(), testContext({ env: { KAFKA_USERNAME: "u", KAFKA_PASSWORD: "p" }, guarantees: seedGuarantees() }));
    expect(s.brokers).toEqual(["kafka-1.example.com:9092", "kafka-2.example.com:9092", "kafka-3.example.com:9092"]);
    expect(s.producer).toMatchObject({ acks: -1, retries: 3, idempotent: true, batchSizeBytes: 16384, lingerMs: 5, bufferMemoryBytes: 33554432, compression: "snappy" });
    expect(s.producer.security).toEqual({ protocol: "SASL_SSL", sasl: { mechanism: "plain", username: "u", password: "p" } });
    expect(s.consumer).toMatchObject({
      groupId: "hypnoscript-consumer-group",
      fromBeginning: true,
      autoCommit: false,
      commitSync: true,
      commitIntervalMs: 1000,
      sessionTimeoutMs: 30000,
      heartbeatIntervalMs: 3000,
      maxPollRecords: 500,
      rebalanceTimeoutMs: 300000,
      readUncommitted: false,
    });
    expect(s.consumer.security.protocol).toBe("SASL_SSL");
    expect(s.transactions).toEqual({ enabled: true, timeoutMs: 30000 });
  });

  it("commits on an interval when commit_sync is off or auto commit is on", () => {
    const g = seedGuarantees({ at_least_once: { consumer: { commit_sync: false, offset_commit_interval: 250 } } });
    expect(kafkaSettings(seedKafkaConfig(), testContext({ guarantees: g })).consumer).toMatchObject({ commitSync: false, commitIntervalMs: 250 });
    const auto = kafkaSettings(seedKafkaConfig({ consumer: { enable_auto_commit: true, auto_commit_interval_ms: 700 } }), testContext());
    expect(auto.consumer).toMatchObject({ autoCommit: true, commitSync: false, commitIntervalMs: 700 });
  });

  it("maps acks 1 and 0 and latest", () => {
    const g = seedGuarantees({ at_least_once: { producer: { idempotence: false } } });
    const one = kafkaSettings(seedKafkaConfig({ producer: { acks: "1" }, consumer: { auto_offset_reset: "latest" } }), testContext({ guarantees: g }));
    expect(one.producer.acks).toBe(1);
    expect(one.producer.idempotent).toBe(false);
    expect(one.consumer.fromBeginning).toBe(false);
    expect(kafkaSettings(seedKafkaConfig({ producer: { acks: "0" } }), testContext({ guarantees: g })).producer.acks).toBe(0);
  });

  it("uses the bootstrap override and PLAINTEXT for local brokers unless a protocol is given", () => {
    const s = kafkaSettings(seedKafkaConfig(), testContext({ env: { HYPC_KAFKA_BOOTSTRAP_SERVERS: "127.0.0.1:9092, 127.0.0.1:9093" } }));
    expect(s.brokers).toEqual(["127.0.0.1:9092", "127.0.0.1:9093"]);
    expect(s.producer.security).toEqual({ protocol: "PLAINTEXT" });
    const sasl = kafkaSettings(
      seedKafkaConfig(),
      testContext({ env: { HYPC_KAFKA_BOOTSTRAP_SERVERS: "127.0.0.1:9094", HYPC_KAFKA_SECURITY_PROTOCOL: "sasl_plaintext", KAFKA_USERNAME: "hypc", KAFKA_PASSWORD: "x" } }),
    );
    expect(sasl.consumer.security).toEqual({ protocol: "SASL_PLAINTEXT", sasl: { mechanism: "plain", username: "hypc", password: "x" } });
  });

  it("refuses what it cannot honour, naming the key", () => {
    const ctx = testContext();
    expect(() => kafkaSettings(seedKafkaConfig({ producer: { acks: "1" } }), ctx)).toThrow(/idempotence needs messaging.kafka.producer.acks "all"/);
    expect(() => kafkaSettings(seedKafkaConfig({ producer: { compression_type: "zstd" } }), ctx)).toThrow(ConfigError);
    expect(() => kafkaSettings(seedKafkaConfig({ consumer: { heartbeat_interval_ms: 40000 } }), ctx)).toThrow(/heartbeat_interval_ms/);
    expect(() => kafkaSettings(seedKafkaConfig(), testContext({ env: { HYPC_KAFKA_BOOTSTRAP_SERVERS: "127.0.0.1:1", HYPC_KAFKA_SECURITY_PROTOCOL: "SASL_SSL" } }))).toThrow(
      /KAFKA_USERNAME is not set/,
    );
  });

  it("read_uncommitted only when the transactional policy asks for it", () => {
    const g = seedGuarantees({ exactly_once: { transactional: { isolation_level: "read_uncommitted" } } });
    expect(kafkaSettings(seedKafkaConfig(), testContext({ guarantees: g })).consumer.readUncommitted).toBe(true);
    expect(kafkaSettings(seedKafkaConfig(), testContext({ guarantees: atLeastOnceGuarantees() })).transactions.enabled).toBe(false);
  });
});

describe("kafka commit positions", () => {
  it("commits only the contiguous handled prefix", () => {
    const p = new PartitionOffsets();
    for (const o of [10, 11, 12, 13]) expect(p.track(o)).toBe(true);
    p.ack(12);
    p.ack(13);
    expect(p.commitPoint()).toBe(10); // 10 not done: nothing past it
    p.ack(10);
    expect(p.commitPoint()).toBe(11);
    p.committed(11);
    expect(p.commitPoint()).toBeUndefined();
    p.ack(11);
    expect(p.commitPoint()).toBe(14);
    p.committed(14);
    expect(p.track(12)).toBe(false); // re-fetched after a rebalance: already done
    expect(p.track(14)).toBe(true);
  });

  it("does not hand out a message that is still in flight twice, and unack makes it pending again", () => {
    const p = new PartitionOffsets();
    expect(p.track(5)).toBe(true);
    expect(p.track(5)).toBe(false);
    p.ack(5);
    p.unack(5);
    expect(p.commitPoint()).toBe(5);
  });
});

const msg = (topic: string, n: number, size = 100): OutgoingMessage => ({ topic, key: `k${n}`, body: Buffer.alloc(size, n % 256), headers: {}, id: `id-${n}` });

describe("kafka producer batching (linger, batch_size, buffer_memory)", () => {
  it("holds messages for linger_ms and sends them as one batch", async () => {
    const sends: OutgoingMessage[][] = [];
    const pub = new BatchingPublisher({ batchSizeBytes: 1_000_000, lingerMs: 30, bufferMemoryBytes: 10_000_000 }, async (b) => void sends.push([...b]));
    const started = Date.now();
    await Promise.all([pub.publish([msg("t", 1)]), pub.publish([msg("t", 2)]), pub.publish([msg("u", 3)])]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(25);
    expect(sends).toHaveLength(1);
    expect(sends[0]!.map((m) => m.id)).toEqual(["id-1", "id-2", "id-3"]);
  });

  it("sends a topic at once when it reaches batch_size, in publish order", async () => {
    const sends: string[][] = [];
    const pub = new BatchingPublisher({ batchSizeBytes: 1000, lingerMs: 60_000, bufferMemoryBytes: 10_000_000 }, async (b) => void sends.push(b.map((m) => m.id)));
    const started = Date.now();
    await pub.publish(Array.from({ length: 20 }, (_, i) => msg("t", i, 200)));
    expect(Date.now() - started).toBeLessThan(5_000); // did not wait for the 60 s linger
    expect(sends.flat()).toEqual(Array.from({ length: 20 }, (_, i) => `id-${i}`));
  });

  it("takes the partial batches of every topic along when a full batch is sent (no wait for linger_ms)", async () => {
    const sends: string[][] = [];
    const pub = new BatchingPublisher({ batchSizeBytes: 1000, lingerMs: 10_000, bufferMemoryBytes: 10_000_000 }, async (b) => void sends.push(b.map((m) => m.id)));
    const started = Date.now();
    // One call per message, as the runtime core publishes: topic t fills a batch at its 4th message (~250 bytes each).
    await Promise.all([...Array.from({ length: 6 }, (_, i) => pub.publish([msg("t", i, 200)])), pub.publish([msg("u", 6, 200)])]);
    expect(Date.now() - started).toBeLessThan(5_000); // not held for the 10 s linger
    expect(sends).toEqual([["id-0", "id-1", "id-2", "id-3", "id-4", "id-5", "id-6"]]);
  });

  it("applies back-pressure at buffer_memory", async () => {
    let inFlight = 0;
    let maxBytes = 0;
    const release: (() => void)[] = [];
    const pub = new BatchingPublisher({ batchSizeBytes: 500, lingerMs: 1, bufferMemoryBytes: 2000 }, async (b) => {
      inFlight += b.length;
      await new Promise<void>((r) => release.push(r));
      inFlight -= b.length;
    });
    const done = pub.publish(Array.from({ length: 50 }, (_, i) => msg("t", i, 200)));
    const pump = setInterval(() => {
      maxBytes = Math.max(maxBytes, pub.bufferedBytes);
      release.shift()?.();
    }, 2);
    await done;
    clearInterval(pump);
    expect(maxBytes).toBeLessThanOrEqual(2000);
    expect(inFlight).toBe(0);
  });

  it("rejects the messages of a failed send with the error", async () => {
    const pub = new BatchingPublisher({ batchSizeBytes: 100_000, lingerMs: 0, bufferMemoryBytes: 1_000_000 }, async () => {
      throw new Error("broker said no");
    });
    await expect(pub.publish([msg("t", 1)])).rejects.toThrow("broker said no");
    expect(pub.bufferedBytes).toBe(0);
  });
});

describe("kafka dispatcher", () => {
  const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
  /** A Job whose deliveries report their outcome through deliver()'s promise (as a handler's ack/nack would). */
  const job = (j: { lane: string | undefined; redeliver: (h?: Readonly<Record<string, string>>) => unknown; deliver: () => Promise<Outcome> }): Job => {
    let last: Outcome | undefined;
    return {
      lane: j.lane,
      redeliver: (h) => void j.redeliver(h),
      deliver: () => j.deliver().then((o) => void (last = o)),
      outcome: (failure) => (failure ? { kind: "abandoned" } : last!),
    };
  };

  it("keeps one key in order, runs keys concurrently, within the concurrency limit", async () => {
    const d = new Dispatcher(3, 100);
    const log: string[] = [];
    let running = 0;
    let maxRunning = 0;
    for (let i = 0; i < 5; i++) {
      for (const key of ["a", "b", "c", "d"]) {
        d.submit(job({
          lane: key,
          redeliver: () => undefined,
          deliver: async (): Promise<Outcome> => {
            running++;
            maxRunning = Math.max(maxRunning, running);
            await sleep(Math.random() * 3);
            log.push(`${key}${i}`);
            running--;
            return { kind: "ack" };
          },
        }));
      }
    }
    for (let i = 0; i < 400 && d.size > 0; i++) await sleep(5);
    expect(d.size).toBe(0);
    for (const key of ["a", "b", "c", "d"]) expect(log.filter((l) => l[0] === key)).toEqual([0, 1, 2, 3, 4].map((i) => `${key}${i}`));
    expect(maxRunning).toBeLessThanOrEqual(3);
    expect(maxRunning).toBeGreaterThan(1);
  });

  it("reports no capacity at its bound (max_poll_records back-pressure) and wakes the fetch loop at half", async () => {
    const d = new Dispatcher(2, 4);
    const release: (() => void)[] = [];
    for (let i = 0; i < 4; i++) d.submit(job({ lane: undefined, redeliver: () => undefined, deliver: () => new Promise<Outcome>((r) => release.push(() => r({ kind: "ack" }))) }));
    expect(d.hasCapacity()).toBe(false);
    let woken = false;
    void d.waitForCapacity(60_000).then(() => (woken = true));
    release.shift()!();
    await sleep(5);
    expect(woken).toBe(false); // 3 left: above half
    release.shift()!();
    await sleep(5);
    expect(woken).toBe(true); // 2 left: half
    for (let i = 0; i < 10 && release.length + d.size > 0; i++) {
      release.shift()?.();
      await sleep(5);
    }
    expect(d.size).toBe(0);
  });

  it("redelivers a nacked job after its delay without blocking unordered jobs", async () => {
    const d = new Dispatcher(1, 100);
    const events: string[] = [];
    let first = true;
    d.submit(job({
      lane: undefined,
      redeliver: () => events.push("redeliver"),
      deliver: async (): Promise<Outcome> => {
        events.push("slow");
        if (first) {
          first = false;
          return { kind: "nack", delayMs: 50 };
        }
        return { kind: "ack" };
      },
    }));
    d.submit(job({ lane: undefined, redeliver: () => undefined, deliver: async () => (events.push("fast"), { kind: "ack" }) }));
    for (let i = 0; i < 100 && d.size > 0; i++) await sleep(5);
    expect(events).toEqual(["slow", "redeliver", "fast", "slow"]);
  });
});

describe("snappy codec", () => {
  it("round-trips and reads the Java client's xerial framing", () => {
    const data = Buffer.from("hypnoscript ".repeat(500));
    const block = snappyCompress(data);
    expect(block.length).toBeLessThan(data.length / 5);
    expect(snappyDecompress(block).equals(data)).toBe(true);
    // xerial: magic, version 1, compatible 1, then [int32 size][snappy block] chunks.
    const half = data.length / 2;
    const chunks = [snappyCompress(data.subarray(0, half)), snappyCompress(data.subarray(half))];
    const header = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0, 0, 0, 0, 1, 0, 0, 0, 1]);
    const framed = Buffer.concat([header, ...chunks.flatMap((c) => [Buffer.from([0, 0, (c.length >> 8) & 0xff, c.length & 0xff]), c])]);
    expect(snappyDecompress(framed).equals(data)).toBe(true);
  });
});

describe("kafka producer flush", () => {
  it("flush() with nothing buffered returns (regression: it once spun forever)", async () => {
    const pub = new BatchingPublisher({ batchSizeBytes: 1000, lingerMs: 5, bufferMemoryBytes: 10_000 }, async () => undefined);
    await pub.flush();
    await pub.publish([msg("t", 1)]);
    await pub.flush();
    expect(pub.bufferedBytes).toBe(0);
  });
});
