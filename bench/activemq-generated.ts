// ActiveMQ Artemis through generated code (bench/gen/activemq, from bench/throughput/activemq.hyp) against raw
// rhea (AMQP 1.0) with the same settings, same broker, same run. Both sides send to a MULTICAST address
// ("topic" capability) with one durable group queue, created by the adapter (`<topic>--hypc-bench`).
//  - publish: `producers.readingProducer.readingRecorded(payload)`, WINDOW calls in flight (the core builds and
//    validates the envelope, adds trace headers and makes one Transport.publish per event; the adapter sends
//    it durable and resolves on the broker's `accepted`) vs a raw rhea sender of the same message (same
//    envelope in one data section; message-id, correlation-id, subject = event type, group-id = the key,
//    content-type; the trace context as application properties; durable) sending WINDOW messages as credit
//    allows and waiting for every `accepted`;
//  - consume: the generated ReadingConsumer (concurrency 100 = link credit 100, one credit back per finished
//    handler; envelope parse, schema validation, retry/timeout/concurrency middlewares, typed handler, accept)
//    vs a raw receiver on the group queue (fully qualified name) with credit 100 that JSON.parses each body
//    (`parseRaw`), calls the handler, accepts and gives one credit back. Both drain a queue pre-filled by the
//    publish round; measured (rate and CPU) from the first message handled to the last.
// A warm-up round is not counted; then rounds alternate who goes first; each result is the median of the
// rounds. CPU per message: this process (client) and the Artemis JVM (broker). MESSAGES per round is 30,000
// (about a second per phase): at 8,000 a round lasted ~0.2 s and its rate was mostly start-up (the generated
// consumer connects and attaches anew each round): consume rounds ranged 0.48-1.31x, and the generated
// consumer's client CPU per message was 16 µs (raw 12) against 12 (raw 10) at 30,000.
// Usage: node dist/bench/activemq-generated.js   (HYPC_ACTIVEMQ_URL default tcp://127.0.0.1:61616, hypc/hypc)
import { randomUUID } from "node:crypto";
import rhea from "rhea";
import type { Connection, ConnectionOptions, EventContext, Sender } from "rhea";
import type { ActiveMqConfig, AdapterContext } from "@hypc/runtime";
import { createActiveMqTransport } from "@hypc/runtime/adapters/activemq/index";
import { fullyQualifiedQueue } from "@hypc/runtime/adapters/activemq/naming";
import { createMessaging, topology, type Messaging } from "./gen/activemq/index.js";
import { ConsumeClock, CpuMeter, EVENT_TYPE, findPid, parseRaw, rawEnvelope, reading, silentLogger, traceHeaders, type Reading, configured, GeneratedReadings, publishThroughGenerated, publishConsumeRounds, publishConsumeRows } from "./readings.js";
import type { Row } from "./row.js";

const URL_ = new URL(process.env.HYPC_ACTIVEMQ_URL ?? "tcp://127.0.0.1:61616");
const USER = process.env.ACTIVEMQ_USERNAME ?? "hypc";
const PASSWORD = process.env.ACTIVEMQ_PASSWORD ?? "hypc";
const MESSAGES = Number(process.env.HYPC_BENCH_ACTIVEMQ_GENERATED_MESSAGES ?? 30_000);
// 10 rounds: the broker makes single rounds range 0.70-1.15x (2026-11-27), so a median of 6 moved by ±0.05 from
// run to run.
const ROUNDS = Number(process.env.HYPC_BENCH_ACTIVEMQ_GENERATED_ROUNDS ?? 10);
const WINDOW = 1_000;
/** The generated consumer's link credit: its handler's concurrency in activemq.hyp. */
const CREDIT = topology.consumers[0]!.handlers[0]!.concurrency;
const TOPIC = topology.producers[0]!.routes[0]!.topic;
const GROUP = topology.consumers[0]!.groupId;
const RAW_TOPIC = `${TOPIC}-raw`;
const env = { ...process.env, HYPC_ACTIVEMQ_URL: URL_.href, ACTIVEMQ_USERNAME: USER, ACTIVEMQ_PASSWORD: PASSWORD };

const readings = new GeneratedReadings();
function messaging(consumers: readonly string[]): Messaging {
  return createMessaging({
    ...configured(env, consumers),
    handlers: {
      events: { ReadingHandler: readings.handler },
    },
  });
}

function rawConnect(): Promise<Connection> {
  // TCP_NODELAY as on the adapter's connections (rhea turns it on once a receiver is attached to a connection).
  const conn = rhea.create_container().connect({ host: URL_.hostname, port: Number(URL_.port || 61616), username: USER, password: PASSWORD, reconnect: false, tcp_no_delay: true } as ConnectionOptions); // not in rhea's types
  return new Promise((resolve, reject) => {
    conn.once("connection_open", () => resolve(conn));
    conn.once("connection_error", () => reject(new Error("raw connect failed")));
    conn.once("disconnected", (c: EventContext) => reject(c.error ?? new Error("disconnected")));
  });
}

function generatedPublish(m: Messaging): Promise<number> {
  return publishThroughGenerated(m, MESSAGES, WINDOW);
}

async function rawPublish(sender: Sender): Promise<number> {
  const started = performance.now();
  for (let sent = 0; sent < MESSAGES; sent += WINDOW) {
    const n = Math.min(WINDOW, MESSAGES - sent);
    await new Promise<void>((resolve, reject) => {
      let accepted = 0;
      let queued = 0;
      const onAccepted = (): void => {
        if (++accepted === n) {
          sender.off("accepted", onAccepted);
          sender.off("rejected", onRefused);
          resolve();
        }
      };
      const onRefused = (): void => reject(new Error("raw publish: the broker refused a message"));
      sender.on("accepted", onAccepted);
      sender.on("rejected", onRefused);
      const pump = (): void => {
        while (queued < n && sender.sendable()) {
          const payload = reading(sent + queued++);
          const id = randomUUID();
          sender.send({
            message_id: id,
            correlation_id: id,
            subject: EVENT_TYPE,
            group_id: payload.reading_id,
            durable: true,
            content_type: "application/json",
            application_properties: traceHeaders(),
            body: rhea.message.data_section(rawEnvelope(payload)),
          });
        }
        if (queued < n) sender.once("sendable", pump);
      };
      pump();
    });
  }
  return MESSAGES / ((performance.now() - started) / 1000);
}

function generatedConsume(cpu: CpuMeter): Promise<number> {
  return readings.consume(() => messaging(["ReadingConsumer"]), new ConsumeClock(MESSAGES, cpu));
}

async function rawConsume(conn: Connection, cpu: CpuMeter): Promise<number> {
  const clock = new ConsumeClock(MESSAGES, cpu);
  const handler = async (event: { payload: Reading }): Promise<void> => {
    if (event.payload.value < 0) throw new Error("unreachable");
  };
  const receiver = conn.open_receiver({ source: { address: fullyQualifiedQueue(RAW_TOPIC, GROUP), capabilities: ["topic"], durable: 2, expiry_policy: "never" }, credit_window: 0, autoaccept: false });
  receiver.on("message", (c: EventContext) => {
    const body = c.message?.body as { content: Buffer };
    void handler(parseRaw(body.content)).then(() => {
      c.delivery?.accept();
      receiver.add_credit(1);
      clock.tick();
    });
  });
  receiver.once("receiver_open", () => receiver.add_credit(CREDIT));
  await clock.done;
  await new Promise<void>((resolve) => {
    receiver.once("receiver_close", () => resolve());
    receiver.close();
  });
  return clock.perSecond();
}

/** The group queues of both sides, created by the adapter so they are the same kind of queue. */
async function declareQueues(): Promise<void> {
  const ctx = { env, logger: silentLogger, resolve: (_value: unknown, keyPath: string) => (keyPath.endsWith("password") ? PASSWORD : USER), guarantees: topology.guarantees, topology: { ...topology, consumers: [], pubSub: [] } } as unknown as AdapterContext;
  const t = createActiveMqTransport(topology.messaging.activemq as ActiveMqConfig, ctx);
  await t.connect();
  for (const topic of [TOPIC, RAW_TOPIC]) await (await t.subscribe({ group: GROUP, topics: [topic], concurrency: 1 }, async () => undefined)).close();
  await t.close();
}

/** Accepts whatever an interrupted run left in a group queue (would end a consume round early). */
async function drain(conn: Connection, topic: string): Promise<void> {
  const receiver = conn.open_receiver({ source: { address: fullyQualifiedQueue(topic, GROUP), capabilities: ["topic"], durable: 2, expiry_policy: "never" }, credit_window: 500 });
  let idle: NodeJS.Timeout | undefined;
  await new Promise<void>((resolve) => {
    const quiet = (): void => {
      clearTimeout(idle);
      idle = setTimeout(resolve, 300);
    };
    receiver.on("message", quiet);
    receiver.once("receiver_open", quiet);
  });
  receiver.close();
}

export async function generatedVsRaw(): Promise<Row[]> {
  await declareQueues().catch((e: unknown) => {
    throw new Error(`Artemis not reachable at ${URL_.href}: ${(e as Error).message}`);
  });
  const conn = await rawConnect();
  for (const topic of [TOPIC, RAW_TOPIC]) await drain(conn, topic);
  const producer = messaging([]);
  await producer.start();
  const sender = conn.open_sender({ target: { address: RAW_TOPIC, capabilities: ["topic"] } });
  await new Promise<void>((r) => sender.once("sender_open", () => r()));
  const brokerPid = findPid(/org\.apache\.activemq\.artemis\.boot\.Artemis/);
  try {
    const results = await publishConsumeRounds(ROUNDS, MESSAGES, brokerPid, {
      publishGenerated: () => generatedPublish(producer),
      publishRaw: () => rawPublish(sender),
      consumeGenerated: generatedConsume,
      consumeRaw: (cpu) => rawConsume(conn, cpu),
    }, true);
    return publishConsumeRows(results, {
      prefix: "Artemis ",
      publish: `Artemis publish through generated code, durable + accepted, ${WINDOW} in flight (${MESSAGES} events, median of ${ROUNDS})`,
      consume: `Artemis consume through generated code, accept, credit ${CREDIT} (${MESSAGES} events, median of ${ROUNDS})`,
      client: "rhea",
    });
  } finally {
    await producer.stop();
    sender.close();
    conn.close();
  }
}

if (process.argv[1]?.endsWith("activemq-generated.js")) {
  for (const row of await generatedVsRaw()) console.log(`${row.name}: ${row.value.toFixed(row.unit === "msg/s" ? 0 : 3)} ${row.unit}${row.target ? ` (target ${row.target}: ${row.ok ? "ok" : "NOT MET"})` : ""}${row.note ? ` ${row.note}` : ""}`);
  process.exit(0);
}
