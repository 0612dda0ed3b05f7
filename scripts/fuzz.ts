// Fuzzing the front end with fast-check: mutated fixture files (deleted, inserted, duplicated ranges), token
// soup and random bytes. The property: parseSource never throws, and every diagnostic and every AST node has a
// valid span (offsets within the text, line/column agreeing with the offsets).
//
//   npx tsx scripts/fuzz.ts 100000        # runs that many cases per input kind (default 10,000)
//   npx tsx scripts/fuzz.ts 5000 1234     # ...with a fixed seed
//
// test/parse/fuzz.test.ts runs the same properties with a few thousand cases.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import type { Span, ValueNode } from "../src/ast.js";
import { lex } from "../grammar/lexer.js";
import { parseSource } from "../src/parse/parse-source.js";

/** Checks spans against the text with its own line table (independent of src/parse/line-index.ts). */
export function spanChecker(text: string): (span: Span | undefined, what: string) => void {
  const lineStarts = [0];
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === "\n" || (c === "\r" && text[i + 1] !== "\n")) lineStarts.push(i + 1);
  }
  const position = (offset: number): [number, number] => {
    let line = 0;
    while (line + 1 < lineStarts.length && lineStarts[line + 1]! <= offset) line++;
    return [line + 1, offset - lineStarts[line]! + 1];
  };
  return (span, what) => {
    if (!span) throw new Error(`${what}: no span`);
    if (!(Number.isInteger(span.start) && Number.isInteger(span.end) && span.start >= 0 && span.start <= span.end && span.end <= text.length)) {
      throw new Error(`${what}: offsets out of bounds ${JSON.stringify(span)} (text length ${text.length})`);
    }
    const [line, column] = position(span.start);
    const [endLine, endColumn] = position(span.end);
    if (span.line !== line || span.column !== column || span.endLine !== endLine || span.endColumn !== endColumn) {
      throw new Error(`${what}: positions ${JSON.stringify(span)} disagree with offsets (expected ${line}:${column}-${endLine}:${endColumn})`);
    }
  };
}

/** The property: parse, then check every span. Throws (fails the case) on any violation. */
export function checkParse(text: string): void {
  const path = "fuzz.hyp";
  const { file, diagnostics } = parseSource(path, text);
  const check = spanChecker(text);
  for (const d of diagnostics) {
    check(d.span, `diagnostic ${d.code} "${d.message}"`);
    for (const label of d.secondary ?? []) check(label.span, `secondary label of ${d.code}`);
    if (!d.message || typeof d.message !== "string") throw new Error(`diagnostic ${d.code} without message`);
  }
  const walk = (value: ValueNode, what: string): void => {
    check(value.span, what);
    if (value.kind === "object") {
      for (const member of value.members) {
        check(member.span, `member ${member.key}`);
        check(member.keySpan, `key ${member.key}`);
        walk(member.value, `value of ${member.key}`);
      }
    } else if (value.kind === "array") {
      value.items.forEach((item, i) => walk(item, `item ${i}`));
    }
  };
  check(file.span, "file");
  for (const imported of file.imports) {
    check(imported.span, "import");
    check(imported.pathSpan, "import path");
  }
  for (const block of file.blocks) {
    check(block.span, `block ${block.name}`);
    check(block.nameSpan, `block name ${block.name}`);
    walk(block.body, `body of ${block.name}`);
  }
  if (file.span.file !== path) throw new Error("file span has the wrong path");
}

const repoRoot = fileURLToPath(new URL(import.meta.url.includes("/dist/") ? "../../" : "../", import.meta.url));

/** The seed and every diagnostics fixture: realistic text to mutate. */
export function fixtureTexts(): string[] {
  const texts = [readFileSync(`${repoRoot}fixtures/seed/messaging.hyp`, "utf8")];
  try {
    for (const name of readdirSync(`${repoRoot}fixtures/diagnostics`).sort()) {
      if (name.endsWith(".hyp")) texts.push(readFileSync(`${repoRoot}fixtures/diagnostics/${name}`, "utf8"));
    }
  } catch {
    // no diagnostics fixtures yet: the seed alone is enough to mutate
  }
  return texts;
}

const fragments = [
  "{", "}", "[", "]", ":", ",", ";", ".", '"', "'", "\\", "/*", "*/", "//", "\n", "\r\n", " ", "\t",
  "env", "env.", "mindLink", "true", "false", "-", "1e999", "0.5", "\\u", "\\q", "key", '"k"', "@", "\u0000", "😀",
];

type Mutation =
  | { kind: "delete"; at: number; length: number }
  | { kind: "insert"; at: number; text: string }
  | { kind: "duplicate"; at: number; length: number; to: number };

function applyMutation(text: string, m: Mutation): string {
  const at = Math.floor(m.at * text.length);
  switch (m.kind) {
    case "delete":
      return text.slice(0, at) + text.slice(at + m.length);
    case "insert":
      return text.slice(0, at) + m.text + text.slice(at);
    case "duplicate": {
      const to = Math.floor(m.to * text.length);
      const piece = text.slice(at, at + m.length);
      return text.slice(0, to) + piece + text.slice(to);
    }
  }
}

const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant("delete" as const), at: position, length: fc.integer({ min: 1, max: 200 }) }),
  fc.record({
    kind: fc.constant("insert" as const),
    at: position,
    text: fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 8 }), fc.string({ unit: "binary", maxLength: 4 })),
  }),
  fc.record({ kind: fc.constant("duplicate" as const), at: position, length: fc.integer({ min: 1, max: 400 }), to: position }),
);

/** A fixture file with 1–8 mutations applied. */
export function mutatedFixture(texts: readonly string[]): fc.Arbitrary<string> {
  return fc
    .tuple(fc.integer({ min: 0, max: texts.length - 1 }), fc.array(mutation, { minLength: 1, maxLength: 8 }))
    .map(([index, mutations]) => mutations.reduce(applyMutation, texts[index]!));
}

/**
 * A fixture file with token ranges deleted or duplicated elsewhere (cut at real token boundaries, so the result
 * is made of valid tokens in a wrong order: the parser's recovery, not the lexer's, is exercised).
 */
export function tokenMutatedFixture(texts: readonly string[]): fc.Arbitrary<string> {
  const boundaries = texts.map((text) => lex(text).tokens.filter((t) => t.image !== "").map((t) => [t.startOffset, t.startOffset + t.image.length] as const));
  const edit = fc.record({
    duplicate: fc.boolean(),
    from: position,
    count: fc.integer({ min: 1, max: 12 }),
    to: position,
  });
  return fc.tuple(fc.integer({ min: 0, max: texts.length - 1 }), fc.array(edit, { minLength: 1, maxLength: 5 })).map(([index, edits]) => {
    let text = texts[index]!;
    const tokens = boundaries[index]!;
    if (tokens.length === 0) return text;
    // Apply edits from the end of the file backwards so earlier token offsets stay valid.
    const planned = edits
      .map((e) => {
        const first = Math.floor(e.from * tokens.length);
        const last = Math.min(tokens.length - 1, first + e.count - 1);
        return { ...e, start: tokens[first]![0], end: tokens[last]![1], at: tokens[Math.floor(e.to * tokens.length)]![0] };
      })
      .sort((a, b) => Math.max(b.start, b.at) - Math.max(a.start, a.at));
    for (const e of planned) {
      const piece = text.slice(e.start, e.end);
      text = e.duplicate ? text.slice(0, e.at) + piece + " " + text.slice(e.at) : text.slice(0, e.start) + text.slice(e.end);
    }
    return text;
  });
}

/** Sequences of syntax fragments and short strings: dense in brackets, quotes and keywords. */
export const tokenSoup: fc.Arbitrary<string> = fc
  .array(fc.oneof(fc.constantFrom(...fragments), fc.string({ maxLength: 3 })), { maxLength: 200 })
  .map((parts) => parts.join(""));

/** Random bytes read as UTF-8 (invalid sequences become U+FFFD) or as Latin-1. */
export const randomBytes: fc.Arbitrary<string> = fc
  .tuple(fc.uint8Array({ maxLength: 2000 }), fc.boolean())
  .map(([bytes, utf8]) => Buffer.from(bytes).toString(utf8 ? "utf8" : "latin1"));

function main(): void {
  const runs = Number(process.argv[2] ?? 10_000);
  const seed = process.argv[3] !== undefined ? Number(process.argv[3]) : Date.now() % 2 ** 31;
  const texts = fixtureTexts();
  const kinds: [string, fc.Arbitrary<string>][] = [
    ["mutated fixtures", mutatedFixture(texts)],
    ["token-mutated fixtures", tokenMutatedFixture(texts)],
    ["token soup", tokenSoup],
    ["random bytes", randomBytes],
  ];
  process.stdout.write(`fuzzing with seed ${seed}, ${runs} runs per kind, ${texts.length} fixture texts\n`);
  for (const [name, arbitrary] of kinds) {
    const t0 = performance.now();
    fc.assert(
      fc.property(arbitrary, (text) => checkParse(text)),
      { numRuns: runs, seed },
    );
    process.stdout.write(`  ${name}: ${runs} cases ok in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
}

if (process.argv[1] !== undefined && /fuzz\.[cm]?[jt]s$/.test(process.argv[1])) main();
