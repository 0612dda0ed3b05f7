// A configuration spread over several files (mindLink) is one model: blocks merge across files.
import { describe, expect, it } from "vitest";
import { check } from "../semantic/helpers.js";

describe("blocks spread over files", () => {
  it("resolves references across files and merges a block split over two files", () => {
    const r = check({
      "main.hyp": `mindLink "events.hyp";
messaging { kafka: { bootstrap_servers: ["127.0.0.1:9092"] } }
events { B: { Two: { event_type: "b.two", payload: { id: "uuid" } } } }
event_producers { P: { broker: "kafka", topic_prefix: "x", events: { "a.one": { topic: "t", partition_key: "id" }, "b.two": { topic: "t" } } } }
event_consumers { C: { broker: "kafka", group_id: "g", topics: [{ name: "t" }], handlers: { "*": { handler: "All" } } } }`,
      "events.hyp": `events { A: { One: { event_type: "a.one", payload: { id: "uuid" } } } }`,
    });
    expect(r.structural).toEqual([]);
    expect(r.diagnostics).toEqual([]);
    expect(r.topology?.events.map((e) => e.eventType)).toEqual(["b.two", "a.one"]);
    expect(r.topology?.consumers[0]?.handlers[0]?.eventTypes).toEqual(["b.two", "a.one"]);
  });

  it("points secondary labels into the other file", () => {
    const r = check({
      "a.hyp": `events { A: { One: { event_type: "dup", payload: { id: "uuid" } } } }`,
      "b.hyp": `events { B: { Two: { event_type: "dup", payload: { id: "uuid" } } } }`,
    });
    const [d] = r.diagnostics.filter((x) => x.code === "HYP3005");
    expect(d?.span?.file).toBe("b.hyp");
    expect(d?.secondary?.[0]?.span.file).toBe("a.hyp");
  });
});
