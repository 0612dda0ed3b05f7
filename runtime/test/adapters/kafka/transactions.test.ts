// exactly_once.transactional (the seed's setting): what a handler publishes is committed in one Kafka
// transaction with the consumed offset when it acks; read_committed readers never see output of a nacked
// delivery, and see each output once.
import { randomUUID } from "node:crypto";
import kafkajs from "kafkajs";
import { afterAll, describe, expect, it } from "vitest";
import { createKafkaTransport } from "../../../src/adapters/kafka/index.js";
import type { ReceivedMessage, Subscription, Transport } from "../../../src/transport.js";
import { BOOTSTRAP, kafkaSkip, seedGuarantees, seedKafkaConfig, testContext } from "./support.js";

const skip = await kafkaSkip();
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.skipIf(skip !== false)("kafka exactly_once.transactional consume-transform-produce", () => {
  const opened: Transport[] = [];
  const subs: Subscription[] = [];
  afterAll(async () => {
    for (const s of subs) await s.close();
    for (const t of opened) await t.close();
  });
  const open = async (): Promise<Transport> => {
    const t = createKafkaTransport(seedKafkaConfig({ consumer: { session_timeout_ms: 6000, heartbeat_interval_ms: 500 } }), testContext({ guarantees: seedGuarantees() }));
    await t.connect();
    opened.push(t);
    return t;
  };

  it("commits outputs with the input offset; a nack discards them; outputs are invisible until ack", { timeout: 90_000 }, async () => {
    const run = randomUUID().slice(0, 8);
    const input = `hypc-tx-in-${run}`;
    const output = `hypc-tx-out-${run}`;
    const group = `hypc-tx-g-${run}`;
    const t = await open();
    await t.ensureTopics([{ name: input, partitions: 2 }, { name: output, partitions: 1 }]);

    const outputs: ReceivedMessage[] = [];
    const reader = await open();
    subs.push(await reader.subscribe({ group: `${group}-reader`, topics: [output], concurrency: 1 }, async (m) => {
      outputs.push(m);
      await m.ack();
    }));

    let nacked = 0;
    let holding = false;
    subs.push(await t.subscribe({ group, topics: [input], concurrency: 4 }, async (m) => {
      const { n } = JSON.parse(m.body.toString()) as { n: number };
      await t.publish([{ topic: output, key: m.key, body: Buffer.from(JSON.stringify({ n, doubled: n * 2, attempt: m.deliveryCount })), headers: {}, id: `out-${n}-${m.deliveryCount}` }]);
      if (n % 5 === 0 && m.deliveryCount === 1) {
        nacked++;
        await m.nack();
        return;
      }
      if (n === 7) {
        holding = true;
        await sleep(1500); // output published but not committed yet
        holding = false;
      }
      await m.ack();
    }));

    const total = 20;
    await t.publish(Array.from({ length: total }, (_, n) => ({ topic: input, key: `k-${n % 4}`, body: Buffer.from(JSON.stringify({ n })), headers: {}, id: `in-${n}` })));
    // While n=7 holds its transaction open, its output must not be visible.
    const deadline = Date.now() + 30_000;
    while (!holding && Date.now() < deadline) await sleep(10);
    await sleep(500);
    expect(outputs.some((o) => JSON.parse(o.body.toString()).n === 7)).toBe(false);

    while (outputs.length < total && Date.now() < deadline) await sleep(20);
    await sleep(1000);
    const ns = outputs.map((o) => JSON.parse(o.body.toString()) as { n: number; attempt: number });
    expect(ns.map((o) => o.n).sort((a, b) => a - b)).toEqual(Array.from({ length: total }, (_, n) => n)); // each once
    expect(nacked).toBe(4);
    for (const o of ns) expect(o.attempt).toBe(o.n % 5 === 0 ? 2 : 1); // the nacked attempt's output never appeared

    // The input offsets were committed by the transactions (sendOffsets), not by a plain commit.
    const admin = new kafkajs.Kafka({ brokers: BOOTSTRAP.split(","), logLevel: kafkajs.logLevel.NOTHING }).admin();
    await admin.connect();
    try {
      const committed = await admin.fetchOffsets({ groupId: group, topics: [input] });
      const ends = await admin.fetchTopicOffsets(input);
      const sum = (xs: { offset: string }[]) => xs.reduce((s, x) => s + Number(x.offset), 0);
      expect(sum(committed[0]!.partitions)).toBe(total);
      // The input was written outside a transaction (no markers): its end offsets count the messages.
      expect(sum(ends)).toBe(total);
    } finally {
      await admin.disconnect();
    }
  });
});
