// One subscription = one SQS queue per (topic, group), read by long-polling loops that never hold more than
// `concurrency` unsettled messages. While a handler runs, the message's visibility is extended
// (ChangeMessageVisibility) so a slow handler does not see its message redelivered to someone else.
// ack = DeleteMessage (batched); nack = ChangeMessageVisibility(delay) (0 = now; the broker counts
// ApproximateReceiveCount, which is our deliveryCount). On close, messages nobody settled become visible
// again at once, so the group's next subscriber gets them without waiting for the visibility timeout.
import { ChangeMessageVisibilityCommand, ReceiveMessageCommand, type Message, type SQSClient } from "@aws-sdk/client-sqs";
import { randomUUID } from "node:crypto";
import type { Logger } from "../../api.js";
import type { MessageHandler, NackOptions, ReceivedMessage, SubscribeOptions, Subscription } from "../../transport.js";
import type { AckBatcher } from "./acks.js";
import { ALL_ATTRIBUTES, decodeMessage } from "./attributes.js";
import type { AwsDeclarations, GroupQueue } from "./declarations.js";
import { transportError } from "./errors.js";
import type { AwsSettings } from "./settings.js";

const MAX_VISIBILITY_S = 43_200;
const MAX_POLL_BACKOFF_MS = 5_000;

interface Deps {
  readonly settings: AwsSettings;
  readonly sqs: SQSClient;
  readonly declarations: AwsDeclarations;
  readonly acks: AckBatcher;
  readonly logger: Logger;
}

interface InFlight {
  readonly queue: GroupQueue;
  readonly receiptHandle: string;
  readonly id: string;
  settled: boolean;
}

export class AwsSubscription implements Subscription {
  private queues: GroupQueue[] = [];
  private readonly loops: Promise<void>[] = [];
  private stopping = false;
  private closing: Promise<void> | undefined;
  /** Messages received and not yet settled (handler running, waiting for its key, or "crashed"). */
  private readonly unsettled = new Set<InFlight>();
  private readonly handlers = new Set<Promise<void>>();
  /** Slots taken: received-but-unfinished messages plus those asked for by receives in progress. */
  private taken = 0;
  private slotWaiters: (() => void)[] = [];
  /** orderedByKey: the tail of each key's chain of handler runs. */
  private readonly keyChains = new Map<string, Promise<void>>();

  constructor(
    private readonly deps: Deps,
    private readonly options: SubscribeOptions,
    private readonly handler: MessageHandler,
    private readonly onClosed: (s: AwsSubscription) => void,
  ) {}

  async start(): Promise<void> {
    const { declarations } = this.deps;
    const instance = randomUUID().slice(0, 8);
    const ordered = this.options.orderedByKey === true;
    if (ordered && this.deps.settings.mode === "sns") {
      for (const topic of this.options.topics) {
        if (!declarations.isFifo(topic)) {
          this.deps.logger.warn("aws: order per key is kept only within a receive batch: the SNS topic is not FIFO", { topic });
        }
      }
    }
    this.queues = await Promise.all(this.options.topics.map((topic) =>
      this.options.exclusive === true
        ? declarations.exclusiveQueue(topic, this.options.group, instance, ordered)
        : declarations.groupQueue(topic, this.options.group, ordered),
    ));
    const concurrency = Math.max(1, this.options.concurrency);
    // Enough loops per queue to keep `concurrency` handlers fed (one receive returns at most 10).
    const loopsPerQueue = Math.min(4, Math.ceil(concurrency / this.deps.settings.maxMessages));
    for (const queue of this.queues) for (let i = 0; i < loopsPerQueue; i++) this.loops.push(this.poll(queue, concurrency));
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    // Receives in progress are NOT aborted: an aborted long poll stays pending on the server and would take
    // (and hide for the visibility timeout) a message released later. They end within wait_time_seconds.
    this.stopping = true;
    for (const wake of this.slotWaiters.splice(0)) wake();
    await Promise.allSettled(this.loops);
    while (this.handlers.size > 0) await Promise.allSettled([...this.handlers]);
    await this.deps.acks.drain();
    // Nobody settled these (handler crashed or never ran): make them visible to the group again now.
    await Promise.allSettled([...this.unsettled].map((m) => this.changeVisibility(m, 0)));
    this.unsettled.clear();
    if (this.options.exclusive === true) {
      await Promise.allSettled(this.queues.map((q) => this.deps.declarations.dropQueue(q)));
    }
    this.onClosed(this);
  }

  private async takeSlots(concurrency: number): Promise<number> {
    while (!this.stopping && this.taken >= concurrency) await new Promise<void>((resolve) => this.slotWaiters.push(resolve));
    if (this.stopping) return 0;
    const n = Math.min(this.deps.settings.maxMessages, concurrency - this.taken);
    this.taken += n;
    return n;
  }

  private releaseSlots(n: number): void {
    this.taken -= n;
    for (const wake of this.slotWaiters.splice(0)) wake();
  }

  private async poll(queue: GroupQueue, concurrency: number): Promise<void> {
    const { sqs, settings, logger } = this.deps;
    let failures = 0;
    while (!this.stopping) {
      const asked = await this.takeSlots(concurrency);
      if (asked === 0) break;
      let messages: Message[];
      try {
        const out = await sqs.send(new ReceiveMessageCommand({
          QueueUrl: queue.url,
          MaxNumberOfMessages: asked,
          WaitTimeSeconds: settings.waitTimeS,
          VisibilityTimeout: settings.visibilityTimeoutS,
          MessageAttributeNames: ALL_ATTRIBUTES,
          MessageSystemAttributeNames: ["ApproximateReceiveCount", "MessageGroupId"],
        }));
        messages = out.Messages ?? [];
        if (failures > 0) logger.info("aws: receiving again", { queue: queue.name, after: failures });
        failures = 0;
      } catch (error) {
        this.releaseSlots(asked);
        if (this.stopping) break;
        failures++;
        // Broker restart or network trouble: back off (bounded) and poll again; nothing is lost, the
        // messages stay in the queue.
        if (failures === 1 || failures % 20 === 0) {
          logger.warn("aws: receive failed, retrying", { queue: queue.name, error: transportError("receive", error).message });
        }
        await sleep(Math.min(MAX_POLL_BACKOFF_MS, 100 * 2 ** Math.min(failures, 6)));
        continue;
      }
      this.releaseSlots(asked - messages.length);
      if (this.stopping) {
        // Arrived while closing: hand them straight back to the group.
        await Promise.allSettled(messages.map((m) =>
          this.changeVisibility({ queue, receiptHandle: m.ReceiptHandle ?? "", id: m.MessageId ?? "", settled: false }, 0),
        ));
        break;
      }
      for (const message of messages) this.dispatch(queue, message);
    }
  }

  private dispatch(queue: GroupQueue, raw: Message): void {
    const decoded = decodeMessage(raw.Body ?? "", raw.MessageAttributes);
    const receiptHandle = raw.ReceiptHandle ?? "";
    const id = decoded.id ?? raw.MessageId ?? receiptHandle;
    const state: InFlight = { queue, receiptHandle, id, settled: false };
    this.unsettled.add(state);
    const stopExtending = this.extendVisibility(state);

    const settle = (): boolean => {
      if (state.settled) return false;
      state.settled = true;
      stopExtending();
      this.unsettled.delete(state);
      return true;
    };
    const message: ReceivedMessage = {
      topic: queue.topic,
      partition: 0,
      offset: receiptHandle,
      ...(decoded.key !== undefined ? { key: decoded.key } : {}),
      body: decoded.body,
      headers: decoded.headers,
      id,
      deliveryCount: Number(raw.Attributes?.ApproximateReceiveCount ?? "1"),
      ack: async () => {
        if (!settle()) return;
        await this.deps.acks.ack(queue.url, receiptHandle, id, queue.topic);
      },
      nack: async (options?: NackOptions) => {
        if (!settle()) return;
        const delayS = Math.ceil(Math.max(0, options?.delayMs ?? 0) / 1000);
        await this.changeVisibility(state, Math.min(MAX_VISIBILITY_S, delayS), true);
      },
    };

    const run = async (): Promise<void> => {
      try {
        await this.handler(message);
      } catch (error) {
        // The contract: a handler that fails without ack/nack is a crash; the broker redelivers.
        this.deps.logger.error("aws: handler failed without settling its message", { topic: queue.topic, messageId: id, error: String(error) });
      } finally {
        if (!state.settled) stopExtending(); // "crashed": visible again after the visibility timeout or on close
        this.releaseSlots(1);
      }
    };

    let done: Promise<void>;
    if (this.options.orderedByKey === true && decoded.key !== undefined) {
      const key = decoded.key;
      const previous = this.keyChains.get(key) ?? Promise.resolve();
      done = previous.then(run);
      this.keyChains.set(key, done);
      void done.then(() => {
        if (this.keyChains.get(key) === done) this.keyChains.delete(key);
      });
    } else {
      done = run();
    }
    this.handlers.add(done);
    void done.finally(() => this.handlers.delete(done));
  }

  /** Keeps a message invisible while it waits for or runs its handler; returns the stop function. */
  private extendVisibility(state: InFlight): () => void {
    const seconds = this.deps.settings.visibilityTimeoutS;
    const timer = setInterval(() => {
      if (!state.settled) void this.changeVisibility(state, seconds).catch(() => undefined);
    }, Math.max(500, (seconds * 1000) / 2));
    timer.unref();
    return () => clearInterval(timer);
  }

  private async changeVisibility(state: InFlight, seconds: number, rethrow = false): Promise<void> {
    try {
      await this.deps.sqs.send(new ChangeMessageVisibilityCommand({
        QueueUrl: state.queue.url,
        ReceiptHandle: state.receiptHandle,
        VisibilityTimeout: seconds,
      }));
    } catch (error) {
      const wrapped = transportError(`changing visibility of message ${state.id}`, error, { topic: state.queue.topic, messageId: state.id });
      if (rethrow) throw wrapped;
      this.deps.logger.warn(wrapped.message, { topic: state.queue.topic, messageId: state.id });
    }
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
