// What the passes share: the declared model, the diagnostics sink and everything derived so far.
// Passes run in a fixed order (see analyze.ts); each documents what it reads and what it fills in.
import type { ObjectNode, Span } from "../../ast.js";
import type { BrokerKind } from "@hypc/runtime";
import type { Diagnostic } from "../../diagnostics/diagnostic.js";
import type { EventDecl, Model } from "./model.js";

/** A physical topic and what the configuration says about it. */
export interface TopicInfo {
  readonly name: string;
  /** The name producers and consumers wrote (without prefix). */
  logical: string;
  broker: BrokerKind;
  /** Where the broker was decided (a producer route, channel or exchange), for mismatch messages. */
  brokerSource: { readonly what: string; readonly span: Span };
  /** Event types routed onto it, in declaration order of the events. */
  readonly eventTypes: Set<string>;
  /** True when a producer, channel or exchange of this configuration writes to it. */
  produced: boolean;
  /** Highest partition index any consumer lists. */
  maxPartition: number;
}

export interface Context {
  readonly model: Model;
  readonly diagnostics: Diagnostic[];
  /** First declaration per event_type (duplicates reported by the events pass). */
  readonly eventsByType: Map<string, EventDecl>;
  /** Payload field names per event type. */
  readonly payloadFields: Map<string, Set<string>>;
  /** Event type order: declaration order, used for every list of event types in the Topology. */
  readonly eventOrder: Map<string, number>;
  defaultBroker: BrokerKind;
  /** The broker of each producer, consumer, exchange, channel and the dead-letter block, by its node. */
  readonly brokerOf: Map<ObjectNode, BrokerKind>;
  /** Physical topics in first-seen order. */
  readonly topics: Map<string, TopicInfo>;
  /** Logical name → physical name, from producer routes (first producer wins when ambiguous). */
  readonly logicalTopics: Map<string, { readonly physical: string; readonly producer: string; readonly span: Span }>;
  /** Physical topic names per consumer, in subscription order. */
  readonly consumerTopics: Map<string, string[]>;
  /** Event types per pub/sub channel and for the dead-letter work queue. */
  readonly channelEvents: Map<string, string[]>;
  deadLetterEvents: string[];
}

export function createContext(model: Model): Context {
  return {
    model,
    diagnostics: [],
    eventsByType: new Map(),
    payloadFields: new Map(),
    eventOrder: new Map(),
    defaultBroker: "kafka",
    brokerOf: new Map(),
    topics: new Map(),
    logicalTopics: new Map(),
    consumerTopics: new Map(),
    channelEvents: new Map(),
    deadLetterEvents: [],
  };
}

/** Event types sorted by declaration order (unknown ones last, by name). */
export function inEventOrder(ctx: Context, types: Iterable<string>): string[] {
  const order = (t: string): number => ctx.eventOrder.get(t) ?? Number.MAX_SAFE_INTEGER;
  return [...new Set(types)].sort((a, b) => order(a) - order(b) || (a < b ? -1 : a > b ? 1 : 0));
}

/** Every declared event type, in declaration order. */
export function allEventTypes(ctx: Context): string[] {
  return [...ctx.eventsByType.keys()];
}
