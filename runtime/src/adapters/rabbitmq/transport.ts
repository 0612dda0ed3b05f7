// The RabbitMQ Transport: one connection (with recovery), a pool of confirm channels for publishing, one
// channel per subscription, and the declarations of docs/brokers/rabbitmq.md ("Topology").
import type { Logger } from "../../api.js";
import { TransportError } from "../../errors.js";
import type { Topology } from "../../topology.js";
import type { MessageHandler, OutgoingMessage, SubscribeOptions, Subscription, TopicSpec, Transport } from "../../transport.js";
import { ChannelPool } from "./channel-pool.js";
import { RabbitConnection } from "./connection.js";
import { Declarations } from "./declarations.js";
import { Publisher } from "./publisher.js";
import type { RabbitSettings } from "./settings.js";
import { RabbitSubscription } from "./subscriber.js";

export interface RabbitTransportDeps {
  readonly settings: RabbitSettings;
  readonly logger: Logger;
  /** Groups the compiled topology declares, pre-created by ensureTopics so nothing published before they start is lost. */
  readonly topology?: Topology;
  /** Whether the configuration asks for per-key ordering (message_guarantees.message_ordering.enabled). */
  readonly orderingEnabled: boolean;
}

export class RabbitMqTransport implements Transport {
  readonly name = "rabbitmq";
  private readonly connection: RabbitConnection;
  private readonly pool: ChannelPool;
  private readonly declarations: Declarations;
  private readonly publisher: Publisher;
  private readonly subscriptions = new Set<RabbitSubscription>();
  private closed = false;

  constructor(private readonly deps: RabbitTransportDeps) {
    this.connection = new RabbitConnection(deps.settings, deps.logger);
    this.pool = new ChannelPool(this.connection);
    this.declarations = new Declarations(this.connection, deps.logger);
    this.publisher = new Publisher(this.connection, this.pool, this.declarations, deps.logger);
  }

  /** For tests and diagnostics: the endpoint without password. */
  get endpoint(): string {
    return this.deps.settings.endpoint;
  }

  /** The connection_name client property: finds this transport's connection in `rabbitmqctl list_connections`. */
  get connectionName(): string {
    return this.deps.settings.connectionName;
  }

  async connect(): Promise<void> {
    this.assertOpen("connect");
    await this.connection.open();
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.assertOpen("ensureTopics");
    // retentionSeconds is not mapped: an exchange stores nothing, and a TTL on group queues would expire
    // (dead-letter) unconsumed messages; queues keep messages until a member of the group acks them.
    for (const topic of topics) await this.declarations.exchange(topic.name);
    for (const { topic, group, ordered } of this.knownGroups(topics.map((t) => t.name))) {
      await this.declarations.groupQueue(topic, group, { ordered });
    }
  }

  publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (this.closed) {
      const first = messages[0];
      return Promise.reject(
        new TransportError(`rabbitmq: publish after close (${messages.length} message(s))`, {
          ...(first === undefined ? {} : { topic: first.topic, messageId: first.id }),
        }),
      );
    }
    return this.publisher.publish(messages);
  }

  async subscribe(options: SubscribeOptions, handler: MessageHandler): Promise<Subscription> {
    this.assertOpen("subscribe");
    if (options.topics.length === 0) throw new TransportError(`rabbitmq: subscription of group ${options.group} names no topic`);
    const subscription = new RabbitSubscription(options, handler, this.connection, this.pool, this.declarations, this.deps.logger, (s) =>
      this.subscriptions.delete(s),
    );
    await subscription.start();
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    // Flush publishes in progress; while the connection is down they would wait for recovery (up to
    // connection_timeout): closing the connection instead rejects them with a TransportError.
    if (this.connection.isOpen) await this.publisher.flush();
    await this.declarations.close();
    await this.pool.close();
    await this.connection.close();
  }

  private assertOpen(what: string): void {
    if (this.closed) throw new TransportError(`rabbitmq: ${what} after close`);
  }

  /**
   * Groups of the compiled topology that read these topics, with the group names and orderedByKey flags the
   * core subscribes with (runtime/src/core/runtime.ts, request-reply.ts): consumers (groupId, ordered if
   * message_ordering is enabled), pub/sub subscribers (group_id, same), request-reply servers
   * (`<exchange>-server`) and the dead-letter work queue (`<queue>-workers`).
   */
  private knownGroups(topicNames: readonly string[]): { topic: string; group: string; ordered: boolean }[] {
    const topology = this.deps.topology;
    if (topology === undefined) return [];
    const wanted = new Set(topicNames);
    const found = new Map<string, { topic: string; group: string; ordered: boolean }>();
    const add = (topic: string, group: string, ordered: boolean): void => {
      if (wanted.has(topic)) found.set(`${topic}\u0000${group}`, { topic, group, ordered });
    };
    const ordered = this.deps.orderingEnabled;
    for (const consumer of topology.consumers ?? []) {
      if (consumer.broker !== "rabbitmq") continue;
      for (const t of consumer.topics) add(t.name, consumer.groupId, ordered);
    }
    for (const channel of topology.pubSub ?? []) {
      if (channel.broker !== "rabbitmq") continue;
      for (const s of channel.subscribers) add(channel.topic, s.group_id, ordered);
    }
    for (const exchange of topology.requestReply ?? []) {
      if (exchange.broker === "rabbitmq") add(exchange.requestTopic, `${exchange.name}-server`, false);
    }
    const dl = topology.deadLetter;
    if (dl !== undefined && dl.broker === "rabbitmq") add(dl.mainQueue.name, `${dl.mainQueue.name}-workers`, false);
    return [...found.values()];
  }
}
