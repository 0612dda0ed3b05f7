import { describe, expect, it } from "vitest";
import { check, config, only } from "./helpers.js";

describe("topic resolution", () => {
  it("resolves logical and fully-qualified names to the producer's physical topic", () => {
    const r = check(
      config({
        event_consumers: `  A: { broker: "kafka", group_id: "a", topics: [{ name: "orders", partitions: [0, 5] }], handlers: { "*": { handler: "AHandler" } } }
  B: { broker: "kafka", group_id: "b", topics: [{ name: "shop.orders" }], handlers: { "*": { handler: "AHandler" } } }`,
      }),
    );
    expect(r.diagnostics).toEqual([]);
    expect(r.topology?.consumers.map((c) => c.topics[0]?.name)).toEqual(["shop.orders", "shop.orders"]);
    const orders = r.topology?.topics.find((t) => t.name === "shop.orders");
    expect(orders?.partitions).toBe(6);
    expect(orders?.eventTypes).toEqual(["order.placed", "order.shipped"]);
    // No partitions listed = all of them.
    expect(r.topology?.consumers[1]?.topics[0]?.partitions).toEqual([0, 1, 2, 3, 4, 5]);
    // Without prefix the physical name is the topic itself.
    expect(r.topology?.topics.find((t) => t.logical === "customers")?.name).toBe("customers");
  });

  it("keeps an unknown topic as written and warns with suggestions", () => {
    const r = check(config({ event_consumers: `  C: { broker: "kafka", group_id: "g", topics: [{ name: "order" }], handlers: { "order.placed": { handler: "H" } } }` }));
    const [d] = only(r.diagnostics, "HYP3012");
    expect(d?.severity).toBe("warning");
    expect(d?.suggestions).toContain("orders");
    expect(r.topology?.topics.find((t) => t.name === "order")).toMatchObject({ eventTypes: [], partitions: 1 });
    // The handler's topic comes from outside, so no "never arrives" warning.
    expect(r.codes).not.toContain("HYP3014");
  });

  it("reports one logical name under two prefixes, naming both producers", () => {
    const r = check(
      config({
        event_producers: `  P1: { broker: "kafka", topic_prefix: "a", events: { "order.placed": { topic: "orders" } } }
  P2: { broker: "kafka", topic_prefix: "b", events: { "order.shipped": { topic: "orders" } } }`,
      }),
    );
    const [d] = only(r.diagnostics, "HYP3011");
    expect(d?.message).toContain("`P1`");
    expect(d?.message).toContain("`P2`");
    expect(d?.secondary?.[0]?.message).toBe("`a.orders` here");
  });

  it("reports a topic read on another broker than it is produced on", () => {
    const r = check(
      config({
        messaging: `  kafka: { bootstrap_servers: ["127.0.0.1:9092"] }\n  rabbitmq: { host: "127.0.0.1" }`,
        event_consumers: `  C: { broker: "rabbitmq", group_id: "g", topics: [{ name: "orders" }], handlers: { "order.placed": { handler: "H" } } }`,
      }),
    );
    expect(only(r.diagnostics, "HYP3013")[0]?.message).toContain("on `kafka`");
  });

  it("tells which arriving event types have no handler (acknowledged and skipped)", () => {
    const r = check(config({ event_consumers: `  C: { broker: "kafka", group_id: "g", topics: [{ name: "orders" }], handlers: { "order.placed": { handler: "H" } } }` }));
    const [d] = only(r.diagnostics, "HYP3021");
    expect(d?.severity).toBe("info");
    expect(d?.message).toContain("`order.shipped`");
  });

  it("warns about a handler whose event type never arrives on the consumer's topics", () => {
    const r = check(config({ event_consumers: `  C: { broker: "kafka", group_id: "g", topics: [{ name: "orders" }], handlers: { "customer.joined": { handler: "H" } } }` }));
    const [d] = only(r.diagnostics, "HYP3014");
    expect(d?.help).toContain("`order.placed`, `order.shipped`");
  });
});
