// The spec must describe every key the product owner's seed uses (test/spec/seed-keys.txt is a copy of
// /work/shared/seed-keys.txt) and every extension key of runtime/src/topology.ts.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { keysAt, lookupSpec, specPaths, type SpecNode } from "../../src/spec/index.js";

const seedKeys = readFileSync(new URL("./seed-keys.txt", import.meta.url), "utf8")
  .split("\n")
  .filter((line) => line.trim() !== "" && !line.startsWith("#"))
  .map((line) => {
    const [path, kind] = line.split(/\s+:\s+/);
    return { path: path!.trim(), kind: kind!.trim() };
  });

/**
 * The seed writes error categories and event metadata as `<category>` / `<field>`; the spec lists their
 * keys (the three categories; source and the envelope's correlation fields) so typos get suggestions.
 */
const concrete = (path: string) => path.replace("<category>", "validation_error").replace("metadata.<field>", "metadata.correlation_id");
const fixedKeys = (path: string) => path.includes("<category>") || path.includes("metadata.<field>");

const acceptedKinds: Record<string, SpecNode["kind"][]> = {
  object: ["object", "map"],
  string: ["string", "enum", "env-or-string", "field-type"],
  integer: ["integer", "decimal"],
  decimal: ["decimal"],
  boolean: ["boolean"],
  "env-ref": ["secret", "env-or-string"],
  "array<string>": ["array"],
  "array<integer>": ["array"],
  "array<object>": ["array"],
};

describe("spec coverage of the seed", () => {
  it("lists all 247 seed key paths", () => {
    expect(seedKeys).toHaveLength(247);
  });

  it.each(seedKeys)("$path is in the spec with a matching kind", ({ path, kind }) => {
    const spec = lookupSpec(concrete(path));
    expect(spec, path).toBeDefined();
    expect(acceptedKinds[kind], `unknown kind ${kind}`).toBeDefined();
    expect(acceptedKinds[kind]).toContain(spec!.kind);
  });

  it("marks every credential of the seed as a secret", () => {
    for (const { path, kind } of seedKeys) {
      if (kind === "env-ref") expect(lookupSpec(path)?.kind, path).toBe("secret");
    }
  });
});

describe("extension keys", () => {
  const extensions = [
    "messaging.default_broker",
    "messaging.kafka.client_id",
    "messaging.kafka.producer.security.ssl_ca_file",
    "messaging.kafka.consumer.security.ssl_ca_file",
    "messaging.kafka.consumer.auto_commit_interval_ms",
    "messaging.rabbitmq.ssl.ca_file",
    "messaging.rabbitmq.ssl.cert_file",
    "messaging.rabbitmq.ssl.key_file",
    "messaging.aws_messaging.sqs_endpoint",
    "messaging.aws_messaging.sns_endpoint",
    "request_reply.X.broker",
    "pub_sub.X.broker",
    "pub_sub.X.events",
    "dead_letter_queue.broker",
    "dead_letter_queue.dlq_config.main_queue.events",
    "event_producers.P.events.script.created.retry_policy.max_delay",
    "event_producers.P.events.script.created.retry_policy.multiplier",
    "event_producers.P.events.script.created.retry_policy.jitter",
    "message_guarantees.exactly_once.idempotence.redis_url",
  ];
  it.each(extensions)("%s is in the spec", (path) => {
    expect(lookupSpec(path)).toBeDefined();
  });
});

describe("lookupSpec", () => {
  it("resolves map keys that contain dots and array items written either way", () => {
    expect(lookupSpec("event_producers.P.events.script.created.topic")?.kind).toBe("string");
    expect(lookupSpec("event_consumers.C.topics[0].name")?.kind).toBe("string");
    expect(lookupSpec("event_consumers.C.topics.[].partitions")?.kind).toBe("array");
    expect(lookupSpec(["event_consumers", "C", "handlers", "*", "handler"])?.kind).toBe("string");
  });

  it("returns undefined for paths no key has", () => {
    expect(lookupSpec("messaging.kafka.producer.ack")).toBeUndefined();
    expect(lookupSpec("nonsense")).toBeUndefined();
    expect(lookupSpec("messaging.kafka.bootstrap_servers.x")).toBeUndefined();
  });

  it("gives units, ranges and defaults", () => {
    expect(lookupSpec("messaging.rabbitmq.port")).toMatchObject({ kind: "integer", min: 1, max: 65535, default: 5672 });
    expect(lookupSpec("messaging.aws_messaging.sqs.visibility_timeout")).toMatchObject({ unit: "s" });
    expect(lookupSpec("messaging.kafka.consumer.session_timeout_ms")).toMatchObject({ unit: "ms" });
    expect(lookupSpec("message_monitoring.alerting.error_rate.threshold")).toMatchObject({ kind: "decimal", min: 0, max: 1, unit: "ratio" });
    expect(lookupSpec("message_monitoring.alerting.processing_latency.percentile")).toMatchObject({ min: 1, max: 100 });
  });
});

describe("specPaths", () => {
  it("lists every seed path with the seed's placeholders", () => {
    const paths = new Set(specPaths().map((p) => p.path));
    for (const { path } of seedKeys) {
      if (fixedKeys(path)) continue;
      expect(paths.has(path), path).toBe(true);
    }
  });

  it("gives every key a one-line description", () => {
    for (const { path, spec } of specPaths()) {
      expect(spec.description.length, path).toBeGreaterThan(3);
      expect(spec.description.includes("\n"), path).toBe(false);
    }
  });

  it("never makes a key both required and defaulted", () => {
    for (const { path, spec } of specPaths()) {
      if (spec.required) expect("default" in spec && spec.default !== undefined, path).toBe(false);
    }
  });
});

describe("keysAt (editor completion)", () => {
  it("lists the keys of an object, of list items, and nothing inside maps of user keys", () => {
    expect(keysAt("messaging.kafka.producer").map((k) => k.key)).toEqual([
      "acks",
      "retries",
      "batch_size",
      "linger_ms",
      "buffer_memory",
      "compression_type",
      "security",
    ]);
    expect(keysAt("event_consumers.C.topics").map((k) => k.key)).toEqual(["name", "partitions", "auto_offset_reset"]);
    expect(keysAt("events")).toEqual([]);
    expect(keysAt("").map((k) => k.key)).toContain("message_monitoring");
  });
});
