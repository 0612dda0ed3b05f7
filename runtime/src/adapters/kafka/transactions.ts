// exactly_once.transactional: consume-transform-produce in one Kafka transaction. What a handler publishes
// while it handles a message is held (AsyncLocalStorage finds the message being handled, so the runtime
// core needs no transaction API); its ack() then opens a transaction, sends those messages, adds the
// consumed offset (sendOffsets) and commits. A nack or a crash sends nothing, so consumers reading
// read_committed see the outputs exactly once together with the input's commit.
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import kafkajs from "kafkajs";
import type { Producer } from "kafkajs";
import type { Logger } from "../../api.js";
import type { OutgoingMessage } from "../../transport.js";
import type { KafkaClient } from "./clients.js";
import { isRetriable, transportError } from "./errors.js";
import type { PartitionOffsets } from "./offsets.js";
import type { KafkaSettings } from "./settings.js";
import { byTopic } from "./wire.js";

export interface TransactionScope {
  readonly messages: OutgoingMessage[];
}

export interface TransactionRunner {
  scope(): TransactionScope;
  run(scope: TransactionScope, handle: () => Promise<void>): Promise<void>;
  commit(scope: TransactionScope, input: { topic: string; partition: number; offsets: PartitionOffsets; offset: number }): Promise<void>;
  close(): Promise<void>;
}

const MAX_ATTEMPTS = 8;
const current = new AsyncLocalStorage<TransactionScope>();

/** The transaction scope of the message being handled in this async context, if any. */
export function currentTransaction(): TransactionScope | undefined {
  return current.getStore();
}

const COMPRESSION = { none: kafkajs.CompressionTypes.None, gzip: kafkajs.CompressionTypes.GZIP, snappy: kafkajs.CompressionTypes.Snappy } as const;

interface PendingCommit {
  readonly scope: TransactionScope;
  readonly topic: string;
  readonly partition: number;
  readonly offsets: PartitionOffsets;
  readonly offset: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export function createTransactionRunner(client: KafkaClient, settings: KafkaSettings, groupId: string, logger: Logger): TransactionRunner {
  // One transactional producer per subscription, one transaction at a time on it (kafkajs allows one).
  // Group commit: acks that arrive while a transaction is on the wire go together into the next one, so
  // concurrent handlers share the cost of a commit instead of queueing one transaction each.
  const transactionalId = `${settings.clientId}-${groupId}-${randomUUID().slice(0, 8)}`;
  let producer: Producer | undefined;
  let queue: PendingCommit[] = [];
  let working: Promise<void> | undefined;

  const connected = async (): Promise<Producer> => {
    if (producer) return producer;
    const p = client.producer({
      transactionalId,
      idempotent: true,
      maxInFlightRequests: 1,
      transactionTimeout: settings.transactions.timeoutMs,
      allowAutoTopicCreation: false,
    });
    await p.connect();
    producer = p;
    return p;
  };

  const commitGroup = async (group: readonly PendingCommit[]): Promise<void> => {
    for (const c of group) c.offsets.ack(c.offset);
    // One commit position per partition, after every ack of the group.
    const partitions = new Map<PartitionOffsets, { topic: string; partition: number; point: number }>();
    for (const c of group) {
      const point = c.offsets.commitPoint();
      if (point !== undefined) partitions.set(c.offsets, { topic: c.topic, partition: c.partition, point });
    }
    const byTopicOffsets = new Map<string, { partition: number; offset: string }[]>();
    for (const { topic, partition, point } of partitions.values()) {
      const list = byTopicOffsets.get(topic) ?? [];
      list.push({ partition, offset: String(point) });
      byTopicOffsets.set(topic, list);
    }
    const messages = group.flatMap((c) => c.scope.messages);
    try {
      const p = await connected();
      for (let attempt = 1; ; attempt++) {
        const transaction = await p.transaction();
        try {
          if (messages.length > 0) {
            await transaction.sendBatch({ topicMessages: byTopic(messages), acks: -1, compression: COMPRESSION[settings.producer.compression] });
          }
          if (byTopicOffsets.size > 0) {
            await transaction.sendOffsets({ consumerGroupId: groupId, topics: [...byTopicOffsets].map(([topic, partitions]) => ({ topic, partitions })) });
          }
          await transaction.commit();
          break;
        } catch (error) {
          await transaction.abort().catch((abortError: unknown) => logger.debug("kafka: transaction abort failed", { transactionalId, error: String(abortError) }));
          // kafkajs does not retry AddOffsetsToTxn/TxnOffsetCommit itself; CONCURRENT_TRANSACTIONS (the
          // coordinator still finishing the previous commit) is routine: redo the whole transaction.
          if (isRetriable(error) && attempt < MAX_ATTEMPTS) {
            await new Promise((r) => setTimeout(r, 20 * attempt));
            continue;
          }
          throw error;
        }
      }
    } catch (error) {
      for (const c of group) c.offsets.unack(c.offset);
      const first = group[0]!;
      const failure = transportError(`transaction for ${group.length} message(s) from ${first.topic}[${first.partition}]@${first.offset} (group ${groupId})`, error, {
        topic: first.topic,
        messageId: first.scope.messages[0]?.id,
      });
      for (const c of group) c.reject(failure);
      return;
    }
    for (const [offsets, { point }] of partitions) offsets.committed(point);
    for (const c of group) c.resolve();
  };

  const work = (): void => {
    if (working) return;
    working = (async () => {
      await Promise.resolve();
      try {
        while (queue.length > 0) {
          const group = queue;
          queue = [];
          await commitGroup(group);
        }
      } finally {
        working = undefined;
      }
    })();
  };

  return {
    scope: () => ({ messages: [] }),
    run: (scope, handle) => current.run(scope, handle),
    commit(scope, { topic, partition, offsets, offset }) {
      return new Promise<void>((resolve, reject) => {
        queue.push({ scope, topic, partition, offsets, offset, resolve, reject });
        work();
      });
    },
    async close() {
      while (working) await working;
      await producer?.disconnect().catch(() => undefined);
    },
  };
}
