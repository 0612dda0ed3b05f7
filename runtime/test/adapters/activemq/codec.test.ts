// The ActiveMQ wire mapping (pure): headers AMQP 1.0 has a property for travel in it, the rest as
// application-properties, and the receiver gets the same header names back.
import { describe, expect, it } from "vitest";
import { bodyBytes, deliveryCountOf, headersOf, idOf, keyOf, toAmqp } from "../../../src/adapters/activemq/codec.js";
import type { OutgoingMessage } from "../../../src/transport.js";

const message: OutgoingMessage = {
  topic: "t",
  key: "user-7",
  id: "m-1",
  body: Buffer.from('{"a":1}'),
  headers: { "x-correlation-id": "corr-1", "x-reply-to": "replies", "x-hypc-event-type": "user.created", "x-trace-id": "trace-1", "x-span-id": "span-1" },
};

describe("activemq wire mapping", () => {
  it("sends correlation id, reply-to and event type as AMQP properties, other headers as application properties", () => {
    const amqp = toAmqp(message, undefined);
    expect(amqp).toMatchObject({ message_id: "m-1", correlation_id: "corr-1", reply_to: "replies", subject: "user.created", group_id: "user-7", durable: true });
    expect(amqp.application_properties).toEqual({ "x-trace-id": "trace-1", "x-span-id": "span-1" });
  });

  it("gives the receiver the same headers, key and id back", () => {
    const amqp = toAmqp(message, undefined);
    const headers = headersOf(amqp);
    expect(headers).toEqual(message.headers);
    expect(keyOf(amqp)).toBe("user-7");
    expect(keyOf(amqp, headers)).toBe("user-7");
    expect(idOf(amqp)).toBe("m-1");
    expect(bodyBytes(amqp.body).toString()).toBe('{"a":1}');
    expect(deliveryCountOf(amqp)).toBe(1);
  });

  it("keeps an application property of the same name over the AMQP property (other senders)", () => {
    const headers = headersOf({ correlation_id: "from-property", application_properties: { "x-correlation-id": "from-header" }, body: "b" });
    expect(headers["x-correlation-id"]).toBe("from-header");
  });

  it("sends no application properties when every header has a property", () => {
    expect(toAmqp({ ...message, headers: { "x-correlation-id": "c" } }, undefined).application_properties).toBeUndefined();
  });
});
