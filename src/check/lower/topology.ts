// Lowering: the checked model → the Topology the runtime reads (runtime/src/topology.ts). Config parts
// come from the spec's `materialize` (defaults applied, snake_case as written); the `resolved` parts
// (physical topics, partitions, brokers, handler slots, event sets, schemas) from the passes' context.
import type {
  GuaranteesConfig,
  HandlerSlot,
  MessagingConfig,
  MonitoringConfig,
  ProducerRoute,
  ResolvedConsumer,
  ResolvedDeadLetter,
  ResolvedEvent,
  ResolvedProducer,
  ResolvedPubSub,
  ResolvedRequestReply,
  ResolvedTopic,
  RetryPolicy,
  Topology,
} from "@hypc/runtime";
import { overlay, read, sub, type Obj } from "./spec-read.js";
import { objectAt, strAt } from "../passes/ast-read.js";
import { handlerEventTypes } from "../passes/consumers.js";
import type { Context } from "../passes/context.js";
import { inEventOrder } from "../passes/context.js";
import { bodySchema, eventSchema } from "./schema.js";

/** Batch defaults when only one of batch_size/batch_timeout is given (docs/resolution.md). */
const defaultBatchSize = 100;
const defaultBatchTimeout = 1000;

export function lowerTopology(ctx: Context): Topology {
  const m = ctx.model;
  const messaging = read(m.messaging, ["messaging"]) as unknown as MessagingConfig;
  const guarantees = read(m.guarantees, ["message_guarantees"]) as unknown as GuaranteesConfig;
  const monitoring = read(m.monitoring, ["message_monitoring"]) as unknown as MonitoringConfig;
  const topology: Topology = {
    topologyVersion: 1,
    messaging: { ...messaging, default_broker: ctx.defaultBroker },
    defaultBroker: ctx.defaultBroker,
    events: lowerEvents(ctx),
    topics: lowerTopics(ctx),
    producers: lowerProducers(ctx, guarantees),
    consumers: lowerConsumers(ctx, messaging),
    requestReply: lowerRequestReply(ctx),
    pubSub: lowerPubSub(ctx),
    guarantees,
    monitoring,
  };
  const deadLetter = lowerDeadLetter(ctx);
  return deadLetter ? { ...topology, deadLetter } : topology;
}

function lowerEvents(ctx: Context): ResolvedEvent[] {
  return [...ctx.eventsByType.entries()].map(([eventType, ev]) => {
    const version = strAt(ev.node, "version")?.value ?? (overlay(undefined, ["events", "*", "*"])["version"] as string | undefined) ?? "1.0";
    const source = strAt(ev.metadata, "source")?.value ?? "";
    return {
      eventType,
      name: ev.name,
      group: ev.group,
      version,
      source,
      schema: eventSchema({ eventType, name: ev.name, payload: ev.payload, metadata: ev.metadata }),
    };
  });
}

function lowerTopics(ctx: Context): ResolvedTopic[] {
  return [...ctx.topics.values()].map((t) => ({
    name: t.name,
    logical: t.logical,
    broker: t.broker,
    partitions: Math.max(1, t.maxPartition + 1),
    eventTypes: inEventOrder(ctx, t.eventTypes),
  }));
}

/** The key of a route: its partition_key, else (ordering on) the first ordering field in the payload. */
function routeKey(ctx: Context, eventType: string, written: string | undefined, guarantees: GuaranteesConfig): string | undefined {
  if (written !== undefined) return written;
  const ordering = guarantees.message_ordering;
  if (!ordering?.enabled) return undefined;
  const fields = ctx.payloadFields.get(eventType);
  return ordering.partition_key.fields.find((f) => fields?.has(f));
}

function lowerProducers(ctx: Context, guarantees: GuaranteesConfig): ResolvedProducer[] {
  return ctx.model.producers.map((p) => {
    const routes: ProducerRoute[] = [];
    for (const route of p.routes) {
      if (!ctx.eventsByType.has(route.eventType) || !route.topic) continue;
      const topic = ctx.logicalTopics.get(route.topic.value);
      const physical = p.topicPrefix?.value ? `${p.topicPrefix.value}.${route.topic.value}` : (topic?.physical ?? route.topic.value);
      const key = routeKey(ctx, route.eventType, route.partitionKey?.value, guarantees);
      const r: ProducerRoute = { eventType: route.eventType, topic: physical, retry: overlay(objectAt(route.node, "retry_policy"), ["event_producers", "*", "events", "*", "retry_policy"]) as unknown as RetryPolicy };
      routes.push(key !== undefined ? { ...r, partitionKey: key } : r);
    }
    const lowered: ResolvedProducer = {
      name: p.name,
      broker: ctx.brokerOf.get(p.node) ?? ctx.defaultBroker,
      routes,
      serialization: read(objectAt(p.node, "serialization"), ["event_producers", "*", "serialization"]) as unknown as ResolvedProducer["serialization"],
      validation: read(objectAt(p.node, "validation"), ["event_producers", "*", "validation"]) as unknown as ResolvedProducer["validation"],
    };
    return p.topicPrefix?.value ? { ...lowered, topicPrefix: p.topicPrefix.value } : lowered;
  });
}

function lowerConsumers(ctx: Context, messaging: MessagingConfig): ResolvedConsumer[] {
  return ctx.model.consumers.map((c) => {
    const broker = ctx.brokerOf.get(c.node) ?? ctx.defaultBroker;
    // A consumer's settings override its broker's consumer settings (Kafka's), then the spec's defaults.
    const base = (broker === "kafka" ? messaging.kafka?.consumer : undefined) ?? (read(undefined, ["messaging", "kafka", "consumer"]) as unknown as NonNullable<MessagingConfig["kafka"]>["consumer"]);
    const own = overlay(c.settings, ["event_consumers", "*", "settings"]);
    const setting = <K extends keyof ResolvedConsumer["settings"]>(key: K): ResolvedConsumer["settings"][K] =>
      (own[key] as ResolvedConsumer["settings"][K] | undefined) ?? base[key];
    const topics = c.subscriptions.map((s) => {
      const physical = ctx.logicalTopics.get(s.name.value)?.physical ?? s.name.value;
      const count = Math.max(1, (ctx.topics.get(physical)?.maxPartition ?? -1) + 1);
      const listed = s.partitions.map((p) => p.value);
      return {
        name: physical,
        // No partitions listed = all of them.
        partitions: listed.length > 0 ? [...new Set(listed)] : Array.from({ length: count }, (_, n) => n),
        auto_offset_reset: (strAt(s.node, "auto_offset_reset")?.value as "earliest" | "latest" | undefined) ?? base.auto_offset_reset,
      };
    });
    const handlers: HandlerSlot[] = c.handlers.flatMap((h): HandlerSlot[] => {
      if (!h.handler) return [];
      const raw = overlay(h.node, ["event_consumers", "*", "handlers", "*"]);
      const slot: HandlerSlot = {
        handler: h.handler.value,
        key: h.key,
        eventTypes: handlerEventTypes(ctx, c, h),
        concurrency: raw["concurrency"] as number,
        timeout: raw["timeout"] as number,
        retry: overlay(objectAt(h.node, "retry_policy"), ["event_consumers", "*", "handlers", "*", "retry_policy"]) as unknown as RetryPolicy,
      };
      const size = raw["batch_size"] as number | undefined;
      const timeout = raw["batch_timeout"] as number | undefined;
      return [size !== undefined || timeout !== undefined ? { ...slot, batch: { size: size ?? defaultBatchSize, timeout: timeout ?? defaultBatchTimeout } } : slot];
    });
    return {
      name: c.name,
      broker,
      groupId: strAt(c.node, "group_id")?.value ?? base.group_id,
      topics,
      handlers,
      settings: {
        max_poll_records: setting("max_poll_records"),
        max_poll_interval_ms: setting("max_poll_interval_ms"),
        session_timeout_ms: setting("session_timeout_ms"),
        heartbeat_interval_ms: setting("heartbeat_interval_ms"),
        enable_auto_commit: setting("enable_auto_commit"),
        auto_commit_interval_ms: setting("auto_commit_interval_ms"),
      },
    };
  });
}

function lowerRequestReply(ctx: Context): ResolvedRequestReply[] {
  return ctx.model.exchanges.flatMap((x): ResolvedRequestReply[] => {
    if (!x.requestTopic || !x.replyTopic) return [];
    const obj = read(x.node, ["request_reply", "*"]);
    const fields = (key: string) => {
      const v = x.node.members.find((mm) => mm.key === key)?.value;
      return v?.kind === "object" ? v : undefined;
    };
    return [
      {
        name: x.name,
        broker: ctx.brokerOf.get(x.node) ?? ctx.defaultBroker,
        requestTopic: x.requestTopic.value,
        replyTopic: x.replyTopic.value,
        correlationIdHeader: obj["correlation_id_header"] as string,
        requestSchema: bodySchema(`request:${x.name}`, `${x.name} request`, fields("request_schema")),
        replySchema: bodySchema(`reply:${x.name}`, `${x.name} reply`, fields("reply_schema")),
        timeout: obj["timeout"] as number,
        retry: sub(obj, "retry_policy") as unknown as RetryPolicy,
      },
    ];
  });
}

function lowerPubSub(ctx: Context): ResolvedPubSub[] {
  return ctx.model.channels.flatMap((ch): ResolvedPubSub[] => {
    if (!ch.topic) return [];
    const obj = read(ch.node, ["pub_sub", "*"]);
    const pub = sub(obj, "publisher");
    const publisher: ResolvedPubSub["publisher"] = {
      name: (pub["name"] as string | undefined) ?? ch.name,
      partition_strategy: pub["partition_strategy"] as "hash" | "round_robin",
      message_format: sub(pub, "message_format") as unknown as ResolvedPubSub["publisher"]["message_format"],
    };
    const subscribers = (Array.isArray(obj["subscribers"]) ? (obj["subscribers"] as Obj[]) : []).filter(
      (s) => typeof s["handler"] === "string" && typeof s["group_id"] === "string",
    );
    return [
      {
        name: ch.name,
        broker: ctx.brokerOf.get(ch.node) ?? ctx.defaultBroker,
        topic: ch.topic.value,
        eventTypes: ctx.channelEvents.get(ch.name) ?? [],
        publisher: typeof pub["partition_key"] === "string" ? { ...publisher, partition_key: pub["partition_key"] } : publisher,
        subscribers: subscribers.map((s) => ({
          name: (s["name"] as string | undefined) ?? (s["group_id"] as string),
          group_id: s["group_id"] as string,
          handler: s["handler"] as string,
          concurrency: s["concurrency"] as number,
        })),
      },
    ];
  });
}

function lowerDeadLetter(ctx: Context): ResolvedDeadLetter | undefined {
  const dl = ctx.model.deadLetter;
  if (!dl) return undefined;
  const obj = read(dl.node, ["dead_letter_queue"]);
  const config = sub(obj, "dlq_config");
  const main = sub(config, "main_queue");
  const dlq = sub(config, "dlq_queue");
  if (typeof main["name"] !== "string" || typeof dlq["name"] !== "string") return undefined;
  const handlersRaw = sub(obj, "dlq_handlers");
  return {
    broker: ctx.brokerOf.get(dl.node) ?? ctx.defaultBroker,
    mainQueue: {
      name: main["name"],
      max_retries: main["max_retries"] as number,
      retry_delay: main["retry_delay"] as number,
      dlq_name: (main["dlq_name"] as string | undefined) ?? dlq["name"],
      eventTypes: ctx.deadLetterEvents,
    },
    dlqQueue: { name: dlq["name"], message_retention: dlq["message_retention"] as number, max_redelivery: dlq["max_redelivery"] as number },
    handlers: Object.entries(handlersRaw).flatMap(([group, value]) => {
      const h = value as Obj;
      if (typeof h["handler"] !== "string") return [];
      const lowered = {
        group,
        handler: h["handler"],
        concurrency: h["concurrency"] as number,
        timeout: h["timeout"] as number,
        error_categories: sub(h, "error_categories") as ResolvedDeadLetter["handlers"][number]["error_categories"],
      };
      return [h["ui"] !== undefined ? { ...lowered, ui: sub(h, "ui") as unknown as NonNullable<ResolvedDeadLetter["handlers"][number]["ui"]> } : lowered];
    }),
  };
}
