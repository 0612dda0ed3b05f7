// ActiveMQ adapter vs raw rhea (AMQP 1.0), same Artemis, same run, same settings (durable messages, broker
// confirms awaited, one MULTICAST address with one durable group queue opened by FQQN, manual accepts):
//  - publish: calls of 1,000 messages (adapter.publish(batch) vs raw sender.send x1,000 + every "accepted");
//  - consume: a pre-filled group queue drained with accepts, credit 100 (adapter: concurrency 100).
// One uncounted warm-up round, then the median of 6 rounds of 30,000 messages, alternating who goes first: with
// 8,000 per round and no warm-up, rounds measured mostly start-up, and the medians moved between 0.78x and 1.02x
// from run to run (2026-11-27). Target (issue 7): adapter >= 0.9x raw.
// Usage: node dist/bench/activemq.js   (HYPC_ACTIVEMQ_URL default tcp://127.0.0.1:61616, user/password hypc;
// scripts/brokers/artemis.sh start)
import { randomUUID } from "node:crypto";
import rhea from "rhea";
import type { Connection, EventContext } from "rhea";
import type { ActiveMqConfig, AdapterContext, OutgoingMessage, Transport } from "@hypc/runtime";
import { createActiveMqTransport } from "@hypc/runtime/adapters/activemq/index";
import { generatedVsRaw } from "./activemq-generated.js";
import { roundRatios } from "./readings.js";
import type { Row } from "./row.js";
import { median } from "./stats.js";

const URL_ = new URL(process.env.HYPC_ACTIVEMQ_URL ?? "tcp://127.0.0.1:61616");
const USER = process.env.ACTIVEMQ_USERNAME ?? "hypc";
const PASSWORD = process.env.ACTIVEMQ_PASSWORD ?? "hypc";
const MESSAGES = Number(process.env.HYPC_BENCH_ACTIVEMQ_MESSAGES ?? 30_000);
const CALL = 1_000;
const CREDIT = 100;
const ROUNDS = 6;
const BODY = Buffer.alloc(300, 120);
const runId = `hypc-bench-${randomUUID().slice(0, 8)}`;

const config: ActiveMqConfig = {
  broker_url: URL_.href,
  username: USER,
  password: PASSWORD,
  connection: { max_connections: 50, connection_timeout: 30_000, idle_timeout: 300_000, keep_alive: true },
  session_pool: { max_sessions: 200, session_timeout: 60_000 },
};
const silent = { debug() {}, info() {}, warn() {}, error() {} };
const ctx = {
  env: {},
  logger: silent,
  resolve: (v: unknown) => String(v),
  guarantees: { message_ordering: { enabled: false } },
  topology: { consumers: [], pubSub: [] },
} as unknown as AdapterContext;

const message = (topic: string, i: number): OutgoingMessage => ({ topic, key: `k-${i % 16}`, body: BODY, headers: { "x-trace-id": `t-${i}` }, id: randomUUID() });

function rawConnect(): Promise<Connection> {
  const conn = rhea.create_container().connect({ host: URL_.hostname, port: Number(URL_.port || 61616), username: USER, password: PASSWORD, reconnect: false });
  return new Promise((resolve, reject) => {
    conn.once("connection_open", () => resolve(conn));
    conn.once("connection_error", () => reject(new Error("raw connect failed")));
    conn.once("disconnected", (c: EventContext) => reject(c.error ?? new Error("disconnected")));
  });
}

async function rawPublish(conn: Connection, topic: string, count: number): Promise<void> {
  const sender = conn.open_sender({ target: { address: topic, capabilities: ["topic"] } });
  await new Promise<void>((r) => sender.once("sender_open", () => r()));
  for (let i = 0; i < count; i += CALL) {
    const n = Math.min(CALL, count - i);
    await new Promise<void>((resolve) => {
      let accepted = 0;
      const onAccepted = (): void => {
        if (++accepted === n) {
          sender.off("accepted", onAccepted);
          resolve();
        }
      };
      sender.on("accepted", onAccepted);
      let sent = 0;
      const pump = (): void => {
        while (sent < n && sender.sendable()) {
          const m = message(topic, i + sent);
          sender.send({ message_id: m.id, durable: true, group_id: m.key, application_properties: m.headers, body: rhea.message.data_section(m.body) });
          sent++;
        }
        if (sent < n) sender.once("sendable", pump);
      };
      pump();
    });
  }
  sender.close();
}

/** Both drains are timed from the first message to the last (attach and connection set-up excluded). */
async function rawDrain(conn: Connection, topic: string, group: string, count: number): Promise<number> {
  const receiver = conn.open_receiver({ source: { address: `${topic}::${topic}--${group}`, capabilities: ["topic"], durable: 2, expiry_policy: "never" }, credit_window: 0, autoaccept: false });
  let first = 0;
  let last = 0;
  await new Promise<void>((resolve) => {
    let got = 0;
    receiver.on("message", (c: EventContext) => {
      if (got === 0) first = performance.now();
      c.delivery?.accept();
      receiver.add_credit(1);
      if (++got === count) {
        last = performance.now();
        resolve();
      }
    });
    receiver.once("receiver_open", () => receiver.add_credit(CREDIT));
  });
  receiver.close();
  return count / ((last - first) / 1000);
}

async function adapterDrain(t: Transport, topic: string, group: string, count: number): Promise<number> {
  let got = 0;
  let first = 0;
  let last = 0;
  let done!: () => void;
  const finished = new Promise<void>((r) => (done = r));
  const sub = await t.subscribe({ group, topics: [topic], concurrency: CREDIT }, async (m) => {
    if (got === 0) first = performance.now();
    await m.ack();
    if (++got === count) {
      last = performance.now();
      done();
    }
  });
  await finished;
  await sub.close();
  return count / ((last - first) / 1000);
}

export async function run(): Promise<Row[]> {
  const t = createActiveMqTransport(config, ctx);
  await t.connect();
  const conn = await rawConnect();
  const results = () => ({ pub: { adapter: [] as number[], raw: [] as number[] }, con: { adapter: [] as number[], raw: [] as number[] } });
  const counted = results();
  try {
    for (let round = -1; round < ROUNDS; round++) {
      // Round -1 warms up both sides (JIT, connections, the broker's journal) and is not counted.
      const { pub, con } = round < 0 ? results() : counted;
      const topic = `${runId}-r${round + 1}`;
      const group = "bench";
      // Create the group queue first (attach + detach), so both publishers' messages land in it.
      await (await t.subscribe({ group, topics: [topic], concurrency: 1 }, async () => undefined)).close();

      // Alternate who goes first, so neither side always meets a warmer JIT or a fuller journal.
      const adapterSide = async (): Promise<void> => {
        const t0 = performance.now();
        for (let i = 0; i < MESSAGES; i += CALL) await t.publish(Array.from({ length: CALL }, (_, j) => message(topic, i + j)));
        pub.adapter.push(MESSAGES / ((performance.now() - t0) / 1000));
        con.adapter.push(await adapterDrain(t, topic, group, MESSAGES));
      };
      const rawSide = async (): Promise<void> => {
        const t0 = performance.now();
        await rawPublish(conn, topic, MESSAGES);
        pub.raw.push(MESSAGES / ((performance.now() - t0) / 1000));
        con.raw.push(await rawDrain(conn, topic, group, MESSAGES));
      };
      if (round % 2 !== 0) {
        await adapterSide();
        await rawSide();
      } else {
        await rawSide();
        await adapterSide();
      }
    }
  } finally {
    await t.close();
    conn.close();
  }
  const rows: Row[] = [];
  for (const [what, r] of [["publish durable + confirmed (calls of 1,000)", counted.pub], ["consume + accept (credit 100)", counted.con]] as const) {
    const a = median(r.adapter);
    const b = median(r.raw);
    rows.push({ name: `Artemis ${what}: adapter`, value: a, unit: "msg/s" });
    rows.push({ name: `Artemis ${what}: raw rhea`, value: b, unit: "msg/s" });
    rows.push({ name: `Artemis ${what}: adapter / raw`, value: a / b, unit: "x", target: ">= 0.9", ok: a / b >= 0.9, note: roundRatios(r.adapter, r.raw) });
  }
  // Issue 7's targets: the same comparisons through generated code (bench/gen/activemq).
  rows.push(...(await generatedVsRaw()));
  return rows;
}
