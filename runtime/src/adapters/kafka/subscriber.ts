// One Transport subscription = one kafkajs consumer in the subscription's group. Messages are fetched with
// eachBatch, handed to the Dispatcher (concurrency, per-key order, delayed retries) and committed only
// after ack, as the contiguous position per partition (offsets.ts). kafkajs's own auto-commit is never
// used: it commits what was fetched, not what was handled.
import { hostname } from "node:os";
import { randomUUID } from "node:crypto";
import type { Admin, Consumer, EachBatchPayload } from "kafkajs";
import type { Logger } from "../../api.js";
import { TransportError } from "../../errors.js";
import type { MessageHandler, SubscribeOptions, Subscription } from "../../transport.js";
import { subscriptionAwareAssigner } from "./assigner.js";
import type { KafkaClient } from "./clients.js";
import { Dispatcher } from "./dispatcher.js";
import { type DeliveryContext, KafkaJob, type PartitionContext } from "./delivery.js";
import { describe, isRetriable, transportError } from "./errors.js";
import { PartitionOffsets } from "./offsets.js";
import { kafkajsConsumerConfig, type KafkaSettings } from "./settings.js";
import { latestStart } from "./topics.js";
import type { TransactionRunner } from "./transactions.js";

export interface SubscriberDeps {
  readonly client: KafkaClient;
  readonly admin: Admin;
  readonly settings: KafkaSettings;
  readonly logger: Logger;
  /** Delivery counts of unacked messages, shared by the transport's subscriptions (redelivery after close). */
  readonly deliveryCounts: DeliveryCounts;
  /** Present when exactly_once.transactional is on: ack() commits the handler's publishes and the offset atomically. */
  readonly transactions?: (groupId: string) => TransactionRunner;
}

const SUBSCRIBE_ATTEMPTS = 6;

export async function subscribe(deps: SubscriberDeps, options: SubscribeOptions, handler: MessageHandler): Promise<Subscription> {
  const { settings, logger } = deps;
  const c = settings.consumer;
  const groupId = options.exclusive ? `${options.group}.${hostname()}.${process.pid}.${randomUUID().slice(0, 8)}` : options.group;
  const startFrom = options.startFrom ?? (c.fromBeginning ? "earliest" : "latest");
  const concurrency = Math.max(1, options.concurrency);
  // Fetched messages not yet finished: up to two polls' worth (max_poll_records), at least a few per slot.
  const dispatcher = new Dispatcher(concurrency, Math.max(concurrency * 4, c.maxPollRecords * 2));
  const partitions = new Map<string, PartitionOffsets>();
  const tx = deps.transactions?.(groupId);

  const consumer = deps.client.consumer({ ...kafkajsConsumerConfig(c, groupId), partitionAssigners: [subscriptionAwareAssigner] });
  const committer = new Committer(consumer, partitions, logger, groupId);

  let floors: Map<string, number> | undefined;
  for (let attempt = 1; ; attempt++) {
    try {
      if (startFrom === "latest") floors = await latestStart(deps.admin, groupId, options.topics);
      await consumer.connect();
      // "latest" is applied by us (floors), so kafkajs always starts a new group at the beginning.
      await consumer.subscribe({ topics: [...options.topics], fromBeginning: true });
      break;
    } catch (error) {
      // Retriable (metadata of a just-created topic not yet on every broker): a few more tries.
      if (isRetriable(error) && attempt < SUBSCRIBE_ATTEMPTS) {
        await new Promise((r) => setTimeout(r, 250 * attempt));
        continue;
      }
      await consumer.disconnect().catch(() => undefined);
      throw transportError(`subscribing group ${groupId} to ${options.topics.join(", ")}`, error, { topic: options.topics[0] });
    }
  }

  let closing = false;
  const joined = new Promise<void>((resolve) => {
    consumer.on(consumer.events.GROUP_JOIN, () => resolve());
  });
  consumer.on(consumer.events.CRASH, (event) => {
    logger.error("kafka consumer crashed", { groupId, error: describe(event.payload.error), restart: event.payload.restart });
  });
  const autoCommitTimer = !c.commitSync && !tx ? setInterval(() => void committer.commit().catch(() => undefined), c.commitIntervalMs) : undefined;

  const shared: DeliveryContext = {
    handler,
    groupId,
    logger,
    deliveryCounts: deps.deliveryCounts,
    committer,
    commitSync: c.commitSync,
    tx,
    orderedByKey: options.orderedByKey === true,
  };
  const partitionContexts = new Map<string, PartitionContext>();
  const partitionOf = (topic: string, partition: number): PartitionContext => {
    const key = `${topic}\u0000${partition}`;
    let part = partitionContexts.get(key);
    if (!part) {
      const offsets = new PartitionOffsets();
      partitions.set(key, offsets);
      part = { ctx: shared, topic, partition, offsets };
      partitionContexts.set(key, part);
    }
    return part;
  };

  const eachBatch = async ({ batch, resolveOffset, heartbeat, isRunning, isStale }: EachBatchPayload): Promise<void> => {
    const part = partitionOf(batch.topic, batch.partition);
    const offsets = part.offsets;
    const deliveryCounts = deps.deliveryCounts;
    const floor = floors?.get(`${batch.topic}\u0000${batch.partition}`);
    if (floor !== undefined && Number(batch.firstOffset() ?? floor) < floor) {
      // A new "latest" group: jump to where the partition ended when subscribe() was called.
      consumer.seek({ topic: batch.topic, partition: batch.partition, offset: String(floor) });
      return;
    }
    if (closing || !isRunning() || isStale()) return;
    // kafkajs's resolveOffset does Long arithmetic on offset strings (~0.3 µs): it is called for the last message
    // handed over before each wait and at the end, not per message. kafkajs reads the resolved offset only when
    // this function waits or returns, so it sees the same position either way.
    let unresolved: string | undefined;
    for (const m of batch.messages) {
      if (!dispatcher.hasCapacity()) {
        if (unresolved !== undefined) resolveOffset(unresolved);
        unresolved = undefined;
        while (!dispatcher.hasCapacity() && !closing && isRunning() && !isStale()) {
          await dispatcher.waitForCapacity(Math.max(100, Math.floor(c.heartbeatIntervalMs / 2)));
          await heartbeat().catch(() => undefined);
        }
        if (closing || !isRunning() || isStale()) return;
      }
      const offset = Number(m.offset);
      if (offsets.track(offset)) dispatcher.submit(new KafkaJob(part, m, offset, deliveryCounts));
      unresolved = m.offset;
    }
    if (unresolved !== undefined) resolveOffset(unresolved);
    await heartbeat().catch(() => undefined);
  };

  try {
    await consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      partitionsConsumedConcurrently: Math.min(concurrency, 32),
      eachBatch,
    });
    await withTimeout(joined, c.sessionTimeoutMs + 30_000, `group ${groupId} to join`);
  } catch (error) {
    if (autoCommitTimer) clearInterval(autoCommitTimer);
    await consumer.disconnect().catch(() => undefined);
    throw transportError(`starting the consumer of group ${groupId}`, error, { topic: options.topics[0] });
  }

  let closed: Promise<void> | undefined;
  return {
    close() {
      closed ??= (async () => {
        closing = true;
        consumer.pause(options.topics.map((topic) => ({ topic })));
        await dispatcher.close();
        if (autoCommitTimer) clearInterval(autoCommitTimer);
        await committer.commit().catch((error: unknown) => logger.warn("kafka: final commit failed; uncommitted messages will be redelivered", { groupId, error: describe(error) }));
        await consumer.disconnect().catch((error: unknown) => logger.warn("kafka: consumer disconnect failed", { groupId, error: describe(error) }));
        await tx?.close();
        if (options.exclusive) await deps.admin.deleteGroups([groupId]).catch(() => undefined);
      })();
      return closed;
    },
  };
}

/** Commits the contiguous acked position of every partition; concurrent requests share one round trip. */
export class Committer {
  private running: Promise<void> | undefined;
  private next: Promise<void> | undefined;
  private requested = false;

  constructor(
    private readonly consumer: Consumer,
    private readonly partitions: ReadonlyMap<string, PartitionOffsets>,
    private readonly logger: Logger,
    private readonly groupId: string,
  ) {}

  /** Fire and forget (per ack, so without a promise each): a commit soon, coalesced with other acks. */
  request(): void {
    if (this.requested) return;
    this.requested = true;
    queueMicrotask(() => {
      this.requested = false;
      this.commit().catch(() => undefined);
    });
  }

  /** Resolves once a commit that includes every ack made before this call succeeded. */
  commit(): Promise<void> {
    if (!this.running) {
      this.running = this.round().finally(() => (this.running = undefined));
      return this.running;
    }
    // A round is on the wire: acks made now need the round after it.
    this.next ??= this.running.catch(() => undefined).then(() => {
      this.next = undefined;
      return this.commit();
    });
    return this.next;
  }

  private async round(): Promise<void> {
    const points: { topic: string; partition: number; offset: string; offsets: PartitionOffsets; point: number }[] = [];
    for (const [key, offsets] of this.partitions) {
      const point = offsets.commitPoint();
      if (point === undefined) continue;
      const [topic, partition] = key.split("\u0000") as [string, string];
      points.push({ topic, partition: Number(partition), offset: String(point), offsets, point });
    }
    if (points.length === 0) return;
    try {
      await this.consumer.commitOffsets(points.map(({ topic, partition, offset }) => ({ topic, partition, offset })));
    } catch (error) {
      this.logger.warn("kafka: offset commit failed (a rebalance?); the messages will be redelivered", { groupId: this.groupId, error: describe(error) });
      throw new TransportError(`kafka: committing offsets of group ${this.groupId} failed: ${describe(error)}`, {
        retriable: true,
        cause: error,
        topic: points[0]?.topic,
      });
    }
    for (const p of points) p.offsets.committed(p.point);
  }
}

/**
 * Delivery counts of messages delivered and not acked (nacked or abandoned), by group/topic/partition/offset,
 * bounded. Kafka has none; a message acked on its first delivery never gets an entry (the common case).
 */
export class DeliveryCounts {
  private readonly counts = new Map<string, number>();
  constructor(private readonly limit = 100_000) {}

  /** No unacked delivery remembered (the common case): every delivery from the broker is the first. */
  get empty(): boolean {
    return this.counts.size === 0;
  }

  /** Count of a delivery from the broker: 1, or one more than an earlier unacked delivery. */
  first(key: string): number {
    return (this.counts.get(key) ?? 0) + 1;
  }

  /** Count of a redelivery after a nack (recorded: it is not acked yet). */
  next(key: string, previous: number): number {
    this.remember(key, previous);
    return previous + 1;
  }

  remember(key: string, count: number): void {
    this.counts.delete(key);
    this.counts.set(key, count);
    if (this.counts.size > this.limit) {
      const oldest = this.counts.keys().next().value;
      if (oldest !== undefined) this.counts.delete(oldest);
    }
  }

  forget(key: string): void {
    this.counts.delete(key);
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms waiting for ${what}`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(timer);
        reject(e instanceof Error ? e : new Error(String(e)));
      },
    );
  });
}
