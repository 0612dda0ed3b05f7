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

export function createTransactionRunner(client: KafkaClient, settings: KafkaSettings, groupId: string, logger: Logger): TransactionRunner {
  // One transactional producer per subscription; one transaction at a time on it (kafkajs allows one).
  const transactionalId = `${settings.clientId}-${groupId}-${randomUUID().slice(0, 8)}`;
  let producer: Producer | undefined;
  let lock: Promise<unknown> = Promise.resolve();

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

  return {
    scope: () => ({ messages: [] }),
    run: (scope, handle) => current.run(scope, handle),
    commit(scope, { topic, partition, offsets, offset }) {
      const next = lock.then(async () => {
        offsets.ack(offset);
        const point = offsets.commitPoint();
        const p = await connected();
        for (let attempt = 1; ; attempt++) {
          const transaction = await p.transaction();
          try {
            if (scope.messages.length > 0) {
              await transaction.sendBatch({ topicMessages: byTopic(scope.messages), acks: -1, compression: COMPRESSION[settings.producer.compression] });
            }
            if (point !== undefined) {
              await transaction.sendOffsets({ consumerGroupId: groupId, topics: [{ topic, partitions: [{ partition, offset: String(point) }] }] });
            }
            await transaction.commit();
            if (point !== undefined) offsets.committed(point);
            return;
          } catch (error) {
            await transaction.abort().catch((abortError: unknown) => logger.debug("kafka: transaction abort failed", { transactionalId, error: String(abortError) }));
            // kafkajs does not retry AddOffsetsToTxn/TxnOffsetCommit itself; CONCURRENT_TRANSACTIONS (the
            // coordinator still finishing the previous commit) is routine: redo the whole transaction.
            if (isRetriable(error) && attempt < MAX_ATTEMPTS) {
              await new Promise((r) => setTimeout(r, 20 * attempt));
              continue;
            }
            offsets.unack(offset);
            throw transportError(`transaction for ${topic}[${partition}]@${offset} (group ${groupId})`, error, { topic, messageId: scope.messages[0]?.id });
          }
        }
      });
      lock = next.catch(() => undefined);
      return next;
    },
    async close() {
      await lock;
      await producer?.disconnect().catch(() => undefined);
    },
  };
}
