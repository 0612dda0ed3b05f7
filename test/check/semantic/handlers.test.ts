import { describe, expect, it } from "vitest";
import { check, config, only } from "./helpers.js";

const consumers = (handlers: string, more = "") => `  C: { broker: "kafka", group_id: "g", topics: [{ name: "orders" }, { name: "customers" }], handlers: { ${handlers} } }
${more}`;

describe("handler names", () => {
  it("allows the same name for exactly the same event type in two consumers (one slot)", () => {
    const r = check(
      config({
        event_consumers: consumers(
          `"order.placed": { handler: "OrderPlacedHandler" }, "order.shipped": { handler: "OrderShippedHandler" }, "customer.joined": { handler: "Joined" }`,
          `  D: { broker: "kafka", group_id: "d", topics: [{ name: "orders" }], handlers: { "order.placed": { handler: "OrderPlacedHandler", concurrency: 4 }, "order.shipped": { handler: "OrderShippedHandler" } } }`,
        ),
      }),
    );
    expect(r.diagnostics).toEqual([]);
  });

  it("rejects the same name for different event types, naming both uses", () => {
    const r = check(config({ event_consumers: consumers(`"order.placed": { handler: "H" }, "order.shipped": { handler: "H" }`) }));
    const [d] = only(r.diagnostics, "HYP3018");
    expect(d?.message).toContain("`order.shipped` in `C`");
    expect(d?.message).toContain("`order.placed` in `C`");
    expect(d?.secondary?.[0]?.message).toBe("first use");
  });

  it("rejects the same name for a batch and a single-message handler of the same types", () => {
    const r = check(
      config({
        event_consumers: consumers(
          `"customer.joined": { handler: "Joined", batch_size: 10 }`,
          `  D: { broker: "kafka", group_id: "d", topics: [{ name: "customers" }], handlers: { "customer.joined": { handler: "Joined" } } }`,
        ),
      }),
    );
    expect(only(r.diagnostics, "HYP3018")).toHaveLength(1);
  });

  it("rejects the same name in two roles (consumer handler and dead-letter handler)", () => {
    const r = check(
      config({
        dead_letter_queue: `  dlq_config: {
    main_queue: { name: "work", dlq_name: "work-dlq" }
    dlq_queue: { name: "work-dlq" }
  }
  dlq_handlers: { analysis: { handler: "OrderPlacedHandler" } }`,
      }),
    );
    expect(only(r.diagnostics, "HYP3018")[0]?.message).toContain("dead-letter handler group `analysis`");
  });

  it("requires valid identifiers and advises PascalCase", () => {
    const r = check(config({ event_consumers: consumers(`"order.placed": { handler: "order-placed handler" }, "order.shipped": { handler: "shipped_handler" }`) }));
    expect(only(r.diagnostics, "HYP3017")[0]?.help).toContain("`OrderPlacedHandler`");
    const [style] = only(r.diagnostics, "HYP3019");
    expect(style?.severity).toBe("info");
    expect(style?.help).toBe("Consider `ShippedHandler`.");
  });

  it("gives a * handler the union of its topics' event types", () => {
    const r = check(config({ event_consumers: consumers(`"*": { handler: "Everything", batch_timeout: 200 }`) }));
    const slot = r.topology?.consumers[0]?.handlers[0];
    expect(slot?.eventTypes).toEqual(["order.placed", "order.shipped", "customer.joined"]);
    expect(slot?.batch).toEqual({ size: 100, timeout: 200 });
    expect(slot?.retry).toEqual({ max_retries: 3, backoff_strategy: "exponential", initial_delay: 1000, max_delay: 30000, multiplier: 2, jitter: 0.2 });
  });
});
