// events { <Group>: { <Event>: { event_type, version, payload, metadata } } }: the event catalogue.
// Payload fields are type strings of the mini-language in src/spec/field-types.ts.
import { fieldType, map, obj, str } from "../define.js";

const event = obj("One event: its wire name, version, payload fields and metadata", {
  event_type: str("Name on the wire, e.g. `script.created`", { required: true }),
  version: str("Schema version of the payload", { default: "1.0" }),
  payload: map("Payload fields and their types", "<field>", fieldType("Type of the field, e.g. `uuid`, `string?`, `array<uuid>`"), {
    required: true,
  }),
  metadata: obj(
    "Envelope metadata: the producing service and the types of the correlation fields",
    {
      source: str("Name of the producing service, sent as `metadata.source`"),
      message_id: fieldType("Type of `metadata.message_id`", { default: "uuid" }),
      correlation_id: fieldType("Type of `metadata.correlation_id`", { default: "uuid" }),
      causation_id: fieldType("Type of `metadata.causation_id`", { default: "uuid" }),
      timestamp: fieldType("Type of `metadata.timestamp`", { default: "timestamp" }),
    },
    { optional: true },
  ),
});

export const eventsBlock = map(
  "Event groups; each group's keys are event names (PascalCase, used for TypeScript types)",
  "<Group>",
  map("Events of this group", "<Event>", event),
);
