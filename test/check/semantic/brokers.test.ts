import { describe, expect, it } from "vitest";
import { check, config, only } from "./helpers.js";

const exchange = (extra = "") => `  validate: {
    ${extra}
    request_topic: "v.request"
    reply_topic: "v.reply"
    request_schema: { id: "uuid" }
    reply_schema: { ok: "boolean" }
  }`;

describe("broker resolution", () => {
  it("uses the first configured broker for blocks without one, with one warning naming it", () => {
    const r = check(config({ messaging: `  rabbitmq: { host: "127.0.0.1" }\n  kafka: { bootstrap_servers: ["127.0.0.1:9092"] }`, request_reply: exchange() }));
    const [warning] = only(r.diagnostics, "HYP3002");
    expect(warning?.message).toContain("`rabbitmq`");
    expect(warning?.help).toContain('default_broker: "rabbitmq"');
    expect(r.topology?.requestReply[0]?.broker).toBe("rabbitmq");
    expect(r.topology?.defaultBroker).toBe("rabbitmq");
  });

  it("says nothing when default_broker or the block's own broker decides", () => {
    const withDefault = check(
      config({ messaging: `  default_broker: "kafka"\n  rabbitmq: { host: "127.0.0.1" }\n  kafka: { bootstrap_servers: ["127.0.0.1:9092"] }`, request_reply: exchange() }),
    );
    expect(withDefault.codes).not.toContain("HYP3002");
    expect(withDefault.topology?.requestReply[0]?.broker).toBe("kafka");
    const own = check(config({ messaging: `  rabbitmq: { host: "127.0.0.1" }\n  kafka: { bootstrap_servers: ["127.0.0.1:9092"] }`, request_reply: exchange('broker: "kafka"') }));
    expect(own.codes).not.toContain("HYP3002");
    expect(own.topology?.requestReply[0]?.broker).toBe("kafka");
  });

  it("reports a broker that is not configured, with the configured ones as suggestions", () => {
    const r = check(config({ request_reply: exchange('broker: "rabbitmq"') }));
    const [d] = only(r.diagnostics, "HYP3001");
    expect(d?.severity).toBe("error");
    expect(d?.suggestions).toEqual(["kafka"]);
    expect(d?.span?.line).toBeGreaterThan(0);
  });

  it("reports a default_broker that is not configured", () => {
    const r = check(config({ messaging: `  default_broker: "activemq"\n  kafka: { bootstrap_servers: ["127.0.0.1:9092"] }` }));
    expect(only(r.diagnostics, "HYP3001")[0]?.message).toContain("`default_broker`");
  });

  it("reports once that no broker is configured at all", () => {
    const r = check(config({ messaging: "" }));
    expect(only(r.diagnostics, "HYP3003")).toHaveLength(1);
    expect(r.codes).not.toContain("HYP3001");
  });
});
