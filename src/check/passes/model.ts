// The declared model: every block of every file of the configuration (mindLink) merged into one view,
// read tolerantly. Passes resolve references against it and record what they derived in the Context (context.ts).
import type { BlockNode, MemberNode, NumberNode, ObjectNode, Span, ArrayNode } from "../../ast.js";
import type { BrokerKind } from "@hypc/runtime";
import type { Str } from "./ast-read.js";

export const brokerKinds: readonly BrokerKind[] = ["kafka", "rabbitmq", "activemq", "aws_messaging"];

export function isBrokerKind(name: string): name is BrokerKind {
  return (brokerKinds as readonly string[]).includes(name);
}

export interface BrokerDecl {
  readonly kind: BrokerKind;
  readonly member: MemberNode;
  readonly node: ObjectNode;
}

export interface EventDecl {
  readonly group: string;
  readonly groupSpan: Span;
  /** The group object this event was declared in (two files may each declare part of a group). */
  readonly groupNode: ObjectNode;
  readonly name: string;
  readonly nameSpan: Span;
  readonly node: ObjectNode;
  readonly eventType: Str | undefined;
  readonly payload: ObjectNode | undefined;
  readonly metadata: ObjectNode | undefined;
}

export interface RouteDecl {
  readonly eventType: string;
  readonly keySpan: Span;
  readonly node: ObjectNode;
  readonly topic: Str | undefined;
  readonly partitionKey: Str | undefined;
}

export interface ProducerDecl {
  readonly name: string;
  readonly nameSpan: Span;
  readonly node: ObjectNode;
  readonly broker: Str | undefined;
  readonly topicPrefix: Str | undefined;
  readonly routes: readonly RouteDecl[];
}

export interface SubscriptionDecl {
  readonly node: ObjectNode;
  readonly name: Str;
  readonly partitions: readonly NumberNode[];
}

export interface HandlerDecl {
  /** An event type or `*`. */
  readonly key: string;
  readonly keySpan: Span;
  readonly node: ObjectNode;
  readonly handler: Str | undefined;
  readonly concurrency: NumberNode | undefined;
}

export interface ConsumerDecl {
  readonly name: string;
  readonly nameSpan: Span;
  readonly node: ObjectNode;
  readonly broker: Str | undefined;
  readonly subscriptions: readonly SubscriptionDecl[];
  readonly handlers: readonly HandlerDecl[];
  readonly settings: ObjectNode | undefined;
}

export interface ExchangeDecl {
  readonly name: string;
  readonly nameSpan: Span;
  readonly node: ObjectNode;
  readonly broker: Str | undefined;
  readonly requestTopic: Str | undefined;
  readonly replyTopic: Str | undefined;
}

export interface SubscriberDecl {
  readonly node: ObjectNode;
  readonly name: Str | undefined;
  readonly handler: Str | undefined;
  readonly concurrency: NumberNode | undefined;
}

export interface ChannelDecl {
  readonly name: string;
  readonly nameSpan: Span;
  readonly node: ObjectNode;
  readonly broker: Str | undefined;
  readonly topic: Str | undefined;
  readonly publisher: ObjectNode | undefined;
  readonly partitionKey: Str | undefined;
  /** Extension `events: [...]`: event types or group names. */
  readonly events: ArrayNode | undefined;
  readonly subscribers: readonly SubscriberDecl[];
}

export interface DeadLetterHandlerDecl {
  readonly group: string;
  readonly groupSpan: Span;
  readonly node: ObjectNode;
  readonly handler: Str | undefined;
  readonly concurrency: NumberNode | undefined;
}

export interface DeadLetterDecl {
  readonly block: BlockNode;
  /** The block's members merged over every file that declares the block. */
  readonly node: ObjectNode;
  readonly broker: Str | undefined;
  readonly mainQueue: ObjectNode | undefined;
  readonly dlqQueue: ObjectNode | undefined;
  readonly events: ArrayNode | undefined;
  readonly handlers: readonly DeadLetterHandlerDecl[];
}

export interface Model {
  /** Every block by name, merged over files (members concatenated in file order). */
  readonly blocks: ReadonlyMap<string, { readonly first: BlockNode; readonly body: ObjectNode }>;
  readonly messaging: ObjectNode | undefined;
  readonly brokers: readonly BrokerDecl[];
  readonly defaultBroker: Str | undefined;
  readonly events: readonly EventDecl[];
  readonly producers: readonly ProducerDecl[];
  readonly consumers: readonly ConsumerDecl[];
  readonly exchanges: readonly ExchangeDecl[];
  readonly channels: readonly ChannelDecl[];
  readonly deadLetter: DeadLetterDecl | undefined;
  readonly guarantees: ObjectNode | undefined;
  readonly monitoring: ObjectNode | undefined;
}
