// serialization.schema_registry at start-up.
// NOTE: the registry here is a STAND-IN — a small in-test HTTP server implementing the four Confluent endpoints the
// client uses (POST /subjects/<s>/versions, GET /subjects/<s>/versions/latest, POST /compatibility/subjects/<s>/
// versions/latest), with the Confluent error bodies. No real registry could be run on this machine: Apicurio's
// published jars do not resolve from Maven Central (see docs/resolution.md, "Run-time effects").
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createRuntime, type Runtime } from "../../src/core/runtime.js";
import { compileValidators } from "../../src/dev/compile-validators.js";
import { EmbeddedTransport } from "../../src/embedded/transport.js";
import { ConfigError } from "../../src/errors.js";
import { SchemaRegistryClient } from "../../src/schema-registry/client.js";
import type { OutgoingMessage } from "../../src/transport.js";
import type { Topology } from "../../src/topology.js";
import { seedTopology } from "../fixtures/seed-topology.js";
import { recordingLogger } from "../helpers.js";

interface Call {
  readonly method: string;
  readonly path: string;
  readonly body: { schema?: string; schemaType?: string } | undefined;
}

/** In-memory stand-in for a Confluent-compatible registry. */
async function standInRegistry(options: { compatible?: boolean } = {}) {
  const subjects = new Map<string, { id: number; schema: string }[]>();
  const calls: Call[] = [];
  let nextId = 100;
  const server: Server = createServer((req, res) => {
    let text = "";
    req.on("data", (c: Buffer) => (text += c.toString("utf8")));
    req.on("end", () => {
      const body = text === "" ? undefined : (JSON.parse(text) as Call["body"]);
      const path = decodeURIComponent(req.url ?? "");
      calls.push({ method: req.method ?? "", path, body });
      const send = (status: number, payload: unknown) => {
        res.writeHead(status, { "content-type": "application/vnd.schemaregistry.v1+json" });
        res.end(JSON.stringify(payload));
      };
      let m = /^\/subjects\/(.+)\/versions$/.exec(path);
      if (m && req.method === "POST") {
        if (body?.schemaType !== "JSON") return send(422, { error_code: 42201, message: "Invalid schema type" });
        const versions = subjects.get(m[1]!) ?? [];
        const same = versions.find((v) => v.schema === body.schema);
        if (same) return send(200, { id: same.id });
        versions.push({ id: nextId++, schema: body.schema ?? "" });
        subjects.set(m[1]!, versions);
        return send(200, { id: versions.at(-1)!.id });
      }
      m = /^\/subjects\/(.+)\/versions\/latest$/.exec(path);
      if (m && req.method === "GET") {
        const latest = subjects.get(m[1]!)?.at(-1);
        return latest ? send(200, { subject: m[1], id: latest.id, version: subjects.get(m[1]!)!.length, schema: latest.schema, schemaType: "JSON" }) : send(404, { error_code: 40401, message: `Subject '${m[1]}' not found.` });
      }
      m = /^\/compatibility\/subjects\/(.+)\/versions\/latest$/.exec(path);
      if (m && req.method === "POST") {
        if (!subjects.has(m[1]!)) return send(404, { error_code: 40401, message: `Subject '${m[1]}' not found.` });
        return options.compatible === false ? send(200, { is_compatible: false, messages: ["property 'name' removed"] }) : send(200, { is_compatible: true });
      }
      send(404, { error_code: 404, message: "HTTP 404 Not Found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, calls, subjects, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

class RecordingTransport extends EmbeddedTransport {
  readonly sent: OutgoingMessage[] = [];
  override publish(messages: readonly OutgoingMessage[]): Promise<void> {
    this.sent.push(...messages);
    return super.publish(messages);
  }
}

const withAutoRegister = (autoRegister: boolean): Topology => ({
  ...seedTopology,
  producers: seedTopology.producers.map((p) => (p.serialization.schema_registry === undefined ? p : { ...p, serialization: { ...p.serialization, schema_registry: { ...p.serialization.schema_registry, auto_register: autoRegister } } })),
});

const scriptCreated = () => ({ script_id: crypto.randomUUID(), name: "n", created_by: crypto.randomUUID(), created_at: new Date().toISOString(), metadata: {} });

describe("schema registry at start-up (against an in-test stand-in registry)", () => {
  let runtime: Runtime | undefined;
  const closers: (() => Promise<void>)[] = [];
  afterEach(async () => {
    await runtime?.stop();
    runtime = undefined;
    for (const c of closers.splice(0)) await c();
  });
  const start = async (topology: Topology, env: Record<string, string>, transport = new RecordingTransport()) => {
    const logger = recordingLogger();
    runtime = createRuntime({ topology, validators: compileValidators(topology), transport, env, logger, handlers: {} });
    await runtime.start();
    return { transport, logger };
  };
  const registry = async (options?: { compatible?: boolean }) => {
    const r = await standInRegistry(options);
    closers.push(r.close);
    return r;
  };

  it("registers one JSON schema per topic of the producer (oneOf its events) and stamps the id on its messages", async () => {
    const r = await registry();
    const { transport } = await start(seedTopology, { HYPC_SCHEMA_REGISTRY: "always", HYPC_SCHEMA_REGISTRY_URL: r.url });
    const posts = r.calls.filter((c) => c.method === "POST");
    expect(posts.map((c) => c.path).sort()).toEqual(["/subjects/hypnoscript.events.execution-events-value/versions", "/subjects/hypnoscript.events.script-events-value/versions"]);
    expect(posts.every((c) => c.body?.schemaType === "JSON")).toBe(true);
    const scriptEvents = JSON.parse(posts.find((c) => c.path.includes("script-events"))!.body!.schema!) as { oneOf?: unknown[] };
    expect(scriptEvents.oneOf?.length).toBeGreaterThan(1);
    const id = r.subjects.get("hypnoscript.events.script-events-value")![0]!.id;
    await runtime!.publish("ScriptEventProducer", "script.created", scriptCreated());
    expect(transport.sent.at(-1)?.headers["x-hypc-schema-id"]).toBe(String(id));
  });

  it("skips the registry on the embedded transport by default (no request at all)", async () => {
    const r = await registry();
    const { logger } = await start(seedTopology, { HYPC_SCHEMA_REGISTRY_URL: r.url });
    expect(r.calls).toEqual([]);
    expect(logger.entries.some((e) => e.level === "debug" && e.message.startsWith("schema registry skipped"))).toBe(true);
  });

  it("auto_register false: an unregistered subject stops start-up with a ConfigError naming url and subject", async () => {
    const r = await registry();
    const failure = await start(withAutoRegister(false), { HYPC_SCHEMA_REGISTRY: "always", HYPC_SCHEMA_REGISTRY_URL: r.url }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConfigError);
    expect(String((failure as Error).message)).toContain(r.url);
    expect(String((failure as Error).message)).toMatch(/subject hypnoscript\.events\.(script|execution)-events-value is not registered/);
    expect(r.calls.every((c) => c.method === "GET" || c.path.startsWith("/compatibility"))).toBe(true); // never registers
  });

  it("auto_register false: a registered, compatible subject is checked (GET latest + compatibility) and its id used; incompatible fails", async () => {
    const ok = await registry();
    await new SchemaRegistryClient({ url: ok.url }).register("hypnoscript.events.script-events-value", JSON.stringify({ type: "object" }));
    await new SchemaRegistryClient({ url: ok.url }).register("hypnoscript.events.execution-events-value", JSON.stringify({ type: "object" }));
    const { transport } = await start(withAutoRegister(false), { HYPC_SCHEMA_REGISTRY: "always", HYPC_SCHEMA_REGISTRY_URL: ok.url });
    expect(ok.calls.filter((c) => c.path.startsWith("/compatibility"))).toHaveLength(2);
    await runtime!.publish("ScriptEventProducer", "script.created", scriptCreated());
    expect(transport.sent.at(-1)?.headers["x-hypc-schema-id"]).toBe(String(ok.subjects.get("hypnoscript.events.script-events-value")![0]!.id));
    await runtime!.stop();
    runtime = undefined;

    const bad = await registry({ compatible: false });
    await new SchemaRegistryClient({ url: bad.url }).register("hypnoscript.events.script-events-value", JSON.stringify({ type: "object" }));
    await new SchemaRegistryClient({ url: bad.url }).register("hypnoscript.events.execution-events-value", JSON.stringify({ type: "object" }));
    const failure = await start(withAutoRegister(false), { HYPC_SCHEMA_REGISTRY: "always", HYPC_SCHEMA_REGISTRY_URL: bad.url }).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toMatch(/not compatible.*property 'name' removed/);
  });

  it("an unreachable registry stops start-up (ConfigError with url and subject) unless HYPC_SCHEMA_REGISTRY_OPTIONAL=1", async () => {
    const r = await registry();
    await r.close(); // the port is now closed
    closers.pop();
    const env = { HYPC_SCHEMA_REGISTRY: "always", HYPC_SCHEMA_REGISTRY_URL: r.url };
    const failure = await start(seedTopology, env).catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(ConfigError);
    expect((failure as Error).message).toMatch(new RegExp(`schema registry ${r.url.replace(/\./g, "\\.")} is unreachable .*subject hypnoscript\\.events\\.`));
    runtime = undefined;
    const { logger, transport } = await start(seedTopology, { ...env, HYPC_SCHEMA_REGISTRY_OPTIONAL: "1" });
    expect(logger.entries.some((e) => e.level === "warn" && e.message.startsWith("schema registry unreachable"))).toBe(true);
    await runtime!.publish("ScriptEventProducer", "script.created", scriptCreated());
    expect(transport.sent.at(-1)?.headers["x-hypc-schema-id"]).toBeUndefined();
  });

  it("caches ids: registering the same schema twice asks the registry once", async () => {
    const r = await registry();
    const client = new SchemaRegistryClient({ url: `${r.url}/` });
    const a = await client.register("s-value", '{"type":"object"}');
    const b = await client.register("s-value", '{"type":"object"}');
    expect(a).toBe(b);
    expect(r.calls).toHaveLength(1);
  });
});
