// The naming model: every TypeScript name the generated modules declare, computed once from the Topology so
// that all files agree. Names that are not identifiers or that collide are reported (HYP5001/HYP5002) and
// the declaration is left out: generation continues with partial output.
import type {
  HandlerSlot,
  ResolvedConsumer,
  ResolvedDeadLetter,
  ResolvedEvent,
  ResolvedProducer,
  ResolvedPubSub,
  ResolvedRequestReply,
  Topology,
} from "@hypc/runtime";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import type { Locator } from "./locate.js";
import { NameRegistry } from "./name-registry.js";
import { camelCase, pascalCase } from "./names.js";

export interface EventModel {
  readonly event: ResolvedEvent;
  readonly payload: string;
  readonly metadata: string;
  readonly envelope: string;
  /** Method name on producers / publishers: `scriptCreated`. */
  readonly method: string;
}

export interface EventHandlerModel {
  readonly name: string;
  readonly batch: boolean;
  readonly eventTypes: readonly string[];
  /** Where it is declared: consumer slots in consumers.ts, subscriber-only handlers in pub-sub.ts. */
  readonly module: "consumers" | "pub-sub";
  /** Human description of its uses, for the doc comment. */
  readonly uses: readonly string[];
}

export interface ProducerModel {
  readonly producer: ResolvedProducer;
  readonly className: string;
  readonly property: string;
  readonly eventTypeAlias: string;
  readonly methods: readonly { readonly method: string; readonly event: EventModel; readonly route: ResolvedProducer["routes"][number] }[];
}

export interface ExchangeModel {
  readonly exchange: ResolvedRequestReply;
  readonly request: string;
  readonly reply: string;
  readonly server: string;
  readonly client: string;
  readonly property: string;
}

export interface ChannelModel {
  readonly channel: ResolvedPubSub;
  readonly publisherClass: string;
  readonly property: string;
  readonly envelopeAlias: string;
  readonly eventTypeAlias: string;
  readonly events: readonly EventModel[];
  readonly methods: readonly { readonly method: string; readonly event: EventModel }[];
}

export interface DeadLetterModel {
  readonly deadLetter: ResolvedDeadLetter;
  readonly handlers: readonly { readonly name: string; readonly categoryAlias: string; readonly configConst: string; readonly index: number }[];
  readonly workEvents: readonly EventModel[];
}

export interface EmitModel {
  readonly topology: Topology;
  readonly events: readonly EventModel[];
  readonly eventsByType: ReadonlyMap<string, EventModel>;
  readonly eventHandlers: readonly EventHandlerModel[];
  readonly producers: readonly ProducerModel[];
  readonly exchanges: readonly ExchangeModel[];
  readonly channels: readonly ChannelModel[];
  readonly deadLetter: DeadLetterModel | undefined;
}

/** Names the generated modules declare themselves; configuration names must not take them. */
export const fixedExportNames = [
  "EventTypeMap", "EventType", "AnyEventEnvelope", "PayloadOf", "eventTypes", "validators", "topology",
  "ConsumerHandlers", "SubscriberHandlers", "EventHandlers", "RequestHandlers", "DeadLetterHandlers", "Handlers",
  "TypedDeadLetter", "WorkQueueEventType", "WorkQueueEnvelope", "WorkQueueHandler", "WorkQueueSender", "workQueue",
  "deadLetterQueue", "Messaging", "MessagingOptions", "createMessaging", "guarantees", "monitoring", "hypc",
  "MessagingContext", "ProducerEventTypes", "validEnvelope",
];

export function buildModel(topology: Topology, locate: Locator, diagnostics: Diagnostic[]): EmitModel {
  const exported = new NameRegistry(diagnostics, locate, fixedExportNames);

  const events: EventModel[] = [];
  for (const event of topology.events) {
    const owner = { name: event.name, role: "event" };
    if (!exported.verbatim(owner)) continue;
    const names = { payload: `${event.name}Payload`, metadata: `${event.name}Metadata`, envelope: `${event.name}Envelope` };
    if (!Object.values(names).every((name) => exported.claim(name, owner))) continue;
    events.push({ event, ...names, method: camelCase(event.name) ?? event.name });
  }
  const eventsByType = new Map(events.map((model) => [model.event.eventType, model]));
  const eventsOf = (types: readonly string[]): EventModel[] =>
    types.flatMap((type) => {
      const model = eventsByType.get(type);
      return model === undefined ? [] : [model];
    });

  const eventHandlers = collectEventHandlers(topology.consumers, topology.pubSub, exported);
  // Members of Messaging.producers / .channels / .requests are camelCased and must be unique per object.
  const producerProps = new NameRegistry(diagnostics, locate);
  const channelProps = new NameRegistry(diagnostics, locate);
  const requestProps = new NameRegistry(diagnostics, locate);
  const producers = topology.producers.flatMap((producer): ProducerModel[] => {
    const owner = { name: producer.name, role: "producer" };
    if (!exported.verbatim(owner)) return [];
    const eventTypeAlias = `${producer.name}EventType`;
    const property = camelCase(producer.name) ?? producer.name;
    if (!exported.claim(producer.name, owner) || !exported.claim(eventTypeAlias, owner) || !producerProps.claim(property, owner)) return [];
    const members = new NameRegistry(diagnostics, locate, ["publish", "constructor", "producerName", "routes"]);
    const methods = producer.routes.flatMap((route) => {
      const event = eventsByType.get(route.eventType);
      if (event === undefined || !members.claim(event.method, { name: event.event.name, role: "event" })) return [];
      return [{ method: event.method, event, route }];
    });
    return [{ producer, className: producer.name, property, eventTypeAlias, methods }];
  });

  const exchanges = topology.requestReply.flatMap((exchange): ExchangeModel[] => {
    const owner = { name: exchange.name, role: "request-reply exchange" };
    const base = pascalCase(exchange.name);
    if (base === undefined) return exported.invalid(owner);
    const names = { request: `${base}Request`, reply: `${base}Reply`, server: `${base}Server`, client: `${base}Client` };
    const property = camelCase(exchange.name) ?? base;
    if (!Object.values(names).every((name) => exported.claim(name, owner)) || !requestProps.claim(property, owner)) return [];
    return [{ exchange, ...names, property }];
  });

  const channels = topology.pubSub.flatMap((channel): ChannelModel[] => {
    const owner = { name: channel.name, role: "pub/sub channel" };
    const base = pascalCase(channel.name);
    if (base === undefined) return exported.invalid(owner);
    const publisherOwner = { name: channel.publisher.name, role: "publisher", valueKey: "name" };
    if (!exported.verbatim(publisherOwner) || !exported.claim(channel.publisher.name, publisherOwner)) return [];
    const names = { envelopeAlias: `${base}ChannelEnvelope`, eventTypeAlias: `${base}ChannelEventType` };
    const property = camelCase(channel.name) ?? base;
    if (!Object.values(names).every((name) => exported.claim(name, owner)) || !channelProps.claim(property, owner)) return [];
    const channelEvents = eventsOf(channel.eventTypes);
    const members = new NameRegistry(diagnostics, locate, ["publish", "constructor", "channel"]);
    const methods = channelEvents.filter((event) => members.claim(event.method, { name: event.event.name, role: "event" }));
    return [
      {
        channel,
        publisherClass: channel.publisher.name,
        property,
        ...names,
        events: channelEvents,
        methods: methods.map((event) => ({ method: event.method, event })),
      },
    ];
  });

  let deadLetter: DeadLetterModel | undefined;
  if (topology.deadLetter !== undefined) {
    const handlers = topology.deadLetter.handlers.flatMap((group, index) => {
      const owner = { name: group.handler, role: "dead-letter handler", valueKey: "handler" };
      if (!exported.verbatim(owner)) return [];
      const categoryAlias = `${group.handler}Category`;
      const configConst = `${camelCase(group.group) ?? `group${index}`}DeadLetterConfig`;
      if (![group.handler, categoryAlias, configConst].every((name) => exported.claim(name, owner))) return [];
      return [{ name: group.handler, categoryAlias, configConst, index }];
    });
    const workTypes = topology.deadLetter.mainQueue.eventTypes;
    deadLetter = {
      deadLetter: topology.deadLetter,
      handlers,
      workEvents: workTypes.length === 0 ? events : eventsOf(workTypes),
    };
  }

  return { topology, events, eventsByType, eventHandlers, producers, exchanges, channels, deadLetter };
}

/**
 * Consumer slots and pub/sub subscriber handlers share one namespace (HandlerRegistry.events). A name used
 * twice for the same role and kind is one slot that receives the union of its event types.
 */
function collectEventHandlers(
  consumers: readonly ResolvedConsumer[],
  channels: readonly ResolvedPubSub[],
  exported: NameRegistry,
): EventHandlerModel[] {
  const byName = new Map<string, { batch: boolean; eventTypes: Set<string>; module: "consumers" | "pub-sub"; uses: string[] }>();
  const add = (name: string, batch: boolean, eventTypes: readonly string[], module: "consumers" | "pub-sub", use: string): void => {
    const owner = { name, role: "handler", valueKey: "handler" };
    if (!exported.verbatim(owner) || !exported.claim(name, owner)) return;
    const existing = byName.get(name);
    if (existing === undefined) {
      byName.set(name, { batch, eventTypes: new Set(eventTypes), module, uses: [use] });
      return;
    }
    for (const type of eventTypes) existing.eventTypes.add(type);
    existing.batch ||= batch;
    existing.uses.push(use);
  };
  const describeSlot = (consumer: ResolvedConsumer, slot: HandlerSlot): string =>
    `consumer ${consumer.name} (group ${consumer.groupId}), key ${slot.key}: concurrency ${slot.concurrency}, timeout ${slot.timeout} ms` +
    (slot.batch === undefined ? "" : `, batches of up to ${slot.batch.size} within ${slot.batch.timeout} ms`);
  for (const consumer of consumers) {
    for (const slot of consumer.handlers) add(slot.handler, slot.batch !== undefined, slot.eventTypes, "consumers", describeSlot(consumer, slot));
  }
  for (const channel of channels) {
    for (const subscriber of channel.subscribers) {
      const use = `subscriber ${subscriber.name} of channel ${channel.name} (group ${subscriber.group_id}): concurrency ${subscriber.concurrency}`;
      add(subscriber.handler, false, channel.eventTypes, "pub-sub", use);
    }
  }
  return [...byName].map(([name, info]) => ({ name, batch: info.batch, eventTypes: [...info.eventTypes], module: info.module, uses: info.uses }));
}
