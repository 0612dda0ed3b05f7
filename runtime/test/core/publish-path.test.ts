// Publish path: envelope building, correlation/causation/trace propagation, validation errors to the caller,
// required_fields, payload_size_limit, keys from the route's partition key, unknown producer/route.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import type { Envelope, HandlerContext } from "../../src/api.js";
import { createRuntime, type Runtime } from "../../src/core/runtime.js";
import { compileValidators } from "../../src/dev/compile-validators.js";
import { EmbeddedTransport } from "../../src/embedded/transport.js";
import { ConfigError, ValidationError } from "../../src/errors.js";
import { MemoryIdempotencyStore } from "../../src/idempotency/memory-store.js";
import { partitionForKey } from "../../src/partitioner/murmur2.js";
import type { ReceivedMessage } from "../../src/transport.js";
import type { Topology } from "../../src/topology.js";
import { seedTopology } from "../fixtures/seed-topology.js";
import { recordingLogger, until } from "../helpers.js";

const now = () => new Date().toISOString();
const noop = async () => undefined;

describe("runtime publish path (embedded)", () => {
  let runtime: Runtime | undefined;
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
  });

  const start = async (topology: Topology = seedTopology, handlers = {}) => {
    const transport = new EmbeddedTransport();
    runtime = createRuntime({ topology, validators: compileValidators(topology), transport, handlers, logger: recordingLogger(), idempotencyStore: new MemoryIdempotencyStore() });
    await runtime.start();
    const wire: ReceivedMessage[] = [];
    await transport.subscribe({ group: `tap-${randomUUID()}`, topics: ["hypnoscript.events.script-events", "hypnoscript.events.execution-events", "hypnoscript.user.user-events"], concurrency: 100 }, async (m) => {
      wire.push(m);
      await m.ack();
    });
    return { rt: runtime, wire };
  };

  /** The seed's runtime in which ScriptCreatedHandler publishes a script.executed event: its child, given to onChild. */
  const startWithChild = async (topology: Topology, onChild: (env: Envelope, headers: Readonly<Record<string, string>>) => void) => {
    const transport = new EmbeddedTransport();
    runtime = createRuntime({
      topology,
      validators: compileValidators(topology),
      transport,
      logger: recordingLogger(),
      idempotencyStore: new MemoryIdempotencyStore(),
      handlers: {
        events: {
          ScriptCreatedHandler: async (e: Envelope, ctx: HandlerContext) => {
            const p = e.payload as { script_id: string };
            await ctx.publish("ScriptEventProducer", "script.executed", {
              execution_id: randomUUID(), script_id: p.script_id, user_id: randomUUID(), started_at: now(), completed_at: now(), duration_ms: 1, status: "ok", result: {}, error_message: "", environment: "t",
            });
          },
          ScriptUpdatedHandler: noop,
          ScriptExecutedHandler: async (e: Envelope, ctx: HandlerContext) => void onChild(e, ctx.headers),
        },
      },
    });
    await runtime.start();
    return { transport };
  };

  it("sends the envelope as the body, keyed by the partition key, with trace and correlation headers", async () => {
    const { rt, wire } = await start();
    const scriptId = randomUUID();
    const result = await rt.publish("ScriptEventProducer", "script.created", { script_id: scriptId, name: "n", created_by: randomUUID(), created_at: now(), metadata: {} });
    expect(result).toEqual({ messageId: result.messageId, topic: "hypnoscript.events.script-events", key: scriptId });
    await until("the message on the wire", () => wire.length >= 1);
    const m = wire[0]!;
    const env = JSON.parse(m.body.toString("utf8")) as Envelope;
    expect(env).toMatchObject({ event_type: "script.created", version: "1.0", metadata: { message_id: result.messageId, source: "hypnoscript-api" } });
    expect(env.metadata.correlation_id).toBe(result.messageId); // a root message starts its flow
    expect(env.metadata.causation_id).toBe(result.messageId);
    expect(Date.parse(env.metadata.timestamp)).not.toBeNaN();
    expect(m.key).toBe(scriptId);
    expect(m.partition).toBe(partitionForKey(scriptId, 4)); // where Kafka's default partitioner puts it
    expect(m.headers["x-trace-id"]).toMatch(/^[0-9a-f]{32}$/);
    expect(m.headers["x-span-id"]).toMatch(/^[0-9a-f]{16}$/);
    expect(m.headers["x-correlation-id"]).toBe(result.messageId);
    expect(m.headers["x-hypc-event-type"]).toBe("script.created");
  });

  it("propagates correlation, causation, trace and baggage from the handled message to what its handler publishes", async () => {
    const children: { env: Envelope; headers: Readonly<Record<string, string>> }[] = [];
    await startWithChild(seedTopology, (env, headers) => children.push({ env, headers }));
    const parent = await runtime.publish("ScriptEventProducer", "script.created", { script_id: randomUUID(), name: "n", created_by: randomUUID(), created_at: now(), metadata: {} }, { correlationId: "7f1c9a8e-2b3d-4c5e-8f9a-0b1c2d3e4f5a", headers: { baggage: "tenant=acme" } });
    await until("the child event", () => children.length >= 1);
    const child = children[0]!;
    expect(child.env.metadata.correlation_id).toBe("7f1c9a8e-2b3d-4c5e-8f9a-0b1c2d3e4f5a");
    expect(child.env.metadata.causation_id).toBe(parent.messageId);
    expect(child.env.metadata.source).toBe("hypnoscript-executor");
    expect(child.headers["x-correlation-id"]).toBe("7f1c9a8e-2b3d-4c5e-8f9a-0b1c2d3e4f5a");
    expect(child.headers.baggage).toBe("tenant=acme"); // trace_propagation.baggage: true
    expect(child.headers["x-trace-id"]).toMatch(/^[0-9a-f]{32}$/);
    expect(child.headers["x-parent-span-id"]).toMatch(/^[0-9a-f]{16}$/);
  });

  describe("trace_propagation.headers decides which trace headers go out", () => {
    const withTracing = (tracing: Partial<NonNullable<Topology["monitoring"]>["tracing"]>): Topology => {
      const topology = structuredClone(seedTopology) as Topology;
      const monitoring = topology.monitoring!;
      (monitoring as { tracing: unknown }).tracing = { ...monitoring.tracing, ...tracing };
      return topology;
    };
    const childOf = async (topology: Topology) => {
      const children: Readonly<Record<string, string>>[] = [];
      const { transport } = await startWithChild(topology, (_env, headers) => children.push(headers));
      const wire: ReceivedMessage[] = [];
      await transport.subscribe({ group: `tap-${randomUUID()}`, topics: ["hypnoscript.events.script-events"], concurrency: 10 }, async (m) => {
        wire.push(m);
        await m.ack();
      });
      await runtime.publish("ScriptEventProducer", "script.created", { script_id: randomUUID(), name: "n", created_by: randomUUID(), created_at: now(), metadata: {} });
      await until("the child event", () => children.length >= 1 && wire.length >= 1);
      return { root: wire[0]!.headers, child: children[0]! };
    };

    it("traceparent alone: the W3C header, no x-trace-id / x-span-id / x-correlation-id; the handler's publish continues its trace", async () => {
      const { root, child } = await childOf(withTracing({ trace_propagation: { headers: ["traceparent"], baggage: false } }));
      expect(root.traceparent).toMatch(/^00-[0-9a-f]{32}-[0-9a-f]{16}-01$/);
      expect(Object.keys(root).filter((k) => ["x-trace-id", "x-span-id", "x-correlation-id", "x-parent-span-id"].includes(k))).toEqual([]);
      const [, rootTrace, rootSpan] = root.traceparent!.split("-");
      const [, childTrace, childSpan] = child.traceparent!.split("-");
      expect(childTrace).toBe(rootTrace); // read back from traceparent on receive
      expect(childSpan).not.toBe(rootSpan);
    });

    it("tracing.enabled false: no trace headers at all, the correlation id still goes out", async () => {
      const { root, child } = await childOf(withTracing({ enabled: false }));
      expect(root["x-trace-id"]).toBeUndefined();
      expect(root["x-span-id"]).toBeUndefined();
      expect(root.traceparent).toBeUndefined();
      expect(root["x-correlation-id"]).toMatch(/^[0-9a-f-]{36}$/);
      expect(child["x-trace-id"]).toBeUndefined();
    });

    it("the default list writes x-trace-id, x-span-id and x-correlation-id, not traceparent", async () => {
      const { root, child } = await childOf(withTracing({ trace_propagation: { headers: ["x-trace-id", "x-span-id", "x-correlation-id"], baggage: false } }));
      expect(root["x-trace-id"]).toMatch(/^[0-9a-f]{32}$/);
      expect(root["x-span-id"]).toMatch(/^[0-9a-f]{16}$/);
      expect(root.traceparent).toBeUndefined();
      expect(child["x-trace-id"]).toBe(root["x-trace-id"]);
    });
  });

  it("rejects an invalid payload with a ValidationError naming the event type, field path and reason; nothing is sent", async () => {
    const { rt, wire } = await start();
    const error = (await rt.publish("ScriptEventProducer", "script.created", { script_id: "nope", name: 1 }).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.message).toMatch(/event script\.created from producer ScriptEventProducer to hypnoscript\.events\.script-events is invalid/);
    expect(error.problems).toEqual(expect.arrayContaining(['/payload/script_id: must match format "uuid"', "/payload/name: must be string"]));
    expect(error.problems.join()).toMatch(/\/payload: must have required property 'created_by'/);
    expect(error.topic).toBe("hypnoscript.events.script-events");
    await new Promise((r) => setTimeout(r, 50));
    expect(wire).toHaveLength(0);
  });

  it("checks metadata it did not make itself: a caller's correlation id is validated against the metadata schema", async () => {
    const { rt, wire } = await start();
    const payload = { script_id: randomUUID(), name: "n", created_by: randomUUID(), created_at: now(), metadata: {} };
    const error = (await rt.publish("ScriptEventProducer", "script.created", payload, { correlationId: "not-a-uuid" }).catch((e: unknown) => e)) as ValidationError;
    expect(error).toBeInstanceOf(ValidationError);
    expect(error.problems).toEqual(['/metadata/correlation_id: must match format "uuid"']);
    await rt.publish("ScriptEventProducer", "script.created", payload, { correlationId: randomUUID() });
    await until("the valid one on the wire", () => wire.length === 1);
  });

  it("enforces payload_size_limit and required_fields", async () => {
    const small: Topology = { ...seedTopology, producers: seedTopology.producers.map((p) => ({ ...p, validation: { ...p.validation, payload_size_limit: 300, schema_validation: false, required_fields: ["payload.script_id"] } })) };
    const { rt } = await start(small);
    const big = await rt.publish("ScriptEventProducer", "script.created", { script_id: randomUUID(), name: "x".repeat(400) }).catch((e: unknown) => e);
    expect(big).toBeInstanceOf(ValidationError);
    expect((big as Error).message).toMatch(/over the payload_size_limit of 300/);
    const missing = await rt.publish("ScriptEventProducer", "script.created", { name: "x" }).catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(ValidationError);
    expect((missing as Error).message).toMatch(/missing required field\(s\) payload\.script_id/);
  });

  it("names unknown producers, routes and channels with a ConfigError", async () => {
    const { rt } = await start();
    await expect(rt.publish("NoSuchProducer", "script.created", {})).rejects.toThrow(/unknown producer "NoSuchProducer" \(known: ScriptEventProducer, UserEventProducer\)/);
    await expect(rt.publish("UserEventProducer", "script.created", {})).rejects.toBeInstanceOf(ConfigError);
    await expect(rt.publishToChannel("script_changes", "user.registered", {})).rejects.toThrow(/does not carry event type user\.registered/);
  });

  it("refuses to publish before start and after stop", async () => {
    const rt = createRuntime({ topology: seedTopology, validators: {}, handlers: {}, logger: recordingLogger() });
    await expect(rt.publish("ScriptEventProducer", "script.created", {})).rejects.toThrow(/call start\(\) first/);
  });
});
