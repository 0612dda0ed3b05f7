// Read the blocks of every file into one Model. A block may be spread over several files
// (mindLink): src/spec/merge-blocks.ts concatenates its members in program order and the first
// occurrence of a key wins (duplicates are the structural checker's to report; this pass reports nothing).
import type { BlockNode, ObjectNode, Program } from "../../ast.js";
import { mergeBlocks } from "../../spec/merge-blocks.js";
import { arrayAt, numAt, objectAt, objectMembers, strAt } from "./ast-read.js";
import {
  isBrokerKind,
  type BrokerDecl,
  type ChannelDecl,
  type ConsumerDecl,
  type DeadLetterDecl,
  type EventDecl,
  type ExchangeDecl,
  type HandlerDecl,
  type Model,
  type ProducerDecl,
  type SubscriptionDecl,
} from "./model.js";

export function collect(program: Program): Model {
  const blocks = new Map<string, { first: BlockNode; body: ObjectNode }>();
  for (const [name, merged] of mergeBlocks(program)) blocks.set(name, { first: merged.occurrences[0]!, body: merged.body });
  const body = (name: string): ObjectNode | undefined => blocks.get(name)?.body;
  const messaging = body("messaging");
  return {
    blocks,
    messaging,
    brokers: collectBrokers(messaging),
    defaultBroker: strAt(messaging, "default_broker"),
    events: collectEvents(body("events")),
    producers: objectMembers(body("event_producers")).map(({ member: m, value }) => collectProducer(m.key, m.keySpan, value)),
    consumers: objectMembers(body("event_consumers")).map(({ member: m, value }) => collectConsumer(m.key, m.keySpan, value)),
    exchanges: objectMembers(body("request_reply")).map(({ member: m, value }): ExchangeDecl => ({
      name: m.key,
      nameSpan: m.keySpan,
      node: value,
      broker: strAt(value, "broker"),
      requestTopic: strAt(value, "request_topic"),
      replyTopic: strAt(value, "reply_topic"),
    })),
    channels: objectMembers(body("pub_sub")).map(({ member: m, value }) => collectChannel(m.key, m.keySpan, value)),
    deadLetter: collectDeadLetter(blocks.get("dead_letter_queue")),
    guarantees: body("message_guarantees"),
    monitoring: body("message_monitoring"),
  };
}

function collectBrokers(messaging: ObjectNode | undefined): BrokerDecl[] {
  const out: BrokerDecl[] = [];
  for (const { member: m, value } of objectMembers(messaging)) {
    if (isBrokerKind(m.key) && !out.some((b) => b.kind === m.key)) out.push({ kind: m.key, member: m, node: value });
  }
  return out;
}

function collectEvents(events: ObjectNode | undefined): EventDecl[] {
  const out: EventDecl[] = [];
  for (const { member: group, value: groupNode } of objectMembers(events)) {
    for (const { member: ev, value } of objectMembers(groupNode)) {
      out.push({
        group: group.key,
        groupSpan: group.keySpan,
        groupNode,
        name: ev.key,
        nameSpan: ev.keySpan,
        node: value,
        eventType: strAt(value, "event_type"),
        payload: objectAt(value, "payload"),
        metadata: objectAt(value, "metadata"),
      });
    }
  }
  return out;
}

function collectProducer(name: string, nameSpan: ProducerDecl["nameSpan"], node: ObjectNode): ProducerDecl {
  return {
    name,
    nameSpan,
    node,
    broker: strAt(node, "broker"),
    topicPrefix: strAt(node, "topic_prefix"),
    routes: objectMembers(objectAt(node, "events")).map(({ member: m, value }) => ({
      eventType: m.key,
      keySpan: m.keySpan,
      node: value,
      topic: strAt(value, "topic"),
      partitionKey: strAt(value, "partition_key"),
    })),
  };
}

function collectConsumer(name: string, nameSpan: ConsumerDecl["nameSpan"], node: ObjectNode): ConsumerDecl {
  const subscriptions: SubscriptionDecl[] = [];
  for (const item of arrayAt(node, "topics")?.items ?? []) {
    if (item.kind !== "object") continue;
    const topicName = strAt(item, "name");
    if (!topicName) continue;
    const partitions = (arrayAt(item, "partitions")?.items ?? []).filter(
      (p): p is Extract<typeof p, { kind: "number" }> => p.kind === "number" && p.integer && p.value >= 0,
    );
    subscriptions.push({ node: item, name: topicName, partitions });
  }
  const handlers: HandlerDecl[] = objectMembers(objectAt(node, "handlers")).map(({ member: m, value }) => ({
    key: m.key,
    keySpan: m.keySpan,
    node: value,
    handler: strAt(value, "handler"),
    concurrency: numAt(value, "concurrency"),
  }));
  return { name, nameSpan, node, broker: strAt(node, "broker"), subscriptions, handlers, settings: objectAt(node, "settings") };
}

function collectChannel(name: string, nameSpan: ChannelDecl["nameSpan"], node: ObjectNode): ChannelDecl {
  const publisher = objectAt(node, "publisher");
  const subscribers = (arrayAt(node, "subscribers")?.items ?? [])
    .filter((s): s is ObjectNode => s.kind === "object")
    .map((s) => ({ node: s, name: strAt(s, "name"), handler: strAt(s, "handler"), concurrency: numAt(s, "concurrency") }));
  return {
    name,
    nameSpan,
    node,
    broker: strAt(node, "broker"),
    topic: strAt(node, "topic"),
    publisher,
    partitionKey: strAt(publisher, "partition_key"),
    events: arrayAt(node, "events"),
    subscribers,
  };
}

function collectDeadLetter(block: { first: BlockNode; body: ObjectNode } | undefined): DeadLetterDecl | undefined {
  if (!block) return undefined;
  const config = objectAt(block.body, "dlq_config");
  const mainQueue = objectAt(config, "main_queue");
  return {
    block: block.first,
    node: block.body,
    broker: strAt(block.body, "broker"),
    mainQueue,
    dlqQueue: objectAt(config, "dlq_queue"),
    events: arrayAt(mainQueue, "events"),
    handlers: objectMembers(objectAt(block.body, "dlq_handlers")).map(({ member: m, value }) => ({
      group: m.key,
      groupSpan: m.keySpan,
      node: value,
      handler: strAt(value, "handler"),
      concurrency: numAt(value, "concurrency"),
    })),
  };
}

