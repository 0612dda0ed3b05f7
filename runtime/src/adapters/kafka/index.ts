// The Kafka transport on kafkajs 2.2.4. Thin on purpose: settings mapping (settings.ts), producer batching
// (publisher.ts), consumption with per-key order and ack-only commits (subscriber.ts, dispatcher.ts,
// offsets.ts), topics (topics.ts), transactions (transactions.ts). Retries with backoff, validation and
// dead-lettering are middlewares of the core; this file only moves bytes. docs/brokers/kafka.md maps
// every seed key.
import kafkajs from "kafkajs";
import type { Admin, Producer } from "kafkajs";
import type { AdapterContext } from "../context.js";
import { TransportError } from "../../errors.js";
import type { KafkaConfig } from "../../topology.js";
import type { MessageHandler, OutgoingMessage, SubscribeOptions, Subscription, TopicSpec, Transport } from "../../transport.js";
import { createClient, type KafkaClient } from "./clients.js";
import { describe, transportError } from "./errors.js";
import { BatchingPublisher } from "./publisher.js";
import { kafkaSettings, type KafkaSettings } from "./settings.js";
import { registerSnappyCodec } from "./snappy.js";
import { DeliveryCounts, subscribe } from "./subscriber.js";
import { ensureTopics } from "./topics.js";
import { createTransactionRunner, currentTransaction } from "./transactions.js";
import { byTopic } from "./wire.js";

const { CompressionTypes, Partitioners } = kafkajs;
/**
 * A cluster that just started answers before its metadata names a controller (controller id -1): the idempotent
 * producer's connect then fails with "broker not found". Reachable but not settled: worth a few more tries
 * (kafkajs's own retries do not cover this; unreachable brokers are retried by kafkajs and not here).
 */
const CONNECT_ATTEMPTS = 6;
function clusterNotSettled(error: unknown): boolean {
  const name = error instanceof Error ? error.name : "";
  return name === "KafkaJSBrokerNotFound" || name === "KafkaJSMetadataNotLoaded";
}

const COMPRESSION = { none: CompressionTypes.None, gzip: CompressionTypes.GZIP, snappy: CompressionTypes.Snappy } as const;

export { kafkaSettings, kafkajsConsumerConfig } from "./settings.js";
export type { KafkaSettings } from "./settings.js";

export function createKafkaTransport(config: KafkaConfig, ctx: AdapterContext): Transport {
  return new KafkaTransport(kafkaSettings(config, ctx), ctx);
}

export class KafkaTransport implements Transport {
  readonly name = "kafka";
  private readonly producerClient: KafkaClient;
  private readonly consumerClient: KafkaClient;
  private readonly deliveryCounts = new DeliveryCounts();
  private readonly subscriptions = new Set<Subscription>();
  private readonly publisher: BatchingPublisher;
  private producer: Producer | undefined;
  private admin: Admin | undefined;
  private connecting: Promise<void> | undefined;
  private closed = false;

  constructor(
    readonly settings: KafkaSettings,
    private readonly ctx: AdapterContext,
  ) {
    if (settings.producer.compression === "snappy") registerSnappyCodec();
    const p = settings.producer;
    this.producerClient = createClient(settings.brokers, settings.clientId, p.security, ctx.logger, Math.max(p.retries, 1));
    this.consumerClient = sameSecurity(p.security, settings.consumer.security)
      ? this.producerClient
      : createClient(settings.brokers, settings.clientId, settings.consumer.security, ctx.logger, 5);
    this.publisher = new BatchingPublisher(
      { batchSizeBytes: p.batchSizeBytes, lingerMs: p.lingerMs, bufferMemoryBytes: p.bufferMemoryBytes },
      (messages) => this.sendBatch(messages),
    );
  }

  connect(): Promise<void> {
    this.connecting ??= (async () => {
      const p = this.settings.producer;
      const producer = this.producerClient.producer({
        // murmur2 of the key, as the Java client's default partitioner: same key → same partition everywhere.
        createPartitioner: Partitioners.DefaultPartitioner,
        idempotent: p.idempotent,
        // kafkajs's idempotent producer keeps order only with one request in flight per connection.
        ...(p.idempotent ? { maxInFlightRequests: 1 } : {}),
        retry: { retries: p.idempotent ? Math.max(p.retries, 1) : p.retries },
        allowAutoTopicCreation: false,
      });
      const admin = this.producerClient.admin();
      for (let attempt = 1; ; attempt++) {
        try {
          await Promise.all([producer.connect(), admin.connect()]);
          break;
        } catch (error) {
          await Promise.all([producer.disconnect().catch(() => undefined), admin.disconnect().catch(() => undefined)]);
          if (clusterNotSettled(error) && attempt < CONNECT_ATTEMPTS) {
            await new Promise((resolve) => setTimeout(resolve, 250 * attempt));
            continue;
          }
          this.connecting = undefined;
          throw transportError(`connecting to ${this.settings.brokers.join(",")}`, error);
        }
      }
      this.producer = producer;
      this.admin = admin;
    })();
    return this.connecting;
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    await ensureTopics(this.requireAdmin(), topics, this.ctx.logger);
  }

  publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (this.closed) return Promise.reject(new TransportError("kafka: publish after close", { topic: messages[0]?.topic, messageId: messages[0]?.id }));
    const transaction = this.settings.transactions.enabled ? currentTransaction() : undefined;
    if (transaction) {
      // Sent with the consumed message's commit (ack), atomically; see transactions.ts.
      transaction.messages.push(...messages);
      return Promise.resolve();
    }
    return this.publisher.publish(messages);
  }

  async subscribe(options: SubscribeOptions, handler: MessageHandler): Promise<Subscription> {
    const admin = this.requireAdmin();
    const s = this.settings;
    const subscription = await subscribe(
      {
        client: this.consumerClient,
        admin,
        settings: s,
        logger: this.ctx.logger,
        deliveryCounts: this.deliveryCounts,
        ...(s.transactions.enabled ? { transactions: (groupId: string) => createTransactionRunner(this.producerClient, s, groupId, this.ctx.logger) } : {}),
      },
      options,
      handler,
    );
    const tracked: Subscription = {
      close: async () => {
        this.subscriptions.delete(tracked);
        await subscription.close();
      },
    };
    this.subscriptions.add(tracked);
    return tracked;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    await this.publisher.flush();
    await this.producer?.disconnect().catch((error: unknown) => this.ctx.logger.warn("kafka: producer disconnect failed", { error: describe(error) }));
    await this.admin?.disconnect().catch(() => undefined);
  }

  /** Bytes buffered by the batching publisher or in flight (metrics, tests). */
  get bufferedBytes(): number {
    return this.publisher.bufferedBytes;
  }

  private async sendBatch(messages: readonly OutgoingMessage[]): Promise<void> {
    const producer = this.producer;
    if (!producer) throw new TransportError("kafka: publish before connect()", { topic: messages[0]?.topic, messageId: messages[0]?.id });
    try {
      await producer.sendBatch({
        topicMessages: byTopic(messages),
        acks: this.settings.producer.acks,
        compression: COMPRESSION[this.settings.producer.compression],
      });
    } catch (error) {
      const first = messages[0];
      throw transportError(`publishing ${messages.length} message(s) to ${[...new Set(messages.map((m) => m.topic))].join(", ")}`, error, {
        ...(first ? { topic: first.topic, messageId: first.id } : {}),
      });
    }
  }

  private requireAdmin(): Admin {
    if (!this.admin) throw new TransportError("kafka: call connect() first");
    return this.admin;
  }
}

function sameSecurity(a: KafkaSettings["producer"]["security"], b: KafkaSettings["consumer"]["security"]): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
