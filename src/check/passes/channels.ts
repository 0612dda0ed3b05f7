// Pub/sub channels and request-reply exchanges.
// Channel payloads (the seed gives none): an explicit `events: [...]` (event types, event names or group
// names, HYP3004 for unknown ones); else the events of the topic's namespace: those whose event_type starts
// with the topic's first dot-separated segment (`system.events` → `system.*`, `script.changes` → `script.*`),
// when there are any (and, with a partition_key, all of them have that field); else every event whose
// payload has the publisher's partition_key; else every event. What was inferred is said in an info (HYP3020). The publisher's partition_key must be
// a payload field of every event the channel carries (HYP3008).
// Exchanges: request and reply topic must differ (HYP3016).
import { inferredEvents, partitionKeyNotInPayload, requestReplySameTopic, undefinedEventType } from "../../diagnostics/constructors/semantic.js";
import type { ArrayNode, Span } from "../../ast.js";
import { stringItems } from "./ast-read.js";
import { allEventTypes, inEventOrder, type Context } from "./context.js";
import { expandEventRefs } from "./events.js";
import { didYouMean as suggest } from "../../diagnostics/did-you-mean.js";
import { resolveWrittenTopic } from "./topics.js";

export function checkChannels(ctx: Context): void {
  for (const channel of ctx.model.channels) {
    const what = `The pub/sub channel \`${channel.name}\``;
    let eventTypes: string[];
    const key = channel.partitionKey;
    if (channel.events) {
      eventTypes = explicitEvents(ctx, channel.events, what);
      if (key) {
        const lacking = eventTypes.filter((t) => !ctx.payloadFields.get(t)?.has(key.value));
        if (lacking.length > 0) ctx.diagnostics.push(partitionKeyNotInPayload(key.value, key.span, what, lacking, fieldsOf(ctx, lacking)));
      }
    } else if ((eventTypes = namespaceEvents(ctx, channel.topic?.value, key?.value)).length > 0) {
      const namespace = channel.topic!.value.split(".")[0]!;
      ctx.diagnostics.push(inferredEvents(what, channel.nameSpan, eventTypes, `its topic \`${channel.topic!.value}\` is in the \`${namespace}\` namespace, and these are the events whose event_type starts with \`${namespace}.\``));
    } else if (key) {
      eventTypes = allEventTypes(ctx).filter((t) => ctx.payloadFields.get(t)?.has(key.value));
      if (eventTypes.length === 0) {
        ctx.diagnostics.push(partitionKeyNotInPayload(key.value, key.span, what, allEventTypes(ctx), fieldsOf(ctx, allEventTypes(ctx))));
        eventTypes = allEventTypes(ctx);
      } else {
        ctx.diagnostics.push(inferredEvents(what, channel.nameSpan, eventTypes, `its publisher keys messages by \`${key.value}\`, and these are the events whose payload has that field`));
      }
    } else {
      eventTypes = allEventTypes(ctx);
      ctx.diagnostics.push(inferredEvents(what, channel.nameSpan, eventTypes, "its publisher names no partition_key"));
    }
    ctx.channelEvents.set(channel.name, eventTypes);

    if (channel.topic) {
      const broker = ctx.brokerOf.get(channel.node) ?? ctx.defaultBroker;
      const info = resolveWrittenTopic(ctx, channel.topic.value, broker, { what: `the pub/sub channel \`${channel.name}\``, span: channel.topic.span });
      for (const t of eventTypes) info.eventTypes.add(t);
    }
  }
}

export function checkExchanges(ctx: Context): void {
  for (const exchange of ctx.model.exchanges) {
    const broker = ctx.brokerOf.get(exchange.node) ?? ctx.defaultBroker;
    const { requestTopic, replyTopic } = exchange;
    if (requestTopic && replyTopic && requestTopic.value === replyTopic.value) {
      ctx.diagnostics.push(requestReplySameTopic(exchange.name, replyTopic.span, replyTopic.value, requestTopic.span));
    }
    const source = (span: Span) => ({ what: `the request-reply exchange \`${exchange.name}\``, span });
    if (requestTopic) resolveWrittenTopic(ctx, requestTopic.value, broker, source(requestTopic.span));
    if (replyTopic && replyTopic.value !== requestTopic?.value) resolveWrittenTopic(ctx, replyTopic.value, broker, source(replyTopic.span));
  }
}

/** Event types of an explicit `events` list, in declaration order; unknown names reported. */
export function explicitEvents(ctx: Context, list: ArrayNode, what: string): string[] {
  const out: string[] = [];
  const candidates = [...ctx.eventsByType.keys(), ...new Set([...ctx.eventsByType.values()].flatMap((e) => [e.name, e.group]))];
  for (const ref of stringItems(list)) {
    const types = expandEventRefs(ctx, ref.value);
    if (types) out.push(...types);
    else ctx.diagnostics.push(undefinedEventType(ref.value, ref.span, what, suggest(ref.value, candidates)));
  }
  return inEventOrder(ctx, out);
}

/** Events in the namespace of a dotted topic name, if every one of them has the partition key (when given). */
function namespaceEvents(ctx: Context, topic: string | undefined, key: string | undefined): string[] {
  if (topic === undefined || !topic.includes(".")) return [];
  const prefix = `${topic.split(".")[0]}.`;
  const types = allEventTypes(ctx).filter((t) => t.startsWith(prefix));
  if (key !== undefined && types.some((t) => !ctx.payloadFields.get(t)?.has(key))) return [];
  return types;
}

function fieldsOf(ctx: Context, types: readonly string[]): string[] {
  return [...new Set(types.flatMap((t) => [...(ctx.payloadFields.get(t) ?? [])]))];
}
