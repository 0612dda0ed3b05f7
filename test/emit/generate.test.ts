// Unit tests of the generator against the hand-written seed Topology (independent of the parser/checker).
import { describe, expect, it } from "vitest";
import type { Topology } from "@hypc/runtime";
import { generate, generatedFileNames, generateUnformatted } from "../../src/emit/generate.js";
import { parseHeader } from "../../src/emit/header.js";
import { seedTopology } from "./fixtures/seed.js";

const sources = [{ path: "../seed/messaging.hyp", content: "messaging { }" }];
const fileText = (files: readonly { path: string; content: string }[], name: string): string => files.find((f) => f.path === name)?.content ?? "";

describe("generate (seed topology)", () => {
  it("produces the fixed set of modules without diagnostics", async () => {
    const result = await generate({ topology: seedTopology, sources });
    expect(result.diagnostics).toEqual([]);
    expect(result.files.map((f) => f.path)).toEqual([...generatedFileNames]);
  });

  it("is deterministic and independent of the order of the sources", async () => {
    const two = [
      { path: "b.hyp", content: "events { }" },
      { path: "a.hyp", content: "messaging { }" },
    ];
    const first = await generate({ topology: seedTopology, sources: two });
    const second = await generate({ topology: seedTopology, sources: [...two].reverse() });
    expect(second.files).toEqual(first.files);
    expect(first.inputHash).toBe(second.inputHash);
  });

  it("writes a header with sources and input hash, and no timestamp", () => {
    const { files, inputHash } = generateUnformatted({ topology: seedTopology, sources });
    for (const file of files) {
      const header = parseHeader(file.content);
      expect(header, file.path).toEqual({ sources: ["../seed/messaging.hyp"], inputHash });
      expect(file.content).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/);
    }
  });

  it("changes the input hash when a source changes", () => {
    const a = generateUnformatted({ topology: seedTopology, sources });
    const b = generateUnformatted({ topology: seedTopology, sources: [{ path: "../seed/messaging.hyp", content: "messaging { } " }] });
    expect(a.inputHash).not.toBe(b.inputHash);
  });

  it("emits secrets only as env references, never their values", async () => {
    const secrets = { KAFKA_PASSWORD: "kafka-secret-value-1", RABBITMQ_PASSWORD: "rabbit-secret-value-2", AWS_SECRET_ACCESS_KEY: "aws-secret-value-3" };
    const saved = { ...process.env };
    Object.assign(process.env, secrets);
    try {
      const result = await generate({ topology: seedTopology, sources });
      const all = result.files.map((f) => f.content).join("\n");
      for (const value of Object.values(secrets)) expect(all).not.toContain(value);
      expect(fileText(result.files, "topology.ts")).toContain('{ env: "KAFKA_PASSWORD" }');
    } finally {
      process.env = saved;
    }
  });

  it("types every handler slot with exactly its envelopes", () => {
    const { files } = generateUnformatted({ topology: seedTopology, sources });
    const consumers = fileText(files, "consumers.ts");
    expect(consumers).toMatch(/export type ScriptCreatedHandler = \(envelope: ScriptCreatedEnvelope, context: MessagingContext\) => Promise<void>/);
    // The "*" batch slot receives a readonly array of the union of the six events on its topics.
    expect(consumers).toContain("export type AnalyticsEventHandler = (envelopes: readonly (ScriptCreatedEnvelope | ScriptUpdatedEnvelope");
    expect(fileText(files, "pub-sub.ts")).toContain("export type MonitoringHandler = (envelope: SystemStartedEnvelope | SystemErrorEnvelope");
  });

  it("compiles validators ahead of time, without runtime schema compilation", () => {
    const { files } = generateUnformatted({ topology: seedTopology, sources });
    const validators = fileText(files, "validators.ts");
    expect(validators).not.toMatch(/new Function|require\(|\bcompile\(/);
    for (const key of ["event:script.created", "event:system.error", "request:script_validation", "reply:script_execution"]) {
      expect(validators).toContain(JSON.stringify(key));
    }
  });
});

describe("generate (names that cannot become TypeScript)", () => {
  const withHandler = (handler: string): Topology => {
    const consumer = seedTopology.consumers[0]!;
    return { ...seedTopology, consumers: [{ ...consumer, handlers: [{ ...consumer.handlers[0]!, handler }] }] };
  };

  it("reports a handler name that is not an identifier (HYP5001) and leaves it out", () => {
    const { diagnostics, files } = generateUnformatted({ topology: withHandler("Script-Created`Handler"), sources });
    expect(diagnostics.map((d) => d.code)).toEqual(["HYP5001"]);
    expect(diagnostics[0]!.suggestions).toEqual(["ScriptCreatedHandler"]);
    expect(fileText(files, "consumers.ts")).not.toContain("Script-Created");
  });

  it("reports reserved words (HYP5001)", () => {
    const { diagnostics } = generateUnformatted({ topology: withHandler("string"), sources });
    expect(diagnostics.map((d) => d.code)).toEqual(["HYP5001"]);
  });

  it("reports two names generating the same TypeScript name (HYP5002)", () => {
    // A handler named like an event's envelope type collides with it.
    const { diagnostics } = generateUnformatted({ topology: withHandler("ScriptCreatedEnvelope"), sources });
    expect(diagnostics.map((d) => d.code)).toEqual(["HYP5002"]);
    expect(diagnostics[0]!.message).toContain("ScriptCreatedEnvelope");
  });

  it("reports exchanges whose generated names collide (HYP5002)", () => {
    const exchange = seedTopology.requestReply[0]!;
    const topology = { ...seedTopology, requestReply: [exchange, { ...exchange, name: "script-validation" }] };
    const { diagnostics } = generateUnformatted({ topology, sources });
    expect(diagnostics.map((d) => d.code)).toContain("HYP5002");
  });
});
