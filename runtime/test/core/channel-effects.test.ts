// Run-time effects of pub_sub publisher keys and producer serialization on the embedded broker:
// partition_strategy (hash keys by partition_key, round_robin sends no key and spreads over partitions),
// message_format.schema_version (stamped as x-hypc-schema-version, checked by subscribers on the major version)
// and compression (passed to the transport on every OutgoingMessage).
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { InstrumentationEvent } from "../../src/api.js";
import { createRuntime, type Runtime } from "../../src/core/runtime.js";
import { compileValidators } from "../../src/dev/compile-validators.js";
import { EmbeddedTransport } from "../../src/embedded/transport.js";
import type { Topology } from "../../src/topology.js";
import type { OutgoingMessage, ReceivedMessage, Subscription } from "../../src/transport.js";
import { seedTopology } from "../fixtures/seed-topology.js";
import { recordingLogger, until } from "../helpers.js";

/** The real embedded transport, remembering what the runtime hands it. */
class RecordingTransport extends EmbeddedTransport {
  readonly sent: OutgoingMessage[] = [];
  override publish(messages: readonly OutgoingMessage[]): Promise<void> {
    this.sent.push(...messages);
    return super.publish(messages);
  }
}

const now = () => new Date().toISOString();
const changed = (scriptId: string) => ({ script_id: scriptId, name: "n", created_by: randomUUID(), created_at: now(), metadata: {} });
const systemStarted = () => ({ service_name: "api", version: "1.0.0", started_at: now(), environment: "test", instance_id: randomUUID() });

describe("pub/sub and producer keys at run time (embedded)", () => {
  let runtime: Runtime | undefined;
  const subs: Subscription[] = [];
  afterEach(async () => {
    for (const s of subs.splice(0)) await s.close();
    await runtime?.stop();
    runtime = undefined;
  });

  const start = async (topology: Topology, transport: EmbeddedTransport, events: InstrumentationEvent[] = [], handlers: Record<string, () => Promise<void>> = {}, consumers: string[] = []) => {
    runtime = createRuntime({ topology, validators: compileValidators(topology), transport, logger: recordingLogger(), handlers: { events: handlers }, instrumentation: [{ onEvent: (e) => events.push(e) }], start: { consumers } });
    await runtime.start();
    return runtime;
  };
  /** Reads a topic with a group of its own, recording partition and key of each message. */
  const tap = async (transport: EmbeddedTransport, topic: string) => {
    const got: ReceivedMessage[] = [];
    subs.push(await transport.subscribe({ group: `tap-${randomUUID()}`, topics: [topic], concurrency: 16 }, async (m) => void (got.push(m), await m.ack())));
    return got;
  };

  it("round_robin sends no key even when the channel names a partition_key, and spreads messages evenly over the partitions", async () => {
    const topology: Topology = {
      ...seedTopology,
      pubSub: seedTopology.pubSub.map((c) => (c.name === "script_changes" ? { ...c, publisher: { ...c.publisher, partition_strategy: "round_robin" as const } } : c)),
    };
    expect(topology.pubSub.find((c) => c.name === "script_changes")?.publisher.partition_key).toBe("script_id");
    const transport = new RecordingTransport();
    await transport.ensureTopics([{ name: "script.changes", partitions: 4 }]);
    const rt = await start(topology, transport);
    const got = await tap(transport, "script.changes");
    const id = randomUUID(); // one script id: hash would put all eight on one partition
    for (let i = 0; i < 8; i++) await rt.publishToChannel("script_changes", "script.created", changed(id));
    await until("eight messages", () => got.length >= 8);
    expect(got.every((m) => m.key === undefined)).toBe(true);
    const perPartition = [0, 1, 2, 3].map((p) => got.filter((m) => m.partition === p).length);
    expect(perPartition).toEqual([2, 2, 2, 2]);
  });

  it("hash keys by the partition_key field: one script id, one partition", async () => {
    const transport = new RecordingTransport();
    await transport.ensureTopics([{ name: "script.changes", partitions: 4 }]);
    const rt = await start(seedTopology, transport);
    const got = await tap(transport, "script.changes");
    const id = randomUUID();
    for (let i = 0; i < 6; i++) await rt.publishToChannel("script_changes", "script.created", changed(id));
    await until("six messages", () => got.length >= 6);
    expect(new Set(got.map((m) => m.key))).toEqual(new Set([id]));
    expect(new Set(got.map((m) => m.partition)).size).toBe(1);
  });

  it("stamps message_format.schema_version and passes compression to the transport (channel and producer)", async () => {
    const transport = new RecordingTransport();
    const rt = await start(seedTopology, transport);
    await rt.publishToChannel("script_changes", "script.created", changed(randomUUID()));
    await rt.publishToChannel("system_events", "system.started", systemStarted());
    await rt.publish("ScriptEventProducer", "script.created", changed(randomUUID()));
    const [toChanges, toSystem, fromProducer] = transport.sent;
    expect(toChanges?.headers["x-hypc-schema-version"]).toBe("1.0");
    expect(toChanges?.compression).toBe("snappy");
    expect(toSystem?.compression).toBe("none");
    expect(fromProducer?.compression).toBe("snappy");
    expect(fromProducer?.headers["x-hypc-schema-version"]).toBeUndefined();
  });

  it("a subscriber takes the same major schema version and dead-letters another major as validation_error", async () => {
    const transport = new RecordingTransport();
    const events: InstrumentationEvent[] = [];
    const handled: string[] = [];
    await start(seedTopology, transport, events, {
      MonitoringHandler: async () => void handled.push("x"),
    }, ["MonitoringService"]);
    const raw = (version: string | undefined): OutgoingMessage => {
      const id = randomUUID();
      const envelope = { event_type: "system.started", version: "1.0", payload: systemStarted(), metadata: { message_id: id, source: "elsewhere", correlation_id: id, causation_id: id, timestamp: now() } };
      return { topic: "system.events", body: Buffer.from(JSON.stringify(envelope)), headers: { "x-hypc-event-type": "system.started", ...(version === undefined ? {} : { "x-hypc-schema-version": version }) }, id };
    };
    await transport.publish([raw("1.4"), raw(undefined), raw("2.0")]);
    await until("two handled and one dead letter", () => handled.length >= 2 && events.some((e) => e.kind === "dead_lettered"));
    const letter = events.find((e) => e.kind === "dead_lettered");
    expect(letter).toMatchObject({ category: "validation_error", handler: "MonitoringHandler" });
    expect(letter?.kind === "dead_lettered" ? letter.error : "").toMatch(/schema_version 2\.0.*expects 1\.0.*major/);
    expect(handled).toHaveLength(2);
  });
});
