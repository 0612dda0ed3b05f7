import { describe, expect, it } from "vitest";
import { check, config, only } from "./helpers.js";

describe("event declarations and references", () => {
  it("reports a duplicate event_type with the first declaration as secondary label", () => {
    const r = check(
      config({
        events: `  A: {
    One: { event_type: "x.happened", payload: { id: "uuid" } }
    Two: { event_type: "x.happened", payload: { id: "uuid" } }
  }`,
        event_producers: "",
        event_consumers: "",
      }),
    );
    const [d] = only(r.diagnostics, "HYP3005");
    expect(d?.span?.line).toBe(8);
    expect(d?.secondary?.[0]?.span.line).toBe(7);
  });

  it("reports the same event name in two groups, not twice in one group (a structural duplicate)", () => {
    const r = check(
      config({
        events: `  A: { Same: { event_type: "a.same", payload: { id: "uuid" } } }
  B: { Same: { event_type: "b.same", payload: { id: "uuid" } } }`,
        event_producers: "",
        event_consumers: "",
      }),
    );
    expect(only(r.diagnostics, "HYP3006")).toHaveLength(1);
  });

  it("requires event and group names to be type names", () => {
    const r = check(config({ events: `  "my-events": { "order-placed": { event_type: "o.p", payload: { id: "uuid" } } }`, event_producers: "", event_consumers: "" }));
    expect(only(r.diagnostics, "HYP3007").map((d) => d.help)).toEqual([
      "Use letters, digits and `_`, starting with a letter, e.g. `MyEvents`.",
      "Use letters, digits and `_`, starting with a letter, e.g. `OrderPlaced`.",
    ]);
  });

  it("reports undefined event types in producers and consumers with suggestions", () => {
    const r = check(
      config({
        event_producers: `  P: { broker: "kafka", events: { "order.placed": { topic: "orders" }, "order.plcaed": { topic: "orders" } } }`,
        event_consumers: `  C: { broker: "kafka", group_id: "g", topics: [{ name: "orders" }], handlers: { "order.shiped": { handler: "H" } } }`,
      }),
    );
    const ds = only(r.diagnostics, "HYP3004");
    expect(ds.map((d) => d.suggestions?.[0])).toEqual(["order.placed", "order.shipped"]);
    // The route that failed is not lowered; the valid one is.
    expect(r.topology?.producers[0]?.routes.map((x) => x.eventType)).toEqual(["order.placed"]);
  });

  it("requires partition_key to be a payload field of the routed event", () => {
    const r = check(config({ event_producers: `  P: { broker: "kafka", events: { "order.placed": { topic: "orders", partition_key: "orderid" } } }` }));
    const [d] = only(r.diagnostics, "HYP3008");
    expect(d?.suggestions).toContain("order_id");
  });
});
