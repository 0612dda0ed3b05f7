// Every construct of the syntax: blocks, members, keys, values, separators, comments, with exact spans.
import { describe, expect, it } from "vitest";
import type { ArrayNode, NumberNode, ObjectNode, StringNode } from "../../src/ast.js";
import { codes, member, parse, parseBody, slice, valueOf } from "./helpers.js";

describe("blocks and members", () => {
  it("reads top-level blocks with any identifier as name, in order", () => {
    const { file, diagnostics } = parse("messaging { }\nevents {}\nwhatever_else { a: 1 }");
    expect(diagnostics).toEqual([]);
    expect(file.blocks.map((b) => b.name)).toEqual(["messaging", "events", "whatever_else"]);
    expect(file.blocks[2]!.body.members.map((m) => m.key)).toEqual(["a"]);
  });

  it("accepts members separated by newlines, commas, both, and trailing commas", () => {
    const { object, diagnostics } = parseBody('a: 1\nb: 2, c: 3,\nd: 4 e: 5,');
    expect(diagnostics).toEqual([]);
    expect(object.members.map((m) => m.key)).toEqual(["a", "b", "c", "d", "e"]);
  });

  it("accepts quoted keys (dots, stars) and keywords as keys", () => {
    const { object, diagnostics } = parseBody('"script.created": 1\n"*": 2\ntrue: 3\nenv: 4\nmindLink: 5\n"a\\"b": 6');
    expect(diagnostics).toEqual([]);
    expect(object.members.map((m) => [m.key, m.quoted])).toEqual([
      ["script.created", true],
      ["*", true],
      ["true", false],
      ["env", false],
      ["mindLink", false],
      ['a"b', true],
    ]);
  });

  it("reads nested objects and arrays of any values", () => {
    const { object, diagnostics } = parseBody('o: { p: { q: [1, "two", true, env.X, { r: [] }, [3]] } }');
    expect(diagnostics).toEqual([]);
    const q = valueOf((valueOf(valueOf(object, "o") as ObjectNode, "p") as ObjectNode), "q") as ArrayNode;
    expect(q.items.map((i) => i.kind)).toEqual(["number", "string", "boolean", "env", "object", "array"]);
  });

  it("accepts array items separated by commas, newlines, with a trailing comma", () => {
    const { object, diagnostics } = parseBody('a: [1, 2, 3,]\nb: [\n "x"\n "y"\n]\nc: []');
    expect(diagnostics).toEqual([]);
    expect((valueOf(object, "a") as ArrayNode).items).toHaveLength(3);
    expect((valueOf(object, "b") as ArrayNode).items.map((i) => (i as StringNode).value)).toEqual(["x", "y"]);
    expect((valueOf(object, "c") as ArrayNode).items).toEqual([]);
  });
});

describe("scalar values", () => {
  it("decodes every JSON escape", () => {
    const { object, diagnostics } = parseBody(String.raw`s: "q\" b\\ s\/ \b\f\n\r\t \u00e9\u20AC"`);
    expect(diagnostics).toEqual([]);
    expect((valueOf(object, "s") as StringNode).value).toBe('q" b\\ s/ \b\f\n\r\t é€');
  });

  it("keeps non-ASCII text as is", () => {
    const { object } = parseBody('s: "Größe 😀"');
    expect((valueOf(object, "s") as StringNode).value).toBe("Größe 😀");
  });

  it.each([
    ["3", 3, true],
    ["-1", -1, true],
    ["0", 0, true],
    ["0.05", 0.05, false],
    ["-2.5", -2.5, false],
    ["1e3", 1000, false],
    ["2E-2", 0.02, false],
    ["1.5e+2", 150, false],
    ["33554432", 33554432, true],
  ])("reads the number %s", (raw, value, integer) => {
    const { object, diagnostics } = parseBody(`n: ${raw}`);
    expect(diagnostics).toEqual([]);
    const n = valueOf(object, "n") as NumberNode;
    expect(n).toMatchObject({ kind: "number", value, integer, raw });
  });

  it("reads booleans and env references", () => {
    const { object, diagnostics } = parseBody("t: true\nf: false\ne: env.KAFKA_USERNAME");
    expect(diagnostics).toEqual([]);
    expect(valueOf(object, "t")).toMatchObject({ kind: "boolean", value: true });
    expect(valueOf(object, "f")).toMatchObject({ kind: "boolean", value: false });
    expect(valueOf(object, "e")).toMatchObject({ kind: "env", name: "KAFKA_USERNAME" });
  });

  it("does not confuse keywords with identifiers that start like them", () => {
    const { object, diagnostics } = parseBody("trueish: 1\nenvelope: 2\nfalsehood: 3");
    expect(diagnostics).toEqual([]);
    expect(object.members.map((m) => m.key)).toEqual(["trueish", "envelope", "falsehood"]);
  });
});

describe("comments", () => {
  it("skips line and block comments anywhere, including inside arrays and after values", () => {
    const text = [
      "// header",
      "messaging { /* inline */ a: 1 // trailing",
      "  b: [1, /* two */ 2] /* multi",
      "  line */ c: \"//not a comment\"",
      "}",
    ].join("\n");
    const { file, diagnostics } = parse(text);
    expect(diagnostics).toEqual([]);
    const body = file.blocks[0]!.body;
    expect(body.members.map((m) => m.key)).toEqual(["a", "b", "c"]);
    expect((valueOf(body, "c") as StringNode).value).toBe("//not a comment");
    expect((valueOf(body, "b") as ArrayNode).items).toHaveLength(2);
  });
});

describe("spans", () => {
  const text = 'messaging {\n    kafka: {\n        acks: "all"\n        retries: 3\n    }\n}\n';

  it("gives exact offsets, lines and columns (1-based, end exclusive)", () => {
    const { file } = parse(text, "dir/seed.hyp");
    const messaging = file.blocks[0]!;
    expect(messaging.nameSpan).toEqual({ file: "dir/seed.hyp", start: 0, end: 9, line: 1, column: 1, endLine: 1, endColumn: 10 });
    const kafka = member(messaging.body, "kafka");
    expect(kafka.keySpan).toMatchObject({ start: 16, end: 21, line: 2, column: 5, endLine: 2, endColumn: 10 });
    const acks = member(kafka.value as ObjectNode, "acks");
    expect(slice(text, acks.span)).toBe('acks: "all"');
    expect(acks.value.span).toMatchObject({ line: 3, column: 15, endLine: 3, endColumn: 20 });
    const retries = member(kafka.value as ObjectNode, "retries");
    expect(slice(text, retries.value.span)).toBe("3");
    expect(retries.value.span).toMatchObject({ line: 4, column: 18, endLine: 4, endColumn: 19 });
  });

  it("spans objects from brace to brace and blocks from name to closing brace", () => {
    const { file } = parse(text);
    const messaging = file.blocks[0]!;
    expect(slice(text, messaging.span)).toBe(text.trimEnd());
    const kafka = member(messaging.body, "kafka").value;
    expect(slice(text, kafka.span).startsWith("{")).toBe(true);
    expect(slice(text, kafka.span).endsWith("}")).toBe(true);
    expect(kafka.span).toMatchObject({ line: 2, column: 12, endLine: 5, endColumn: 6 });
    expect(file.span).toMatchObject({ start: 0, end: text.length });
  });

  it("counts columns the same with \\r\\n line endings", () => {
    const crlf = text.replace(/\n/g, "\r\n");
    const { file } = parse(crlf);
    const acks = member(member(file.blocks[0]!.body, "kafka").value as ObjectNode, "acks");
    expect(acks.value.span).toMatchObject({ line: 3, column: 15, endLine: 3, endColumn: 20 });
    expect(slice(crlf, acks.value.span)).toBe('"all"');
  });

  it("spans env references and imports", () => {
    const src = 'mindLink "sub/other.hyp";\nx { u: env.USER }';
    const { file, diagnostics } = parse(src);
    expect(diagnostics).toEqual([]);
    expect(file.imports).toHaveLength(1);
    expect(file.imports[0]!.path).toBe("sub/other.hyp");
    expect(slice(src, file.imports[0]!.span)).toBe('mindLink "sub/other.hyp";');
    expect(slice(src, file.imports[0]!.pathSpan)).toBe('"sub/other.hyp"');
    expect(slice(src, valueOf(file.blocks[0]!.body, "u").span)).toBe("env.USER");
  });
});

describe("the seed fixture", () => {
  it("parses with no diagnostics into the 9 block kinds and all their members", async () => {
    const { readFile } = await import("node:fs/promises");
    const text = await readFile(new URL("../../fixtures/seed/messaging.hyp", import.meta.url), "utf8");
    const { file, diagnostics } = parse(text, "fixtures/seed/messaging.hyp");
    expect(codes(diagnostics)).toEqual([]);
    expect(file.blocks.map((b) => [b.name, b.body.members.length])).toEqual([
      ["messaging", 4],
      ["events", 3],
      ["event_producers", 2],
      ["event_consumers", 2],
      ["request_reply", 2],
      ["pub_sub", 2],
      ["dead_letter_queue", 2],
      ["message_guarantees", 3],
      ["message_monitoring", 3],
    ]);
    // Count every member in the tree: a dropped member anywhere changes this number.
    let members = 0;
    let envRefs = 0;
    const walk = (value: { kind: string }): void => {
      if (value.kind === "object") for (const m of (value as ObjectNode).members) (members++, walk(m.value));
      if (value.kind === "array") for (const item of (value as ArrayNode).items) walk(item);
      if (value.kind === "env") envRefs++;
    };
    for (const b of file.blocks) walk(b.body);
    expect(members).toBe(text.match(/^\s*("[^"]*"|[A-Za-z_]\w*)\s*:/gm)!.length);
    expect(envRefs).toBe(10);
    // A sample deep value with its exact position.
    const producers = file.blocks[2]!.body;
    const created = valueOf(valueOf(member(producers, "ScriptEventProducer").value as ObjectNode, "events") as ObjectNode, "script.created");
    const topic = valueOf(created as ObjectNode, "topic");
    expect(topic).toMatchObject({ kind: "string", value: "script-events" });
    expect(topic.span.line).toBe(text.slice(0, topic.span.start).split("\n").length);
  });
});
