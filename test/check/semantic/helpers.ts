// Test helpers: parse in-memory sources, run the structural check and the semantic analysis.
import type { Program } from "../../../src/ast.js";
import type { Diagnostic } from "../../../src/diagnostics/diagnostic.js";
import { parseSource } from "../../../src/parse/parse-source.js";
import { validateAgainstSpec } from "../../../src/check/validate-spec.js";
import { analyze } from "../../../src/check/analyze.js";

export function programOf(files: Readonly<Record<string, string>>): Program {
  const parsed = Object.entries(files).map(([path, text]) => {
    const { file, diagnostics } = parseSource(path, text);
    if (diagnostics.length > 0) throw new Error(`test input ${path} does not parse: ${diagnostics.map((d) => d.message).join("; ")}`);
    return file;
  });
  return { files: parsed, sources: new Map(Object.entries(files)) };
}

export function check(source: string | Readonly<Record<string, string>>) {
  const program = programOf(typeof source === "string" ? { "test.hyp": source } : source);
  const structural = validateAgainstSpec(program);
  const result = analyze(program);
  return { ...result, structural, codes: result.diagnostics.map((d) => d.code) };
}

export function only(diagnostics: readonly Diagnostic[], code: string): Diagnostic[] {
  return diagnostics.filter((d) => d.code === code);
}

/** A small, structurally valid configuration; `parts` replaces or adds whole blocks by name. */
export function config(parts: Partial<Record<BlockName, string>> = {}): string {
  const blocks: Record<BlockName, string> = { ...base, ...parts };
  return Object.entries(blocks)
    .filter(([, body]) => body !== "")
    .map(([name, body]) => `${name} {\n${body}\n}\n`)
    .join("\n");
}

type BlockName = "messaging" | "events" | "event_producers" | "event_consumers" | "request_reply" | "pub_sub" | "dead_letter_queue" | "message_guarantees";

const base: Record<BlockName, string> = {
  messaging: `  kafka: { bootstrap_servers: ["127.0.0.1:9092"] }`,
  events: `  OrderEvents: {
    OrderPlaced: { event_type: "order.placed", payload: { order_id: "uuid", total: "number", note: "string?" } }
    OrderShipped: { event_type: "order.shipped", payload: { order_id: "uuid", carrier: "enum<dhl|ups>" } }
  }
  CustomerEvents: {
    CustomerJoined: { event_type: "customer.joined", payload: { customer_id: "uuid", tags: "array<string>" } }
  }`,
  event_producers: `  OrderProducer: {
    broker: "kafka"
    topic_prefix: "shop"
    events: {
      "order.placed": { topic: "orders", partition_key: "order_id" }
      "order.shipped": { topic: "orders", partition_key: "order_id" }
    }
  }
  CustomerProducer: {
    broker: "kafka"
    events: { "customer.joined": { topic: "customers", partition_key: "customer_id" } }
  }`,
  event_consumers: `  OrderConsumer: {
    broker: "kafka"
    group_id: "orders"
    topics: [{ name: "orders", partitions: [0, 1, 2] }]
    handlers: {
      "order.placed": { handler: "OrderPlacedHandler" }
      "order.shipped": { handler: "OrderShippedHandler" }
    }
  }`,
  request_reply: "",
  pub_sub: "",
  dead_letter_queue: "",
  message_guarantees: "",
};
