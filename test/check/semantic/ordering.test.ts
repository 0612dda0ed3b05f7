import { describe, expect, it } from "vitest";
import { check, config, only } from "./helpers.js";

const guarantees = (fields: string) => `  message_ordering: { enabled: true, partition_key: { fields: [${fields}] } }`;

describe("message ordering fields", () => {
  it("accepts fields that every routed event has one of", () => {
    const r = check(config({ message_guarantees: guarantees(`"order_id", "customer_id"`) }));
    expect(r.codes.filter((c) => c.startsWith("HYP30"))).toEqual([]);
  });

  it("warns once per routed event that has none of the fields", () => {
    const r = check(config({ message_guarantees: guarantees(`"order_id"`) }));
    const ds = only(r.diagnostics, "HYP3009");
    expect(ds.map((d) => d.message)).toEqual([expect.stringContaining("`customer.joined`")]);
    expect(ds[0]?.secondary?.[0]?.message).toBe("ordering fields declared here");
  });

  it("warns about a field no routed event has, with suggestions", () => {
    const r = check(config({ message_guarantees: guarantees(`"order_id", "customer_id", "ordr_id"`) }));
    expect(only(r.diagnostics, "HYP3010")[0]?.suggestions).toContain("order_id");
  });

  it("keys routes without partition_key by the first ordering field in their payload", () => {
    const r = check(
      config({
        event_producers: `  P: { broker: "kafka", events: { "order.placed": { topic: "orders" }, "customer.joined": { topic: "customers" } } }`,
        message_guarantees: guarantees(`"customer_id", "order_id"`),
      }),
    );
    expect(r.topology?.producers[0]?.routes.map((x) => x.partitionKey)).toEqual(["order_id", "customer_id"]);
  });

  it("checks nothing when ordering is off", () => {
    const r = check(config({ message_guarantees: `  message_ordering: { enabled: false, partition_key: { fields: ["nope"] } }` }));
    expect(r.codes).toEqual([]);
  });
});
