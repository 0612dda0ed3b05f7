// The ONE behavioural contract of runtime/src/transport.ts, run against every adapter (embedded, Kafka,
// RabbitMQ, SQS/SNS, ActiveMQ). An adapter is done when this suite passes against a real broker.
//
// Usage (in <adapter>/conformance.test.ts):
//   describeTransportConformance("rabbitmq", async () => createRabbitMqTransport(cfg, ctx), {
//     skip: brokerReachable ? false : "RabbitMQ not reachable at 127.0.0.1:5672",
//     timeScale: 2,
//   });
//
// Rules the suite relies on (documented in transport.ts):
//  - `factory()` returns a NEW, not yet connected Transport; every transport it returns talks to the SAME broker
//    (the embedded adapter shares one EmbeddedBroker between them), because crash recovery is tested by closing one
//    transport and subscribing from another.
//  - `subscribe()` resolves once the subscription is active: messages published afterwards are delivered to it.
//  - A handler that resolves without calling ack()/nack() simulates a crash: the message stays unacknowledged and
//    is redelivered to the group once the subscription (or the transport) is closed.
//  - Every test uses unique topic and group names, so runs may share a broker with other people's runs.
//
// `opts.skip` (a reason) skips the suite, printing the reason — except when HYPC_REQUIRE_BROKERS=1, where a
// missing broker must FAIL (CI). `opts.timeScale` multiplies every wait (slow brokers: SQS long polling…).
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { TransportError } from "../../src/errors.js";
import type { OutgoingMessage, ReceivedMessage, Subscription, Transport } from "../../src/transport.js";

export interface ConformanceOptions {
  readonly skip?: string | false;
  readonly timeScale?: number;
}

interface Seen {
  readonly id: string;
  readonly key: string | undefined;
  readonly body: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly deliveryCount: number;
  readonly at: number;
  readonly who: string;
}

export function describeTransportConformance(
  name: string,
  factory: () => Promise<Transport>,
  opts: ConformanceOptions = {},
): void {
  const scale = opts.timeScale ?? 1;
  const wait = (ms: number): number => Math.round(ms * scale);
  const testTimeout = wait(30_000);
  const skipReason = opts.skip === undefined || opts.skip === false ? undefined : opts.skip;

  if (skipReason !== undefined) {
    if (process.env.HYPC_REQUIRE_BROKERS === "1") {
      describe(`transport conformance: ${name}`, () => {
        it("requires its broker (HYPC_REQUIRE_BROKERS=1)", () => {
          throw new Error(`broker required but not available: ${skipReason}`);
        });
      });
    } else {
      console.warn(`[conformance] ${name} skipped: ${skipReason} (set HYPC_REQUIRE_BROKERS=1 to make this fail)`);
      describe.skip(`transport conformance: ${name} (skipped: ${skipReason})`, () => {
        it("skipped", () => undefined);
      });
    }
    return;
  }

  describe(`transport conformance: ${name}`, () => {
    const runId = `hypc-conf-${Date.now().toString(36)}-${randomUUID().slice(0, 8)}`;
    let counter = 0;
    const unique = (what: string): string => `${runId}-${what}-${++counter}`;
    const opened: Transport[] = [];
    const subscriptions: Subscription[] = [];

    const open = async (): Promise<Transport> => {
      const transport = await factory();
      await transport.connect();
      opened.push(transport);
      return transport;
    };
    const track = (s: Subscription): Subscription => {
      subscriptions.push(s);
      return s;
    };

    afterEach(async () => {
      for (const s of subscriptions.splice(0)) await s.close().catch(() => undefined);
      for (const t of opened.splice(0)) await t.close().catch(() => undefined);
    });

    const message = (topic: string, n: number, key?: string, headers: Record<string, string> = {}): OutgoingMessage => ({
      topic,
      ...(key === undefined ? {} : { key }),
      body: Buffer.from(JSON.stringify({ n, key: key ?? null })),
      headers: { "x-test-n": String(n), ...headers },
      id: randomUUID(),
    });

    const record = (m: ReceivedMessage, who = "a"): Seen => ({
      id: m.id,
      key: m.key,
      body: m.body.toString("utf8"),
      headers: { ...m.headers },
      deliveryCount: m.deliveryCount,
      at: Date.now(),
      who,
    });

    /** Polls until `done()` holds, or fails naming what it waited for. */
    const until = async (what: string, done: () => boolean, ms = 10_000): Promise<void> => {
      const deadline = Date.now() + wait(ms);
      while (!done()) {
        if (Date.now() > deadline) throw new Error(`timed out after ${wait(ms)} ms waiting for ${what}`);
        await sleep(10);
      }
    };

    it("publishes and receives a message with its key, headers, id and body", { timeout: testTimeout }, async () => {
      const t = await open();
      const topic = unique("roundtrip");
      await t.ensureTopics([{ name: topic, partitions: 3 }]);
      const seen: Seen[] = [];
      track(await t.subscribe({ group: unique("g"), topics: [topic], concurrency: 4 }, async (m) => {
        seen.push(record(m));
        await m.ack();
      }));
      const out = message(topic, 1, "user-42", { "x-trace-id": "trace-1", "x-correlation-id": "corr-1" });
      await t.publish([out]);
      await until("one message", () => seen.length >= 1);
      const got = seen[0]!;
      expect(got.id).toBe(out.id);
      expect(got.key).toBe("user-42");
      expect(got.body).toBe(out.body.toString("utf8"));
      expect(got.headers["x-trace-id"]).toBe("trace-1");
      expect(got.headers["x-correlation-id"]).toBe("corr-1");
      expect(got.headers["x-test-n"]).toBe("1");
      expect(got.deliveryCount).toBe(1);
      await sleep(wait(300));
      expect(seen).toHaveLength(1); // acked: not redelivered
    });

    it("keeps the order of messages with the same key (orderedByKey) while handling keys concurrently", { timeout: testTimeout }, async () => {
      const t = await open();
      const topic = unique("order");
      await t.ensureTopics([{ name: topic, partitions: 3 }]);
      const keys = ["k-a", "k-b", "k-c", "k-d"];
      const perKey = 15;
      const received = new Map<string, number[]>();
      let inFlightPerKey = new Map<string, number>();
      let overlapSameKey = false;
      track(await t.subscribe({ group: unique("g"), topics: [topic], concurrency: 8, orderedByKey: true }, async (m) => {
        const key = m.key ?? "";
        const now = (inFlightPerKey.get(key) ?? 0) + 1;
        inFlightPerKey.set(key, now);
        if (now > 1) overlapSameKey = true;
        await sleep(Math.floor(Math.random() * 4));
        const n = (JSON.parse(m.body.toString("utf8")) as { n: number }).n;
        received.set(key, [...(received.get(key) ?? []), n]);
        inFlightPerKey.set(key, (inFlightPerKey.get(key) ?? 1) - 1);
        await m.ack();
      }));
      const batch: OutgoingMessage[] = [];
      for (let i = 0; i < perKey; i++) for (const k of keys) batch.push(message(topic, i, k));
      await t.publish(batch);
      await until("all ordered messages", () => [...received.values()].reduce((s, l) => s + l.length, 0) >= keys.length * perKey);
      for (const k of keys) expect(received.get(k)).toEqual(Array.from({ length: perKey }, (_, i) => i));
      expect(overlapSameKey).toBe(false);
      inFlightPerKey = new Map();
    });

    it("shares a group's messages between competing consumers, each message once", { timeout: testTimeout }, async () => {
      const t1 = await open();
      const t2 = await open();
      const topic = unique("compete");
      const group = unique("g");
      await t1.ensureTopics([{ name: topic, partitions: 4 }]);
      const seen: Seen[] = [];
      const handler = (who: string) => async (m: ReceivedMessage) => {
        seen.push(record(m, who));
        await m.ack();
      };
      track(await t1.subscribe({ group, topics: [topic], concurrency: 4 }, handler("one")));
      track(await t2.subscribe({ group, topics: [topic], concurrency: 4 }, handler("two")));
      const batch = Array.from({ length: 40 }, (_, i) => message(topic, i, `key-${i % 8}`));
      await t1.publish(batch);
      await until("40 messages in the group", () => new Set(seen.map((s) => s.id)).size >= 40);
      await sleep(wait(500));
      const ids = seen.map((s) => s.id);
      expect(new Set(ids).size).toBe(40);
      expect(ids).toHaveLength(40); // nobody got a message twice
      expect(new Set(ids)).toEqual(new Set(batch.map((b) => b.id)));
    });

    it("fans every message out to every group", { timeout: testTimeout }, async () => {
      const t = await open();
      const topic = unique("fanout");
      await t.ensureTopics([{ name: topic, partitions: 2 }]);
      const groups = [unique("g"), unique("g"), unique("g")];
      const seen = new Map<string, Seen[]>(groups.map((g) => [g, []]));
      for (const group of groups) {
        track(await t.subscribe({ group, topics: [topic], concurrency: 2 }, async (m) => {
          seen.get(group)!.push(record(m, group));
          await m.ack();
        }));
      }
      const batch = Array.from({ length: 10 }, (_, i) => message(topic, i, `key-${i % 3}`));
      await t.publish(batch);
      await until("every group to get all 10", () => groups.every((g) => seen.get(g)!.length >= 10));
      for (const g of groups) expect(new Set(seen.get(g)!.map((s) => s.id))).toEqual(new Set(batch.map((b) => b.id)));
    });

    it("redelivers after nack, with a growing deliveryCount", { timeout: testTimeout }, async () => {
      const t = await open();
      const topic = unique("nack");
      await t.ensureTopics([{ name: topic, partitions: 1 }]);
      const seen: Seen[] = [];
      track(await t.subscribe({ group: unique("g"), topics: [topic], concurrency: 1 }, async (m) => {
        seen.push(record(m));
        if (seen.length < 3) await m.nack();
        else await m.ack();
      }));
      const out = message(topic, 1, "k");
      await t.publish([out]);
      await until("three deliveries", () => seen.length >= 3);
      await sleep(wait(300));
      expect(seen).toHaveLength(3);
      expect(seen.every((s) => s.id === out.id)).toBe(true);
      expect(seen[0]!.deliveryCount).toBe(1);
      expect(seen[1]!.deliveryCount).toBeGreaterThan(seen[0]!.deliveryCount);
      expect(seen[2]!.deliveryCount).toBeGreaterThan(seen[1]!.deliveryCount);
    });

    it("redelivers a nack with delayMs no earlier than the delay, without blocking other keys", { timeout: testTimeout }, async () => {
      const t = await open();
      const topic = unique("delay");
      await t.ensureTopics([{ name: topic, partitions: 1 }]);
      const delayMs = wait(800);
      const seen: Seen[] = [];
      let nacked = false;
      // Not orderedByKey: with one partition a broker may have to hold the partition for an ordered key.
      track(await t.subscribe({ group: unique("g"), topics: [topic], concurrency: 4 }, async (m) => {
        seen.push(record(m));
        if (m.key === "slow" && !nacked) {
          nacked = true;
          await m.nack({ delayMs });
        } else {
          await m.ack();
        }
      }));
      const slow = message(topic, 0, "slow");
      const fast = Array.from({ length: 3 }, (_, i) => message(topic, i + 1, "fast"));
      await t.publish([slow]);
      await until("the first delivery", () => seen.length >= 1);
      await t.publish(fast);
      await until("the delayed redelivery", () => seen.filter((s) => s.id === slow.id).length >= 2, 20_000);
      const [first, second] = seen.filter((s) => s.id === slow.id);
      expect(second!.at - first!.at).toBeGreaterThanOrEqual(delayMs - 25); // timer granularity
      // The other key was handled while "slow" waited.
      const fastDone = seen.filter((s) => s.key === "fast").map((s) => s.at);
      expect(fastDone).toHaveLength(3);
      expect(Math.max(...fastDone)).toBeLessThan(second!.at);
    });

    it("redelivers to a new subscriber of the group after a subscription closes without ack", { timeout: testTimeout }, async () => {
      const t = await open();
      const topic = unique("crash-sub");
      const group = unique("g");
      await t.ensureTopics([{ name: topic, partitions: 1 }]);
      const first: Seen[] = [];
      const sub = await t.subscribe({ group, topics: [topic], concurrency: 1 }, async (m) => {
        first.push(record(m)); // "crash": neither ack nor nack
      });
      const out = message(topic, 1, "k");
      await t.publish([out]);
      await until("the first delivery", () => first.length >= 1);
      await sub.close();
      const second: Seen[] = [];
      track(await t.subscribe({ group, topics: [topic], concurrency: 1 }, async (m) => {
        second.push(record(m));
        await m.ack();
      }));
      await until("the redelivery", () => second.length >= 1);
      expect(second[0]!.id).toBe(out.id);
      expect(second[0]!.deliveryCount).toBeGreaterThan(first[0]!.deliveryCount);
    });

    it("redelivers to another transport's subscriber after a transport closes without ack", { timeout: testTimeout }, async () => {
      const t1 = await open();
      const topic = unique("crash-transport");
      const group = unique("g");
      await t1.ensureTopics([{ name: topic, partitions: 1 }]);
      const first: Seen[] = [];
      await t1.subscribe({ group, topics: [topic], concurrency: 1 }, async (m) => {
        first.push(record(m));
      });
      const out = message(topic, 1, "k");
      await t1.publish([out]);
      await until("the first delivery", () => first.length >= 1);
      await t1.close();
      const t2 = await open();
      const second: Seen[] = [];
      track(await t2.subscribe({ group, topics: [topic], concurrency: 1 }, async (m) => {
        second.push(record(m));
        await m.ack();
      }));
      await until("the redelivery on the other transport", () => second.length >= 1, 20_000);
      expect(second[0]!.id).toBe(out.id);
      expect(second[0]!.body).toBe(out.body.toString("utf8"));
    });

    it("does request-reply over publish/subscribe with correlation headers and an exclusive reply subscription", { timeout: testTimeout }, async () => {
      const server = await open();
      const client = await open();
      const requests = unique("requests");
      const replies = unique("replies");
      await server.ensureTopics([{ name: requests, partitions: 2 }, { name: replies, partitions: 1 }]);
      track(await server.subscribe({ group: unique("server"), topics: [requests], concurrency: 4 }, async (m) => {
        const { n } = JSON.parse(m.body.toString("utf8")) as { n: number };
        await server.publish([{
          topic: m.headers["x-reply-to"]!,
          body: Buffer.from(JSON.stringify({ n, doubled: n * 2 })),
          headers: { "x-correlation-id": m.headers["x-correlation-id"]! },
          id: randomUUID(),
        }]);
        await m.ack();
      }));
      const pending = new Map<string, (body: { n: number; doubled: number }) => void>();
      const replyGroup = unique("reply");
      track(await client.subscribe({ group: replyGroup, topics: [replies], concurrency: 16, exclusive: true, startFrom: "latest" }, async (m) => {
        const resolve = pending.get(m.headers["x-correlation-id"] ?? "");
        pending.delete(m.headers["x-correlation-id"] ?? "");
        resolve?.(JSON.parse(m.body.toString("utf8")) as { n: number; doubled: number });
        await m.ack();
      }));
      const ask = (n: number): Promise<{ n: number; doubled: number }> => {
        const correlationId = randomUUID();
        const answer = new Promise<{ n: number; doubled: number }>((resolve) => pending.set(correlationId, resolve));
        return client
          .publish([message(requests, n, `req-${n}`, { "x-correlation-id": correlationId, "x-reply-to": replies })])
          .then(() => withTimeout(answer, wait(10_000), `reply ${n}`));
      };
      const answers = await Promise.all([1, 2, 3, 4, 5].map(ask));
      expect(answers).toEqual([1, 2, 3, 4, 5].map((n) => ({ n, doubled: n * 2 })));
      // Exclusive: another subscriber with the same group name does not compete for replies.
      const other: Seen[] = [];
      track(await client.subscribe({ group: replyGroup, topics: [replies], concurrency: 1, exclusive: true, startFrom: "latest" }, async (m) => {
        other.push(record(m));
        await m.ack();
      }));
      const more = await Promise.all([6, 7].map(ask));
      expect(more.map((a) => a.doubled)).toEqual([12, 14]);
      await until("the second exclusive subscriber to see both replies", () => other.length >= 2);
    });

    it("closes gracefully: in-flight handlers finish and are acked before close resolves; nothing is lost", { timeout: testTimeout }, async () => {
      const t1 = await open();
      const topic = unique("graceful");
      const group = unique("g");
      await t1.ensureTopics([{ name: topic, partitions: 2 }]);
      const batch = Array.from({ length: 20 }, (_, i) => message(topic, i, `key-${i % 4}`));
      const acked = new Set<string>();
      let started = 0;
      let finishedAfterClose = 0;
      let closed = false;
      const sub = await t1.subscribe({ group, topics: [topic], concurrency: 2 }, async (m) => {
        started++;
        await sleep(wait(150));
        await m.ack();
        acked.add(m.id);
        if (closed) finishedAfterClose++;
      });
      await t1.publish(batch);
      await until("a few handlers to start", () => started >= 3);
      const startedAtClose = started;
      await sub.close();
      closed = true;
      expect(acked.size).toBe(startedAtClose); // every started handler finished and acked before close resolved
      expect(finishedAfterClose).toBe(0);
      const t2 = await open();
      const rest: Seen[] = [];
      track(await t2.subscribe({ group, topics: [topic], concurrency: 8 }, async (m) => {
        rest.push(record(m));
        await m.ack();
      }));
      await until("the remaining messages", () => acked.size + new Set(rest.map((r) => r.id)).size >= 20, 20_000);
      await sleep(wait(300));
      const all = new Set([...acked, ...rest.map((r) => r.id)]);
      expect(all).toEqual(new Set(batch.map((b) => b.id)));
      expect(rest.filter((r) => acked.has(r.id))).toEqual([]); // acked before close: committed, never redelivered
    });

    it("ensureTopics is idempotent", { timeout: testTimeout }, async () => {
      const t = await open();
      const topics = [{ name: unique("ensure"), partitions: 2 }, { name: unique("ensure"), partitions: 1, retentionSeconds: 3600 }];
      await t.ensureTopics(topics);
      await t.ensureTopics(topics);
      await t.ensureTopics([topics[0]!]);
      const seen: Seen[] = [];
      track(await t.subscribe({ group: unique("g"), topics: topics.map((x) => x.name), concurrency: 2 }, async (m) => {
        seen.push(record(m));
        await m.ack();
      }));
      await t.publish([message(topics[0]!.name, 1, "a"), message(topics[1]!.name, 2, "b")]);
      await until("a message on each topic", () => seen.length >= 2);
      expect(new Set(seen.map((s) => JSON.parse(s.body).n))).toEqual(new Set([1, 2]));
    });

    it("rejects a publish after close with a non-retriable TransportError, returned, not thrown", { timeout: testTimeout }, async () => {
      const t = await open();
      await t.close();
      let outcome: Promise<void> | undefined;
      expect(() => (outcome = t.publish([message(unique("closed"), 1)]))).not.toThrow();
      const error = await outcome!.then(() => undefined, (e: unknown) => e);
      expect(error).toBeInstanceOf(TransportError);
      expect((error as TransportError).retriable).toBe(false);
    });
  });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
