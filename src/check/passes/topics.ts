// Topic resolution (runs after producers, channels and exchanges are known).
//  - A producer route's physical topic is `<topic_prefix>.<topic>` (just `<topic>` without prefix).
//  - One logical name under two prefixes is ambiguous for consumers: HYP3011 naming both producers.
//  - Pub/sub channel and request-reply topics are physical names as written.
//  - A consumer names the logical topic (resolved through the producers declaring it) or a physical
//    one; a name nothing here writes to keeps its name as written, with HYP3012 (may come from outside).
//  - A topic lives on one broker (HYP3013); partitions = max partition any consumer lists + 1, at least 1.
import type { Span } from "../../ast.js";
import type { BrokerKind } from "@hypc/runtime";
import { ambiguousTopic, topicBrokerMismatch, topicNotProduced } from "../../diagnostics/constructors/semantic.js";
import type { Context, TopicInfo } from "./context.js";
import { didYouMean as suggest } from "../../diagnostics/did-you-mean.js";

export function physicalName(prefix: string | undefined, topic: string): string {
  return prefix !== undefined && prefix !== "" ? `${prefix}.${topic}` : topic;
}

/** Records that `what` writes to `name` on `broker`; reports a second broker for the same topic. */
export function declareTopic(
  ctx: Context,
  name: string,
  logical: string,
  broker: BrokerKind,
  source: { what: string; span: Span },
  produced: boolean,
): TopicInfo {
  const known = ctx.topics.get(name);
  if (!known) {
    const info: TopicInfo = { name, logical, broker, brokerSource: source, eventTypes: new Set(), produced, maxPartition: -1 };
    ctx.topics.set(name, info);
    return info;
  }
  // A broker that is not configured was reported already (HYP3001): no second error for the same mistake.
  const configured = (b: BrokerKind) => ctx.model.brokers.some((d) => d.kind === b);
  if (known.broker !== broker && configured(known.broker) && configured(broker)) {
    ctx.diagnostics.push(
      topicBrokerMismatch(name, source.span, source.what, broker, { what: known.brokerSource.what, broker: known.broker, span: known.brokerSource.span }),
    );
  } else if (produced && !known.produced) {
    // A consumer saw it first; the producer's declaration is the better "where".
    known.brokerSource = source;
  }
  if (produced) known.produced = true;
  return known;
}

export function resolveProducerTopics(ctx: Context): void {
  for (const producer of ctx.model.producers) {
    const broker = ctx.brokerOf.get(producer.node) ?? ctx.defaultBroker;
    const prefix = producer.topicPrefix?.value;
    for (const route of producer.routes) {
      if (!route.topic) continue;
      const logical = route.topic.value;
      const physical = physicalName(prefix, logical);
      const seen = ctx.logicalTopics.get(logical);
      if (!seen) ctx.logicalTopics.set(logical, { physical, producer: producer.name, span: route.topic.span });
      else if (seen.physical !== physical) {
        ctx.diagnostics.push(ambiguousTopic(logical, route.topic.span, physical, producer.name, seen));
      }
      const info = declareTopic(ctx, physical, logical, broker, { what: `the producer \`${producer.name}\``, span: route.topic.span }, true);
      if (ctx.eventsByType.has(route.eventType)) info.eventTypes.add(route.eventType);
    }
  }
}

export function resolveConsumerTopics(ctx: Context): void {
  for (const consumer of ctx.model.consumers) {
    const broker = ctx.brokerOf.get(consumer.node) ?? ctx.defaultBroker;
    const names: string[] = [];
    for (const sub of consumer.subscriptions) {
      const written = sub.name.value;
      const physical = ctx.logicalTopics.get(written)?.physical ?? written;
      const known = ctx.topics.get(physical);
      if (!known?.produced) {
        const candidates = [...ctx.logicalTopics.keys(), ...[...ctx.topics.values()].filter((t) => t.produced).map((t) => t.name)];
        ctx.diagnostics.push(topicNotProduced(written, sub.name.span, consumer.name, suggest(written, candidates)));
      }
      const info = declareTopic(ctx, physical, written, broker, { what: `the consumer \`${consumer.name}\``, span: sub.name.span }, false);
      for (const p of sub.partitions) info.maxPartition = Math.max(info.maxPartition, p.value);
      if (!names.includes(physical)) names.push(physical);
    }
    ctx.consumerTopics.set(consumer.name, names);
  }
}

/** The physical topic of a channel or exchange: written as is. */
export function resolveWrittenTopic(ctx: Context, name: string, broker: BrokerKind, source: { what: string; span: Span }): TopicInfo {
  return declareTopic(ctx, name, name, broker, source, true);
}
