// One subscription: one confirm channel, one consumer per topic queue, prefetch = concurrency shared by
// the channel's consumers (basic.qos global), manual acks. orderedByKey runs the messages of one key one
// after the other (in arrival order) while other keys run concurrently; across instances the group queue
// is single-active-consumer, so only one instance receives the group's messages at a time.
// nack() re-publishes a copy (delivery count + 1, extra headers) to the group queue — or, with delayMs,
// to the group's fixed-TTL delay queue for that step — waits for the confirm, then acks the original.
// If that fails the original is requeued as it is: never dropped.
// The channel closing under a live subscription (connection recovery, queue deleted, channel error)
// restarts it: declare again, consume again. Unacked messages of the dead channel are redelivered by the
// broker with redelivered=true (deliveryCount + 1).
import { randomUUID } from "node:crypto";
import type { ConfirmChannel, ConsumeMessage } from "amqplib";
import type { Logger } from "../../api.js";
import type { MessageHandler, NackOptions, SubscribeOptions, Subscription } from "../../transport.js";
import type { ChannelPool } from "./channel-pool.js";
import { withRpcTimeout, type RabbitConnection } from "./connection.js";
import type { Declarations } from "./declarations.js";
import { Delivery, type Consumer, type Settler } from "./delivery.js";
import { retryOptions } from "./headers.js";
import { delayStep, groupQueue } from "./names.js";

const RESOLVED: Promise<void> = Promise.resolve();

export class RabbitSubscription implements Subscription {
  private channel: ConfirmChannel | undefined;
  private closing = false;
  private restarting: Promise<void> | undefined;
  private readonly instance = randomUUID().slice(0, 8);
  /** Deliveries started and not finished (handler running, or queued behind their key). */
  private active = 0;
  private idleWaiters: (() => void)[] = [];
  /** Tail of the chain of each key (orderedByKey). */
  private readonly keyTails = new Map<string, Promise<void>>();
  /** Pending sleeps (delayed exclusive retries, restart back-off); close() ends them early. */
  private readonly sleeps = new Map<NodeJS.Timeout, () => void>();

  constructor(
    private readonly options: SubscribeOptions,
    private readonly handler: MessageHandler,
    private readonly connection: RabbitConnection,
    private readonly pool: ChannelPool,
    private readonly declarations: Declarations,
    private readonly logger: Logger,
    private readonly onClosed: (s: RabbitSubscription) => void,
  ) {}

  /** Declares the queues, opens the channel and starts consuming; resolves when the broker said consume-ok. */
  async start(): Promise<void> {
    const consumers: Consumer[] = [];
    for (const topic of this.options.topics) {
      const queue = this.options.exclusive
        ? await this.declarations.exclusiveQueue(topic, this.options.group, this.instance)
        : await this.declarations.groupQueue(topic, this.options.group, { ordered: this.options.orderedByKey === true });
      consumers.push({ topic, queue });
    }
    const channel = await this.pool.openForSubscription();
    const rpcTimeout = this.connection.settings.channelRpcTimeoutMs;
    try {
      await withRpcTimeout("basic.qos", rpcTimeout, channel.prefetch(Math.max(1, this.options.concurrency), true));
      channel.once("close", () => this.onChannelClosed(channel));
      this.channel = channel;
      for (const consumer of consumers) {
        await withRpcTimeout(
          `basic.consume ${consumer.queue}`,
          rpcTimeout,
          channel.consume(consumer.queue, (msg) => this.onDelivery(channel, consumer, msg), { noAck: false }),
        );
      }
      if (this.closing) await channel.close().catch(() => undefined); // closed while we were (re)starting
    } catch (err) {
      // Not a live channel closing: the caller (subscribe or the restart loop) handles the failure.
      if (this.channel === channel) this.channel = undefined;
      await channel.close().catch(() => undefined);
      throw err;
    }
  }

  async close(): Promise<void> {
    if (this.closing) return;
    // Synchronously: deliveries that arrive from now on are not started (the broker requeues them).
    this.closing = true;
    for (const [timer, wake] of this.sleeps) {
      clearTimeout(timer);
      wake();
    }
    this.sleeps.clear();
    // A restart in progress sees `closing` and closes the channel it opens; no need to wait for it.
    const channel = this.channel;
    await this.drain();
    if (channel !== undefined) await channel.close().catch(() => undefined);
    if (this.channel !== undefined && this.channel !== channel) await this.channel.close().catch(() => undefined);
    this.channel = undefined;
    this.onClosed(this);
  }

  private async drain(): Promise<void> {
    while (this.active > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
  }

  private onDelivery(channel: ConfirmChannel, consumer: Consumer, msg: ConsumeMessage | null): void {
    if (msg === null) {
      // The broker cancelled the consumer (queue deleted, node went down): declare it again and resume.
      this.logger.warn("rabbitmq consumer cancelled by the broker; re-subscribing", { queue: consumer.queue, group: this.options.group });
      this.declarations.forgetQueue(consumer.queue);
      void channel.close().catch(() => undefined); // → onChannelClosed → restart
      return;
    }
    if (this.closing) return; // not started: the broker requeues it when the channel closes
    const delivery = new Delivery(this.settler, channel, consumer, msg);
    this.active++;
    const key = delivery.key;
    if (this.options.orderedByKey !== true || key === undefined) {
      void this.runHandler(delivery).then(this.taskDone);
      return;
    }
    const task = (this.keyTails.get(key) ?? RESOLVED).then(() => this.runHandler(delivery));
    this.keyTails.set(key, task);
    void task.then(() => {
      if (this.keyTails.get(key) === task) this.keyTails.delete(key);
      this.taskDone();
    });
  }

  private runHandler(delivery: Delivery): Promise<void> {
    if (this.closing) return RESOLVED; // queued behind its key when close began: left for the broker
    try {
      return this.handler(delivery).then(undefined, (err: unknown) => this.handlerFailed(err, delivery));
    } catch (err) {
      this.handlerFailed(err, delivery);
      return RESOLVED;
    }
  }

  private handlerFailed(err: unknown, delivery: Delivery): void {
    this.logger.warn("handler failed without ack/nack; the message is redelivered when the subscription closes", {
      topic: delivery.topic,
      messageId: delivery.id,
      error: err instanceof Error ? err.message : String(err),
    });
  }

  private readonly taskDone = (): void => {
    if (--this.active > 0) return;
    const waiters = this.idleWaiters;
    this.idleWaiters = [];
    for (const w of waiters) w();
  };

  private readonly settler: Settler = {
    ackOn: (channel, delivery) => {
      try {
        channel.ack(delivery.raw);
      } catch (err) {
        // The channel is gone: the broker redelivers the message (at-least-once); nothing to do here.
        this.logger.warn("rabbitmq ack on a closed channel; the broker will redeliver", { messageId: delivery.id, error: (err as Error).message });
      }
    },
    retry: (channel, delivery, options) => this.retry(channel, delivery, options),
    settledTwice: (what, delivery) =>
      this.logger.warn(`rabbitmq ${what} after the message was already settled; ignored`, { messageId: delivery.id }),
  };

  private async retry(channel: ConfirmChannel, delivery: Delivery, options: NackOptions | undefined): Promise<void> {
    const { consumer, raw: msg } = delivery;
    const delayMs = options?.delayMs ?? 0;
    const props = retryOptions(msg, consumer.topic, delivery.deliveryCount, options?.headers);
    try {
      let target = consumer.queue;
      if (delayMs > 0 && this.options.exclusive === true) {
        // An exclusive queue lives only as long as this instance: wait here instead of a durable delay queue.
        await this.sleep(delayMs);
      } else if (delayMs > 0) {
        target = await this.declarations.retryQueue(consumer.queue, delayStep(delayMs));
      }
      await new Promise<void>((resolve, reject) => {
        channel.sendToQueue(target, msg.content, props, (err) => (err === null || err === undefined ? resolve() : reject(err)));
      });
      channel.ack(msg);
    } catch (cause) {
      this.logger.warn("rabbitmq could not re-publish a nacked message; requeueing it unchanged", {
        topic: consumer.topic,
        messageId: delivery.id,
        error: cause instanceof Error ? cause.message : String(cause),
      });
      try {
        channel.nack(msg, false, true);
      } catch {
        // Channel gone: the broker redelivers it anyway.
      }
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.sleeps.delete(timer);
        resolve();
      }, ms);
      this.sleeps.set(timer, resolve);
    });
  }

  private onChannelClosed(channel: ConfirmChannel): void {
    if (this.channel !== channel || this.closing) return;
    this.channel = undefined;
    this.restarting ??= this.restart().finally(() => {
      this.restarting = undefined;
    });
  }

  /** Bounded by close(): retries every network_recovery_interval until it works or the subscription closes. */
  private async restart(): Promise<void> {
    const interval = this.connection.settings.networkRecoveryIntervalMs;
    for (let attempt = 1; !this.closing; attempt++) {
      try {
        await this.start();
        this.logger.info("rabbitmq subscription resumed", { group: this.options.group, topics: this.options.topics, attempt });
        return;
      } catch (err) {
        this.logger.debug("rabbitmq subscription restart failed", { attempt, error: (err as Error).message });
        if (this.options.exclusive !== true) {
          for (const t of this.options.topics) this.declarations.forgetQueue(groupQueue(t, this.options.group));
        }
        await this.sleep(Math.min(interval, 1000 * attempt));
      }
    }
  }
}
