import { describe, expect, it } from "vitest";
import { check, config, only } from "./helpers.js";

const channel = (extra: string, key = "", topic = "order.changes") => `  changes: {
    topic: "${topic}"
    ${extra}
    publisher: { name: "Pub" ${key} }
    subscribers: [{ name: "S", group_id: "s", handler: "ChangeHandler" }]
  }`;

describe("pub/sub channels", () => {
  it("infers the events of the topic's namespace first, and says so", () => {
    const r = check(config({ pub_sub: channel("") }));
    expect(r.topology?.pubSub[0]?.eventTypes).toEqual(["order.placed", "order.shipped"]);
    const [info] = only(r.diagnostics, "HYP3020");
    expect(info?.severity).toBe("info");
    expect(info?.message).toContain("`order` namespace");
  });

  it("skips the namespace when one of its events lacks the partition_key", () => {
    const r = check(config({ pub_sub: channel("", `, partition_key: "customer_id"`, "customer.changes") }));
    expect(r.topology?.pubSub[0]?.eventTypes).toEqual(["customer.joined"]);
    const none = check(config({ pub_sub: channel("", `, partition_key: "order_id"`, "customer.changes") }));
    expect(none.topology?.pubSub[0]?.eventTypes).toEqual(["order.placed", "order.shipped"]);
    expect(only(none.diagnostics, "HYP3020")[0]?.message).toContain("`order_id`");
  });

  it("infers the events that have the publisher's partition_key, and says so", () => {
    const r = check(config({ pub_sub: channel("", `, partition_key: "order_id"`, "changes") }));
    expect(r.topology?.pubSub[0]?.eventTypes).toEqual(["order.placed", "order.shipped"]);
    const [info] = only(r.diagnostics, "HYP3020");
    expect(info?.severity).toBe("info");
    expect(info?.message).toContain("`order_id`");
  });

  it("carries every event without partition_key", () => {
    const r = check(config({ pub_sub: channel("", "", "changes") }));
    expect(r.topology?.pubSub[0]?.eventTypes).toEqual(["order.placed", "order.shipped", "customer.joined"]);
    expect(r.codes).toContain("HYP3020");
  });

  it("accepts explicit events by type, name or group, and reports unknown ones", () => {
    const ok = check(config({ pub_sub: channel(`events: ["CustomerEvents", "OrderShipped"]`) }));
    expect(ok.topology?.pubSub[0]?.eventTypes).toEqual(["order.shipped", "customer.joined"]);
    expect(ok.codes).not.toContain("HYP3020");
    const bad = check(config({ pub_sub: channel(`events: ["CustomerEvent"]`) }));
    expect(only(bad.diagnostics, "HYP3004")[0]?.suggestions).toContain("CustomerEvents");
  });

  it("requires the partition_key on every event an explicit list names", () => {
    const r = check(config({ pub_sub: channel(`events: ["order.placed", "customer.joined"]`, `, partition_key: "order_id"`) }));
    expect(only(r.diagnostics, "HYP3008")[0]?.message).toContain("`customer.joined`");
  });

  it("lets a consumer read a channel topic without warning", () => {
    const r = check(
      config({
        pub_sub: channel(`events: ["order.placed"]`),
        event_consumers: `  C: { broker: "kafka", group_id: "g", topics: [{ name: "order.changes" }], handlers: { "order.placed": { handler: "OrderPlacedHandler" } } }`,
      }),
    );
    // Only the implicit broker of the channel is mentioned: the topic is produced (by the channel).
    expect(r.codes).toEqual(["HYP3002"]);
  });
});

describe("request-reply and dead letters", () => {
  it("rejects the same request and reply topic", () => {
    const r = check(
      config({
        request_reply: `  validate: { request_topic: "v", reply_topic: "v", request_schema: { id: "uuid" }, reply_schema: { ok: "boolean" } }`,
      }),
    );
    const [d] = only(r.diagnostics, "HYP3016");
    expect(d?.severity).toBe("error");
    expect(d?.secondary?.[0]?.message).toBe("request topic");
  });

  it("requires dlq_name to name the dlq_queue and defaults the work queue to all events", () => {
    const dlq = (name: string, events = "") => `  broker: "kafka"
  dlq_config: {
    main_queue: { name: "work", dlq_name: "${name}" ${events} }
    dlq_queue: { name: "work-dlq" }
  }
  dlq_handlers: { analysis: { handler: "Analysis" } }`;
    const bad = check(config({ dead_letter_queue: dlq("work-dql") }));
    const [d] = only(bad.diagnostics, "HYP3015");
    expect(d?.suggestions).toEqual(["work-dlq"]);
    expect(d?.help).toContain('dlq_name: "work-dlq"');
    const ok = check(config({ dead_letter_queue: dlq("work-dlq") }));
    expect(ok.codes).toEqual(["HYP3020"]);
    expect(ok.topology?.deadLetter?.mainQueue.eventTypes).toHaveLength(3);
    const explicit = check(config({ dead_letter_queue: dlq("work-dlq", `, events: ["OrderEvents"]`) }));
    expect(explicit.codes).toEqual([]);
    expect(explicit.topology?.deadLetter?.mainQueue.eventTypes).toEqual(["order.placed", "order.shipped"]);
  });
});
