import { describe, expect, it } from "vitest";
import { TimeoutError, TransportError, ValidationError } from "../../src/errors.js";
import { toDeadLetter } from "../../src/core/dead-letter-consumer.js";
import { deadLetter } from "../../src/middleware/dead-letter.js";
import type { OutgoingMessage } from "../../src/transport.js";
import { attemptOf, envelope, received, services, through } from "./harness.js";

const categories = {
  validation_error: { action: "log_and_alert", severity: "warning" },
  timeout_error: { action: "retry_with_backoff", max_retries: 2 },
  system_error: { action: "escalate", severity: "critical" },
} as const;

describe("dead-letter middleware", () => {
  it("publishes to the DLQ with reason headers, THEN acks the original", async () => {
    const s = services();
    const order: string[] = [];
    const published: OutgoingMessage[] = [];
    const m = received(envelope(), { deliveryCount: 4, topic: "orders", key: "k1", headers: { "x-trace-id": "t1", "x-hypc-attempt": "4" } });
    const ack = m.ack;
    Object.assign(m, { ack: async () => (order.push("ack"), ack()) });
    const mw = deadLetter({
      dlqTopic: () => "orders.dlq",
      publish: async (msgs) => {
        order.push("dlq");
        published.push(...msgs);
      },
      categories,
      services: s,
    });
    await through(mw, async () => {
      throw new Error("boom");
    })(attemptOf(m, "OrderHandler"));
    expect(order).toEqual(["dlq", "ack"]);
    const letter = published[0]!;
    expect(letter.topic).toBe("orders.dlq");
    expect(letter.key).toBe("k1");
    expect(letter.body.equals(m.body)).toBe(true);
    expect(letter.headers).toMatchObject({
      "x-trace-id": "t1",
      "x-hypc-original-topic": "orders",
      "x-hypc-error": "boom",
      "x-hypc-attempts": "4",
      "x-hypc-category": "system_error",
      "x-hypc-handler": "OrderHandler",
    });
    expect(letter.headers["x-hypc-attempt"]).toBeUndefined();
    expect(Date.parse(letter.headers["x-hypc-failed-at"]!)).not.toBeNaN();
    expect(s.events.map((e) => e.kind)).toEqual(["dead_lettered", "escalated", "alert"]);
    expect(s.logger.entries.some((e) => e.level === "error" && e.message.includes("escalated"))).toBe(true);
  });

  it("categorizes validation and timeout errors and applies the category action", async () => {
    const s = services();
    const published: OutgoingMessage[] = [];
    const mw = deadLetter({ dlqTopic: () => "dlq", publish: async (msgs) => void published.push(...msgs), categories, services: s });
    await through(mw, async () => {
      throw new ValidationError("bad payload", ["/payload/x: must be string"]);
    })(attemptOf(received(envelope())));
    await through(mw, async () => {
      throw new TimeoutError("too slow");
    })(attemptOf(received(envelope())));
    expect(published.map((p) => p.headers["x-hypc-category"])).toEqual(["validation_error", "timeout_error"]);
    expect(s.events.filter((e) => e.kind === "alert")).toMatchObject([{ severity: "warning", category: "validation_error" }]);
    expect(s.logger.entries.filter((e) => e.level === "warn").length).toBeGreaterThanOrEqual(2);
  });

  it("never drops: if the DLQ publish fails, the original is nacked for redelivery, not acked", async () => {
    const s = services();
    const m = received(envelope());
    const mw = deadLetter({
      dlqTopic: () => "dlq",
      publish: async () => {
        throw new TransportError("broker gone", { retriable: true });
      },
      categories,
      services: s,
      dlqFailureDelayMs: 123,
    });
    await through(mw, async () => {
      throw new Error("boom");
    })(attemptOf(m));
    expect(m.acks).toBe(0);
    expect(m.nacks).toEqual([{ delayMs: 123 }]);
    expect(s.events.some((e) => e.kind === "dead_lettered")).toBe(false);
  });
});

describe("DeadLetter.key", () => {
  it("keeps the original partition key on the DLQ message and as x-hypc-original-key, and reads either back", async () => {
    const published: OutgoingMessage[] = [];
    const step = through(deadLetter({ dlqTopic: () => "t.dlq", publish: async (m) => void published.push(...m), categories: {}, services: services() }), async () => {
      throw new Error("boom");
    });
    await step(attemptOf(received(envelope(), { key: "script-42" })));
    expect(published[0]?.key).toBe("script-42");
    expect(published[0]?.headers["x-hypc-original-key"]).toBe("script-42");
    // A broker that lost the key (no key on the received DLQ message): the header brings it back.
    const dlqCopy = { ...received(envelope()), headers: published[0]!.headers, body: published[0]!.body };
    expect(toDeadLetter(dlqCopy).key).toBe("script-42");
    expect(toDeadLetter(received(envelope())).key).toBeUndefined();
  });
});
