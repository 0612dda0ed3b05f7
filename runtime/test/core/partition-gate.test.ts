// message_ordering.consumer_groups: the partition gate on its own (deterministic, fake deliveries), then through the
// whole runtime on the embedded broker with the seed's settings (single_partition_consumers, max 1 partition).
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { Envelope } from "../../src/api.js";
import { partitionGate } from "../../src/core/partition-gate.js";
import { createRuntime, type Runtime } from "../../src/core/runtime.js";
import { compileValidators } from "../../src/dev/compile-validators.js";
import { EmbeddedTransport } from "../../src/embedded/transport.js";
import type { NackOptions, ReceivedMessage } from "../../src/transport.js";
import type { Topology } from "../../src/topology.js";
import { seedTopology } from "../fixtures/seed-topology.js";
import { recordingLogger, sleep, until } from "../helpers.js";

interface Fake extends ReceivedMessage {
  readonly acked: () => boolean;
  readonly nacks: NackOptions[];
}

function fake(partition: number, offset: number, topic = "t"): Fake {
  let acked = false;
  const nacks: NackOptions[] = [];
  return {
    topic,
    partition,
    offset: String(offset),
    body: Buffer.from("{}"),
    headers: {},
    id: `${topic}-${partition}-${offset}`,
    deliveryCount: 1,
    acked: () => acked,
    nacks,
    ack: async () => void (acked = true),
    nack: async (o?: NackOptions) => void nacks.push(o ?? {}),
  };
}

/** A handler that records start/end per message and the largest number of partitions / messages in flight. */
function recorder(work: (m: ReceivedMessage) => Promise<void> = () => sleep(5)) {
  const inFlight = new Map<string, number>();
  const order: string[] = [];
  const stats = { maxMessages: 0, maxPartitions: 0, maxPerPartition: 0 };
  let messages = 0;
  const handler = async (m: ReceivedMessage) => {
    const p = `${m.topic}/${m.partition}`;
    inFlight.set(p, (inFlight.get(p) ?? 0) + 1);
    messages++;
    stats.maxMessages = Math.max(stats.maxMessages, messages);
    stats.maxPartitions = Math.max(stats.maxPartitions, inFlight.size);
    stats.maxPerPartition = Math.max(stats.maxPerPartition, inFlight.get(p)!);
    order.push(`${m.partition}:${m.offset}:${m.deliveryCount}`);
    try {
      await work(m);
    } finally {
      messages--;
      const left = inFlight.get(p)! - 1;
      if (left === 0) inFlight.delete(p);
      else inFlight.set(p, left);
    }
  };
  return { handler, order, stats };
}

const gateOptions = (singlePartition: boolean, maxConcurrentPartitions: number, stopping = new AbortController().signal) => ({
  singlePartition,
  maxConcurrentPartitions,
  stopping,
  logger: recordingLogger(),
  name: "test",
});

describe("partition gate", () => {
  it("single_partition_consumers: one message per partition at a time, partitions side by side", async () => {
    const r = recorder(async (m) => {
      await sleep(5);
      await m.ack();
    });
    const gate = partitionGate(r.handler, gateOptions(true, 0));
    const all = [0, 1, 2].flatMap((p) => [0, 1, 2, 3].map((o) => fake(p, o)));
    await Promise.all(all.map((m) => gate(m)));
    expect(r.stats.maxPerPartition).toBe(1);
    expect(r.stats.maxPartitions).toBe(3);
    for (const p of [0, 1, 2]) expect(r.order.filter((x) => x.startsWith(`${p}:`))).toEqual([`${p}:0:1`, `${p}:1:1`, `${p}:2:1`, `${p}:3:1`]);
    expect(all.every((m) => m.acked())).toBe(true);
  });

  it("max_concurrent_partitions: at most N partitions in flight, every partition gets its turn", async () => {
    const r = recorder(async (m) => {
      await sleep(3);
      await m.ack();
    });
    const gate = partitionGate(r.handler, gateOptions(false, 2));
    const all = [0, 1, 2, 3].flatMap((p) => [0, 1, 2].map((o) => fake(p, o)));
    await Promise.all(all.map((m) => gate(m)));
    expect(r.stats.maxPartitions).toBe(2);
    expect(r.stats.maxPerPartition).toBeGreaterThan(1); // without single_partition_consumers a partition runs several
    expect(new Set(r.order.map((x) => x.split(":")[0])).size).toBe(4);
  });

  it("retries a nacked message in place after its delay, before the partition's next message", async () => {
    let failures = 0;
    const r = recorder(async (m) => {
      if (m.offset === "0" && failures < 2) {
        failures++;
        await m.nack({ delayMs: 20, headers: { "x-hypc-attempt": String(m.deliveryCount + 1) } });
        return;
      }
      await m.ack();
    });
    const gate = partitionGate(r.handler, gateOptions(true, 1));
    const first = fake(0, 0);
    const second = fake(0, 1);
    const started = Date.now();
    await Promise.all([gate(first), gate(second)]);
    expect(r.order).toEqual(["0:0:1", "0:0:2", "0:0:3", "0:1:1"]);
    expect(Date.now() - started).toBeGreaterThanOrEqual(38);
    expect(first.nacks).toEqual([]); // the broker never saw the nack
    expect(first.acked() && second.acked()).toBe(true);
  });

  it("hands a pending in-place retry back to the broker as a nack when the runtime stops", async () => {
    const stopping = new AbortController();
    const gate = partitionGate(async (m) => m.nack({ delayMs: 10_000 }), gateOptions(true, 1, stopping.signal));
    const m = fake(0, 0);
    const done = gate(m);
    await sleep(10);
    stopping.abort();
    await done;
    expect(m.nacks).toEqual([{ delayMs: 10_000 }]);
  });
});

describe("message_ordering.consumer_groups through the runtime (embedded)", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });
  const noop = async () => undefined;
  const now = () => new Date().toISOString();
  const created = (scriptId: string, name: string) => ({ script_id: scriptId, name, created_by: randomUUID(), created_at: now(), metadata: {} });

  it("with the seed's settings (single_partition_consumers, max 1 partition) handles one message at a time, and a retry blocks later offsets", async () => {
    const fast = { max_retries: 2, backoff_strategy: "fixed" as const, initial_delay: 30, max_delay: 30, multiplier: 1, jitter: 0 };
    const topology: Topology = {
      ...seedTopology,
      consumers: seedTopology.consumers.map((c) => ({ ...c, handlers: c.handlers.map((h) => ({ ...h, retry: fast })) })),
    };
    expect(topology.guarantees.message_ordering.consumer_groups).toEqual({ single_partition_consumers: true, max_concurrent_partitions: 1 });
    const seen: { name: string; partition: number }[] = [];
    let running = 0;
    let maxRunning = 0;
    let failedOnce = false;
    runtime = createRuntime({
      topology,
      validators: compileValidators(topology),
      transport: new EmbeddedTransport(),
      logger: recordingLogger(),
      handlers: {
        events: {
          ScriptUpdatedHandler: noop,
          ScriptExecutedHandler: noop,
          ScriptCreatedHandler: async (e: Envelope, ctx) => {
            running++;
            maxRunning = Math.max(maxRunning, running);
            await sleep(2);
            running--;
            const name = (e.payload as { name: string }).name;
            if (name === "0" && !failedOnce) {
              failedOnce = true;
              throw new Error("transient");
            }
            seen.push({ name, partition: ctx.partition });
          },
        },
      },
    });
    await runtime.start();
    for (let i = 0; i < 12; i++) await runtime.publish("ScriptEventProducer", "script.created", created(randomUUID(), String(i)));
    await until("all twelve", () => seen.length >= 12);
    expect(maxRunning).toBe(1); // handler concurrency 5, but max_concurrent_partitions 1 + one message per partition
    const first = seen.find((s) => s.name === "0")!;
    // Offset order within the failing message's partition: nothing published after "0" on it ran before it.
    const samePartition = seen.filter((s) => s.partition === first.partition).map((s) => Number(s.name));
    expect(samePartition).toEqual([...samePartition].sort((a, b) => a - b));
    expect(samePartition[0]).toBe(0);
  });
});

describe("partition gate and async context", () => {
  it("runs a waiting message in the async context of its own delivery (adapters keep per-delivery state there)", async () => {
    const { AsyncLocalStorage } = await import("node:async_hooks");
    const delivery = new AsyncLocalStorage<string>();
    const seen: [string, string | undefined][] = [];
    const gate = partitionGate(async (m) => {
      await sleep(2);
      seen.push([m.id, delivery.getStore()]);
      await m.ack();
    }, gateOptions(true, 1));
    const messages = [0, 1, 2].map((o) => fake(0, o));
    // Each delivery is handed over inside its own context, as the Kafka adapter does for transactions.
    await Promise.all(messages.map((m) => delivery.run(m.id, () => gate(m))));
    expect(seen).toEqual(messages.map((m) => [m.id, m.id]));
  });
});

describe("partition gate under exactly_once.transactional", () => {
  it("passes a nack straight to the broker when retries may not stay in place", async () => {
    const gate = partitionGate(async (m) => m.nack({ delayMs: 5 }), { ...gateOptions(true, 1), retryInPlace: false });
    const m = fake(0, 0);
    await gate(m);
    expect(m.nacks).toEqual([{ delayMs: 5 }]);
  });
});
