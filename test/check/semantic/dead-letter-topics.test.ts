import { describe, expect, it } from "vitest";
import { check, config } from "./helpers.js";

describe("dead-letter queues as topics", () => {
  it("lets a consumer read the work queue and the DLQ without a 'produced nowhere' warning", () => {
    const r = check(
      config({
        dead_letter_queue: `  broker: "kafka"
  dlq_config: {
    main_queue: { name: "work", dlq_name: "work-dlq", events: ["order.placed"] }
    dlq_queue: { name: "work-dlq" }
  }`,
        event_consumers: `  C: { broker: "kafka", group_id: "g", topics: [{ name: "work" }, { name: "work-dlq" }], handlers: { "order.placed": { handler: "OrderPlacedHandler" } } }`,
      }),
    );
    expect(r.codes).toEqual([]);
    expect(r.topology?.topics.find((t) => t.name === "work")?.eventTypes).toEqual(["order.placed"]);
  });
});
