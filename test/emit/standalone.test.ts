// standaloneModule writes what ajv's standaloneCode writes, in linear time: byte-identical for schemas that share
// subschemas, and still working where ajv's own quadratic version overflows the call stack.
import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { standaloneModule } from "../../src/emit/standalone.js";

const require = createRequire(import.meta.url);
const Ajv2020 = (require("ajv/dist/2020") as typeof import("ajv/dist/2020.js")).default;
const standaloneCode = (require("ajv/dist/standalone") as typeof import("ajv/dist/standalone/index.js")).default;

function ajvWith(schemas: readonly object[], allErrors = true): { ajv: InstanceType<typeof Ajv2020>; refs: Record<string, string> } {
  const ajv = new Ajv2020({ code: { source: true, esm: true }, allErrors, strict: false });
  ajv.addSchema({ type: "object", required: ["message_id"], properties: { message_id: { type: "string" } } }, "meta");
  const refs: Record<string, string> = {};
  schemas.forEach((schema, i) => {
    ajv.addSchema(schema, `s${i}`);
    refs[`v${i}`] = `s${i}`;
  });
  return { ajv, refs };
}

const event = (i: number) => ({
  type: "object",
  required: ["event_type", "metadata"],
  properties: { event_type: { const: `e.${i}` }, metadata: { $ref: "meta" }, payload: { type: "object", properties: { n: { type: "integer", minimum: i } } } },
});

describe("standaloneModule", () => {
  it("writes exactly what ajv's standaloneCode writes (shared subschemas defined once)", () => {
    const { ajv, refs } = ajvWith([event(0), event(1), event(2), { type: "array", items: { $ref: "meta" } }]);
    expect(standaloneModule(ajv, refs)).toBe(standaloneCode(ajv, refs));
  });

  it("handles thousands of validators, where ajv's version overflows the call stack", () => {
    // ajv's standaloneCode throws RangeError here, after ~6 s of quadratic copying (not run: too slow for a test).
    const { ajv, refs } = ajvWith(Array.from({ length: 6000 }, (_, i) => event(i)), false);
    const source = standaloneModule(ajv, refs);
    expect(source.match(/const \w+ = \{"type":"object","required":\["message_id"\]/g)).toHaveLength(1); // shared, defined once
    // Evaluated as a script (a 6,000-export ES module is slow to import through vitest's module graph).
    const module: Record<string, (d: unknown) => boolean> = {};
    new Function("exports", source.replace(/export const (v\d+) = /g, "exports.$1 = "))(module);
    expect(module["v5999"]!({ event_type: "e.5999", metadata: { message_id: "m" }, payload: { n: 6000 } })).toBe(true);
    expect(module["v5999"]!({ event_type: "e.5999", metadata: {} })).toBe(false);
  }, 60_000);
});
