// `message_ordering` fields. When ordering is enabled, each event routed by a producer or a pub/sub
// channel (except round_robin channels, which have no key) must have at least one of
// `partition_key.fields` in its payload, otherwise it has no ordering
// key (HYP3009, once per event type). A field that no routed event has is probably a typo (HYP3010).
// (Lowering uses the first of these fields present in the payload as the key of routes that name no
// partition_key.)
import type { Span } from "../../ast.js";
import { orderingFieldsMissing, unknownOrderingField } from "../../diagnostics/constructors/semantic.js";
import { didYouMean } from "../../diagnostics/did-you-mean.js";
import { arrayAt, boolAt, objectAt, strAt, stringItems } from "./ast-read.js";
import type { Context } from "./context.js";

export function checkOrdering(ctx: Context): void {
  const ordering = objectAt(ctx.model.guarantees, "message_ordering");
  if (boolAt(ordering, "enabled") !== true) return;
  const fieldsNode = arrayAt(objectAt(ordering, "partition_key"), "fields");
  const fields = stringItems(fieldsNode);
  if (!fieldsNode || fields.length === 0) return;
  const names = fields.map((f) => f.value);

  // Where each routed event type is first routed, for the primary span.
  const routed = new Map<string, Span>();
  for (const producer of ctx.model.producers) {
    for (const route of producer.routes) if (ctx.eventsByType.has(route.eventType) && !routed.has(route.eventType)) routed.set(route.eventType, route.keySpan);
  }
  for (const channel of ctx.model.channels) {
    // A round_robin channel has no key at all: per-key ordering does not apply to it.
    if (strAt(channel.publisher, "partition_strategy")?.value === "round_robin") continue;
    for (const t of ctx.channelEvents.get(channel.name) ?? []) if (!routed.has(t)) routed.set(t, channel.topic?.span ?? channel.nameSpan);
  }

  const present = new Set<string>();
  for (const [eventType, span] of routed) {
    const payload = ctx.payloadFields.get(eventType) ?? new Set<string>();
    const has = names.filter((n) => payload.has(n));
    has.forEach((n) => present.add(n));
    if (has.length === 0) ctx.diagnostics.push(orderingFieldsMissing(eventType, span, names, fieldsNode.span));
  }
  if (routed.size === 0) return;
  const allRoutedFields = new Set([...routed.keys()].flatMap((t) => [...(ctx.payloadFields.get(t) ?? [])]));
  for (const field of fields) {
    if (!present.has(field.value)) ctx.diagnostics.push(unknownOrderingField(field.value, field.span, didYouMean(field.value, allRoutedFields)));
  }
}
