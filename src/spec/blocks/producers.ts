// event_producers { <Producer>: { broker, topic_prefix, events: { <event_type>: route }, serialization, validation } }
import { bool, brokerKinds, compressions, int, list, map, obj, oneOf, retryPolicy, str } from "../define.js";

const route = obj("Where one event type is sent", {
  topic: str("Logical topic; the physical name is `<topic_prefix>.<topic>`", { required: true }),
  partition_key: str("Payload field whose value keys the message (partition and ordering)"),
  retry_policy: retryPolicy("a failed send", { maxRetries: 3, initialDelay: 1000 }),
});

const producer = obj("A producer: the events it sends and how", {
  broker: oneOf("Broker the producer sends to", brokerKinds, { required: true }),
  topic_prefix: str("Prefix of every physical topic name of this producer"),
  events: map("Event types this producer sends (keys are `event_type`s)", "<event_type>", route, { required: true, minEntries: 1 }),
  serialization: obj("Encoding of message bodies", {
    format: oneOf("Body format", ["json"], { default: "json" }),
    compression: oneOf("Body compression", compressions, { default: "none" }),
    schema_registry: obj(
      "Schema registry to register event schemas with",
      {
        url: str("Registry URL", {
          required: true,
          pattern: { regex: /^https?:\/\/\S+$/, description: "an http(s) URL", example: "http://127.0.0.1:8081" },
        }),
        auto_register: bool("Register schemas on first send", { default: false }),
      },
      { optional: true },
    ),
  }),
  validation: obj("Checks before a message is sent", {
    schema_validation: bool("Validate the envelope against the event's JSON Schema before sending", { default: true }),
    required_fields: list("Envelope fields that must be present", str("An envelope field name"), {
      default: ["event_type", "payload", "metadata"],
      uniqueItems: true,
    }),
    payload_size_limit: int("Largest encoded body accepted", { default: 1048576, min: 1, unit: "bytes" }),
  }),
});

export const eventProducersBlock = map("Producers by name", "<Producer>", producer);
