// message_guarantees.message_ordering.consumer_groups at run time, independent of the broker: a gate in front of a
// subscription's handler.
//  - single_partition_consumers: true → the messages of one partition (topic + partition) are handled one at a time,
//    in the order the broker delivers them (offset order). A failing message keeps its partition: its retries run
//    here, in place, after the backoff delay (the retry middleware's nack is caught, not sent to the broker), so no
//    later message of the partition overtakes it. Only when the runtime stops is the nack passed to the broker.
//  - max_concurrent_partitions: N > 0 → at most N partitions have messages in flight per subscription; the others
//    wait their turn (a partition gives its turn up whenever it runs dry, so none starves).
// The gate holds the handler's promise of a waiting message open, so the broker's own in-flight limit (the
// subscription's concurrency) still bounds how many messages wait here.
import { AsyncResource } from "node:async_hooks";
import type { Logger } from "../api.js";
import type { MessageHandler, NackOptions, ReceivedMessage } from "../transport.js";

export interface PartitionGateOptions {
  /** One message at a time per partition, retries in place (offset order). */
  readonly singlePartition: boolean;
  /**
   * Retries stay in place (default true). Off under exactly_once.transactional: the adapter keeps what a handler
   * published for the delivery's transaction, and only a nack that reaches it discards a failed attempt's output.
   */
  readonly retryInPlace?: boolean;
  /** Partitions in flight at once; 0 = no limit. */
  readonly maxConcurrentPartitions: number;
  /** Aborted when the runtime stops: pending in-place retries go back to the broker as nacks. */
  readonly stopping: AbortSignal;
  readonly logger: Logger;
  /** Subscription name for logs. */
  readonly name: string;
}

interface PartitionState {
  running: number;
  readonly queue: (() => void)[];
  active: boolean;
  waitingForTurn: boolean;
}

/** True when the consumer_groups settings change anything (else the handler is used as is). */
export function gateNeeded(options: Pick<PartitionGateOptions, "singlePartition" | "maxConcurrentPartitions">): boolean {
  return options.singlePartition || options.maxConcurrentPartitions > 0;
}

export function partitionGate(handler: MessageHandler, options: PartitionGateOptions): MessageHandler {
  const perPartition = options.singlePartition ? 1 : Number.POSITIVE_INFINITY;
  const maxActive = options.maxConcurrentPartitions > 0 ? options.maxConcurrentPartitions : Number.POSITIVE_INFINITY;
  const partitions = new Map<string, PartitionState>();
  const turns: PartitionState[] = [];
  let active = 0;

  const pump = (p: PartitionState): void => {
    while (p.active && p.running < perPartition && p.queue.length > 0) {
      p.running++;
      p.queue.shift()!();
    }
  };
  const admit = (): void => {
    while (active < maxActive && turns.length > 0) {
      const p = turns.shift()!;
      p.waitingForTurn = false;
      p.active = true;
      active++;
      pump(p);
    }
  };
  const finished = (key: string, p: PartitionState): void => {
    p.running--;
    if (p.running > 0) return pump(p);
    // Run dry (or yield): give the turn to a waiting partition, queue up again if more is waiting here.
    if (turns.length > 0 || p.queue.length === 0) {
      p.active = false;
      active--;
      if (p.queue.length > 0) {
        p.waitingForTurn = true;
        turns.push(p);
      } else partitions.delete(key);
      admit();
    } else pump(p);
  };

  const runInPlace = options.singlePartition && options.retryInPlace !== false ? (m: ReceivedMessage) => handleWithInPlaceRetries(handler, m, options) : handler;

  return (message) =>
    new Promise<void>((resolve) => {
      const key = `${message.topic}\u0000${message.partition}`;
      let p = partitions.get(key);
      if (p === undefined) partitions.set(key, (p = { running: 0, queue: [], active: false, waitingForTurn: false }));
      const state = p;
      // A waiting message starts later, from another message's completion: bind it to the async context of its own
      // delivery, so what adapters keep per delivery (AsyncLocalStorage: the Kafka transaction of the message
      // being handled) stays its own.
      const start = AsyncResource.bind(() => runInPlace(message));
      state.queue.push(() => {
        let result: Promise<void>;
        try {
          result = start();
        } catch (error) {
          result = Promise.reject(error);
        }
        const done = (): void => {
          finished(key, state);
          resolve();
        };
        result.then(done, (error: unknown) => {
          options.logger.error("ordered handler failed unexpectedly", { subscription: options.name, topic: message.topic, partition: message.partition, error: String(error) });
          done();
        });
      });
      if (state.active) pump(state);
      else if (!state.waitingForTurn) {
        state.waitingForTurn = true;
        turns.push(state);
        admit();
      }
    });
}

/** Runs the handler; a nack becomes a retry here after its delay, with the next delivery count and the nack's headers. */
async function handleWithInPlaceRetries(handler: MessageHandler, original: ReceivedMessage, options: PartitionGateOptions): Promise<void> {
  let deliveryCount = original.deliveryCount;
  let headers = original.headers;
  for (;;) {
    let nacked: NackOptions | undefined;
    const copy: ReceivedMessage = {
      topic: original.topic,
      partition: original.partition,
      offset: original.offset,
      ...(original.key === undefined ? {} : { key: original.key }),
      body: original.body,
      headers,
      id: original.id,
      deliveryCount,
      ack: () => original.ack(),
      nack: (o?: NackOptions) => {
        nacked = o ?? {};
        return Promise.resolve();
      },
    };
    await handler(copy);
    if (nacked === undefined) return;
    const retryHeaders = nacked.headers;
    if (options.stopping.aborted || !(await sleepUnlessStopped(nacked.delayMs ?? 0, options.stopping))) {
      // Stopping: the broker redelivers it later (to whoever holds the partition then).
      return original.nack(nacked);
    }
    deliveryCount++;
    if (retryHeaders !== undefined) headers = { ...headers, ...retryHeaders };
    options.logger.debug("retrying in place to keep partition order", { subscription: options.name, topic: original.topic, partition: original.partition, messageId: original.id, deliveryCount });
  }
}

/** Resolves true after `ms`, or false as soon as `signal` aborts. */
function sleepUnlessStopped(ms: number, signal: AbortSignal): Promise<boolean> {
  return new Promise((resolve) => {
    const onAbort = (): void => {
      clearTimeout(timer);
      resolve(false);
    };
    const timer = setTimeout(() => {
      signal.removeEventListener("abort", onAbort);
      resolve(true);
    }, ms);
    signal.addEventListener("abort", onAbort, { once: true });
  });
}
