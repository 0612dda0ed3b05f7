// bench/gen-config.ts must produce configurations the whole compiler accepts (the benchmarks fail otherwise),
// with exactly the requested number of events, handlers and producer mappings.
import { describe, expect, it } from "vitest";
import type { ObjectNode } from "../../src/ast.js";
import { generateConfig, GROUP_SIZE } from "../../bench/gen-config.js";
import { compile } from "../../src/compile.js";
import { memoryFileSystem } from "../../src/parse/load-program.js";
import { block, parse } from "./helpers.js";

const countNested = (object: ObjectNode, key: string): number =>
  object.members.reduce((sum, m) => {
    if (m.value.kind !== "object") return sum;
    const inner = m.value.members.find((x) => x.key === key);
    return sum + (inner?.value.kind === "object" ? inner.value.members.length : 0);
  }, 0);

describe("generateConfig", () => {
  it.each([1, 25, 137])("generates %i events with a producer mapping and a handler each", (events) => {
    const { file, diagnostics } = parse(generateConfig(events));
    expect(diagnostics).toEqual([]);
    expect(file.blocks.map((b) => b.name)).toEqual([
      "messaging", "events", "event_producers", "event_consumers", "request_reply", "pub_sub",
      "dead_letter_queue", "message_guarantees", "message_monitoring",
    ]);
    const groups = block(file, "events").body.members;
    expect(groups).toHaveLength(Math.ceil(events / GROUP_SIZE));
    expect(groups.reduce((n, g) => n + (g.value.kind === "object" ? g.value.members.length : 0), 0)).toBe(events);
    expect(countNested(block(file, "event_producers").body, "events")).toBe(events);
    expect(countNested(block(file, "event_consumers").body, "handlers")).toBe(events);
  });

  it("is deterministic", () => {
    expect(generateConfig(30)).toBe(generateConfig(30));
  });

  it("compiles without errors through the whole checker", async () => {
    const result = await compile(["/gen.hyp"], { fs: memoryFileSystem({ "/gen.hyp": generateConfig(60) }) });
    expect(result.diagnostics.filter((d) => d.severity === "error").map((d) => `${d.code} ${d.message}`)).toEqual([]);
    expect(result.topology).toBeDefined();
  });
});
