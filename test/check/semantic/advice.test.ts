import { describe, expect, it } from "vitest";
import { check, config, only } from "./helpers.js";

const kafka = (inner: string) => `  kafka: { bootstrap_servers: ["127.0.0.1:9092"]
    ${inner}
  }`;

describe("kafka advice", () => {
  it("warns when the heartbeat is not below a third of the session timeout", () => {
    const r = check(config({ messaging: kafka(`consumer: { session_timeout_ms: 9000, heartbeat_interval_ms: 3000 }`) }));
    const [d] = only(r.diagnostics, "HYP4001");
    expect(d?.help).toBe("Set `heartbeat_interval_ms` to at most 3000, or raise `session_timeout_ms`.");
    expect(check(config({ messaging: kafka(`consumer: { session_timeout_ms: 9001, heartbeat_interval_ms: 3000 }`) })).codes).not.toContain("HYP4001");
  });

  it("checks a consumer's settings against the inherited broker settings", () => {
    const r = check(
      config({
        messaging: kafka(`consumer: { session_timeout_ms: 30000 }`),
        event_consumers: `  C: { broker: "kafka", group_id: "g", topics: [{ name: "orders" }], handlers: { "order.placed": { handler: "OrderPlacedHandler" } }
    settings: { heartbeat_interval_ms: 12000, max_poll_interval_ms: 20000 } }`,
      }),
    );
    expect(only(r.diagnostics, "HYP4001")[0]?.message).toContain("`C`");
    expect(only(r.diagnostics, "HYP4002")[0]?.message).toContain("(20000) is below `session_timeout_ms` (30000)");
  });

  it("warns when one consumer group reads different topics in different places", () => {
    const channel = (group: string) => `  c: { broker: "kafka", topic: "c", events: ["order.placed"], publisher: { name: "P" }, subscribers: [{ name: "S", group_id: "${group}", handler: "SHandler" }] }`;
    const shared = check(config({ pub_sub: channel("orders") }));
    const [d] = only(shared.diagnostics, "HYP4012");
    expect(d?.message).toContain("the consumer `OrderConsumer`");
    expect(d?.secondary?.[0]?.message).toBe("first used here");
    expect(check(config({ pub_sub: channel("audit") })).codes).not.toContain("HYP4012");
  });

  it("warns about SASL PLAIN without SSL", () => {
    const r = check(
      config({ messaging: kafka(`producer: { security: { sasl_mechanism: "PLAIN", sasl_username: env.U, sasl_password: env.P, ssl_enabled: false } }`) }),
    );
    expect(only(r.diagnostics, "HYP4006")[0]?.secondary?.[0]?.message).toBe("SSL off");
  });
});

describe("guarantees as policy", () => {
  const atLeastOnce = (producer: string, consumer = "") => `  at_least_once: { enabled: true, producer: { ${producer} }, consumer: { manual_commit: true ${consumer} } }`;

  it("warns where enable_auto_commit contradicts manual commits", () => {
    const r = check(
      config({
        event_consumers: `  C: { broker: "kafka", group_id: "g", topics: [{ name: "orders" }], handlers: { "order.placed": { handler: "OrderPlacedHandler" } }
    settings: { enable_auto_commit: true } }`,
        message_guarantees: atLeastOnce(`acks: "all"`),
      }),
    );
    expect(only(r.diagnostics, "HYP4003")).toHaveLength(1);
  });

  it("warns where kafka acks or retries contradict the policy, and about idempotence without acks all", () => {
    const r = check(
      config({
        messaging: kafka(`producer: { acks: "1", retries: 1 }`),
        message_guarantees: atLeastOnce(`acks: "all", retries: 3`),
      }),
    );
    expect(r.codes).toEqual(expect.arrayContaining(["HYP4009", "HYP4010"]));
    const idem = check(config({ message_guarantees: atLeastOnce(`acks: "1", idempotence: true`) }));
    expect(idem.codes).toContain("HYP4011");
  });

  it("errors on transactions with SQS/SNS and warns on RabbitMQ, only for brokers in use", () => {
    const messaging = `${kafka("")}\n  aws_messaging: { region: "eu-west-1" }\n  rabbitmq: { host: "127.0.0.1" }`;
    const tx = atLeastOnce(`transactional: true`);
    const unused = check(config({ messaging, message_guarantees: tx }));
    expect(unused.codes.filter((c) => c === "HYP4007" || c === "HYP4008")).toEqual([]);
    const used = check(
      config({
        messaging,
        message_guarantees: tx,
        pub_sub: `  c: { broker: "aws_messaging", topic: "t", publisher: { name: "P" }, subscribers: [] }
  d: { broker: "rabbitmq", topic: "u", events: ["order.placed"], publisher: { name: "Q" }, subscribers: [] }`,
      }),
    );
    expect(only(used.diagnostics, "HYP4007")[0]?.severity).toBe("error");
    expect(only(used.diagnostics, "HYP4008")[0]?.message).toContain("tx.select");
  });

  it("says where a redis idempotency store connects, unless redis_url is given", () => {
    const eo = (extra: string) => `  exactly_once: { enabled: true, idempotence: { enabled: true, storage: "redis" ${extra} } }`;
    expect(only(check(config({ message_guarantees: eo("") })).diagnostics, "HYP4005")[0]?.message).toContain("HYPC_REDIS_URL");
    expect(check(config({ message_guarantees: eo(", redis_url: env.REDIS_URL") })).codes).not.toContain("HYP4005");
  });

  it("tells how ordering and concurrency combine, once", () => {
    const r = check(
      config({
        event_consumers: `  C: { broker: "kafka", group_id: "g", topics: [{ name: "orders" }], handlers: { "order.placed": { handler: "OrderPlacedHandler", concurrency: 4 }, "order.shipped": { handler: "OrderShippedHandler", concurrency: 2 } } }`,
        message_guarantees: `  message_ordering: { enabled: true, partition_key: { fields: ["order_id", "customer_id"] } }`,
      }),
    );
    const ds = only(r.diagnostics, "HYP4004");
    expect(ds).toHaveLength(1);
    expect(ds[0]?.severity).toBe("warning");
    expect(ds[0]?.secondary?.map((s) => s.message)).toEqual(["OrderPlacedHandler: concurrency 4", "OrderShippedHandler: concurrency 2"]);
  });
});
