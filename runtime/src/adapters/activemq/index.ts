// ActiveMQ transport over AMQP 1.0 (rhea) against ActiveMQ Artemis, whose port 61616 speaks AMQP: the seed's
// `tcp://host:61616` is used as written. `createActiveMqTransport(config, ctx)` (signature in ../context.ts).
// See docs/brokers/activemq.md for the settings and topology mapping and why Artemis + AMQP.
import type { ActiveMqConfig } from "../../topology.js";
import { TransportError } from "../../errors.js";
import type { MessageHandler, OutgoingMessage, SubscribeOptions, Subscription, TopicSpec, Transport } from "../../transport.js";
import type { AdapterContext } from "../context.js";
import { ConnectionPool } from "./connection.js";
import { declareGroupQueues } from "./declarations.js";
import { AmqpPublisher } from "./publisher.js";
import { activeMqSettings, type ActiveMqSettings } from "./settings.js";
import { AmqpSubscription } from "./subscriber.js";
import { InFlight } from "../in-flight.js";

export { activeMqSettings } from "./settings.js";
export type { ActiveMqSettings } from "./settings.js";

export function createActiveMqTransport(config: ActiveMqConfig, ctx: AdapterContext): Transport {
  return new ActiveMqTransport(activeMqSettings(config, ctx), ctx);
}

class ActiveMqTransport implements Transport {
  readonly name = "activemq";
  private readonly pool: ConnectionPool;
  private readonly publisher: AmqpPublisher;
  private readonly subscriptions = new Set<AmqpSubscription>();
  private readonly publishing = new InFlight();
  private closed = false;

  constructor(
    readonly settings: ActiveMqSettings,
    private readonly ctx: AdapterContext,
  ) {
    this.pool = new ConnectionPool(settings, ctx.logger);
    this.publisher = new AmqpPublisher(this.pool, settings);
  }

  async connect(): Promise<void> {
    this.assertOpen();
    try {
      await this.pool.publisherConnection();
    } catch (error) {
      await this.pool.closeAll();
      throw error;
    }
    this.ctx.logger.info("activemq: connected", { host: this.settings.host, port: this.settings.port });
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.assertOpen();
    for (const t of topics) if (t.retentionSeconds !== undefined) this.publisher.ttl.set(t.name, t.retentionSeconds * 1000);
    await declareGroupQueues(this.pool, this.settings, this.ctx.topology, topics);
  }

  publish(messages: readonly OutgoingMessage[]): Promise<void> {
    return this.publishing.publish(this.publisher, messages, this.closedError());
  }

  async subscribe(options: SubscribeOptions, handler: MessageHandler): Promise<Subscription> {
    this.assertOpen();
    const subscription = new AmqpSubscription(this.pool, this.settings, this.ctx.logger, options, handler, (s) => this.subscriptions.delete(s));
    await subscription.start();
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.allSettled([...this.subscriptions].map((s) => s.close()));
    await this.publishing.settled();
    await this.publisher.close();
    await this.pool.closeAll();
  }

  private closedError(): TransportError | undefined {
    return this.closed ? new TransportError("activemq: transport is closed", { retriable: false }) : undefined;
  }

  private assertOpen(): void {
    const closed = this.closedError();
    if (closed !== undefined) throw closed;
  }
}
