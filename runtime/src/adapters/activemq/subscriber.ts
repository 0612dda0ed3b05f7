// One receiver link per topic on the group's queue (`<topic>::<topic>--<group>`), or on a temporary
// subscription for exclusive subscribers. Flow control by hand: credit = concurrency; one credit back per
// finished handler, so at most `concurrency` messages are in the app. ack = accepted; nack = modified with
// delivery-failed (the broker counts delivery-count and redelivers), after `delayMs` if given (the message
// is held meanwhile; other messages keep flowing). Messages nobody settled go back at close, counted.
//
// Every delivery passes onMessage, so it allocates little: one AmqpDelivery (the ReceivedMessage, with prototype
// methods instead of closures) per message, kept in an intrusive list of unsettled deliveries rather than a Set
// (hashing a fresh object per message cost more than the list's two pointer writes).
import type { Delivery, EventContext, Message, Receiver } from "rhea";
import type { Logger } from "../../api.js";
import { SETTLED, type MessageHandler, type NackOptions, type ReceivedMessage, type SubscribeOptions, type Subscription } from "../../transport.js";
import { bodyBytes, deliveryCountOf, headersOf, idOf, keyOf } from "./codec.js";
import { describe, type ConnectionPool, type ManagedConnection } from "./connection.js";
import { TransportError } from "../../errors.js";
import { fullyQualifiedQueue, TOPIC_CAPABILITY } from "./naming.js";
import type { ActiveMqSettings } from "./settings.js";
import { randomUUID } from "node:crypto";


interface Link {
  readonly topic: string;
  readonly receiver: Receiver;
  readonly connection: ManagedConnection;
  /** Messages of the current connection generation whose handler has not finished. */
  active: number;
  onReopened?: () => void;
}

export class AmqpSubscription implements Subscription {
  private readonly links: Link[] = [];
  private closing: Promise<void> | undefined;
  private stopping = false;
  /** Deliveries handed to the handler and not settled yet (oldest first). */
  private readonly unsettled = new DeliveryList();
  /** Handlers dispatched and not finished (a count, not a set of promises: this changes twice per message). */
  private running = 0;
  private idleWaiters: (() => void)[] = [];
  private readonly keyChains = new Map<string, Promise<void>>();
  private readonly creditPerLink: number;

  constructor(
    private readonly pool: ConnectionPool,
    private readonly settings: ActiveMqSettings,
    private readonly logger: Logger,
    private readonly options: SubscribeOptions,
    private readonly handler: MessageHandler,
    private readonly onClosed: (s: AmqpSubscription) => void,
  ) {
    this.creditPerLink = Math.max(1, Math.floor(Math.max(1, options.concurrency) / Math.max(1, options.topics.length)));
  }

  async start(): Promise<void> {
    for (const topic of this.options.topics) this.links.push(await this.attach(topic));
  }

  private async attach(topic: string): Promise<Link> {
    const connection = await this.pool.subscriberConnection();
    connection.acquireLink(`a subscription to ${topic}`);
    const exclusive = this.options.exclusive === true;
    const source = exclusive
      ? // A subscription queue of its own, deleted by the broker when the link closes.
        { address: topic, capabilities: [TOPIC_CAPABILITY], durable: 0, expiry_policy: "link-detach" }
      : { address: fullyQualifiedQueue(topic, this.options.group), capabilities: [TOPIC_CAPABILITY], durable: 2, expiry_policy: "never" };
    const options = { name: `hypc-${this.options.group}-${randomUUID().slice(0, 8)}`, source, credit_window: 0, autoaccept: false };
    const receiver = connection.conn.open_receiver(options);
    const link: Link = { topic, receiver, connection, active: 0 };
    receiver.on("message", (ctx: EventContext) => this.onMessage(link, ctx));
    receiver.on("receiver_error", (ctx: EventContext) => {
      this.logger.warn("activemq: receiver error", { topic, group: this.options.group, error: describe(ctx.receiver?.error) });
    });
    const attached = new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new TransportError(`activemq: subscription to ${topic} (group ${this.options.group}) not attached within ${this.settings.sessionTimeoutMs} ms`, { retriable: true, topic }));
      }, this.settings.sessionTimeoutMs);
      receiver.once("receiver_open", () => {
        clearTimeout(timer);
        resolve();
      });
      receiver.once("receiver_error", () => {
        clearTimeout(timer);
        reject(new TransportError(`activemq: subscription to ${topic} refused: ${describe(receiver.error)}`, { retriable: false, topic }));
      });
    });
    try {
      await attached;
    } catch (error) {
      receiver.close();
      connection.releaseLink();
      throw error;
    }
    receiver.add_credit(this.creditPerLink);
    // After a reconnect rhea re-attaches the link with no credit; the deliveries of the old connection are
    // void (the broker redelivers them), so the link starts again with its full credit.
    link.onReopened = () => {
      if (this.stopping) return;
      link.active = 0;
      receiver.once("receiver_open", () => {
        if (!this.stopping) receiver.add_credit(this.creditPerLink);
      });
    };
    connection.on("reopened", link.onReopened);
    return link;
  }

  close(): Promise<void> {
    this.closing ??= this.shutdown();
    return this.closing;
  }

  private async shutdown(): Promise<void> {
    this.stopping = true;
    while (this.running > 0) await new Promise<void>((resolve) => this.idleWaiters.push(resolve));
    // Not settled (handler "crashed", or a delayed nack still waiting): back to the queue now, counted.
    for (let d = this.unsettled.head; d !== undefined; d = d.next) {
      if (d.delayTimer !== undefined) clearTimeout(d.delayTimer);
      if (d.isCurrent()) d.delivery.modified({ delivery_failed: true });
    }
    this.unsettled.clear();
    await Promise.allSettled(this.links.map((link) => this.detach(link)));
    this.onClosed(this);
  }

  private detach(link: Link): Promise<void> {
    return new Promise<void>((resolve) => {
      let finished = false;
      const done = (): void => {
        if (finished) return;
        finished = true;
        clearTimeout(timer);
        if (link.onReopened !== undefined) link.connection.off("reopened", link.onReopened);
        link.connection.releaseLink();
        resolve();
      };
      const timer = setTimeout(done, this.settings.sessionTimeoutMs);
      if (!link.connection.isOpen()) return done();
      link.receiver.once("receiver_close", done);
      link.receiver.close();
    });
  }

  /**
   * One credit back per finished handler, at once: rhea already sends one flow frame per link per turn however
   * many credits were added (its output runs on process.nextTick), so no batching of our own is needed (an A/B
   * against batching on setImmediate measured no difference in rate or CPU).
   */
  private returnCredit(link: Link): void {
    if (!this.stopping && link.connection.isOpen()) link.receiver.add_credit(1);
  }

  private onMessage(link: Link, ctx: EventContext): void {
    const delivery = ctx.delivery;
    const amqp = ctx.message;
    if (delivery === undefined || amqp === undefined) return;
    if (this.stopping) {
      // Credit granted before close: hand it back untouched (no delivery-count increase).
      delivery.release({ delivery_failed: false });
      return;
    }
    const message = new AmqpDelivery(this, link, delivery, amqp);
    this.unsettled.push(message);
    link.active++;
    this.running++;
    const key = this.options.orderedByKey === true ? message.key : undefined;
    if (key !== undefined) {
      const done = (this.keyChains.get(key) ?? Promise.resolve()).then(() => this.run(message));
      this.keyChains.set(key, done);
      void done.then(() => {
        if (this.keyChains.get(key) === done) this.keyChains.delete(key);
      });
    } else {
      void this.run(message);
    }
  }

  /** Runs the handler for one delivery; then the link gets its credit back. */
  private run(message: AmqpDelivery): Promise<void> {
    let outcome: Promise<void>;
    try {
      outcome = this.handler(message);
    } catch (error) {
      outcome = Promise.reject(error);
    }
    return outcome.then(
      () => this.finished(message),
      (error: unknown) => {
        this.logger.error("activemq: handler failed without settling its message", { topic: message.topic, messageId: message.id, error: String(error) });
        this.finished(message);
      },
    );
  }

  private finished(message: AmqpDelivery): void {
    const link = message.link;
    if (message.generation === link.connection.generation) {
      link.active--;
      this.returnCredit(link);
    }
    if (--this.running === 0) for (const wake of this.idleWaiters.splice(0)) wake();
  }

  /** Called once per delivery by its first ack/nack: false when it can no longer be settled. */
  settling(message: AmqpDelivery): boolean {
    this.unsettled.remove(message);
    if (message.isCurrent()) return true;
    // The connection it came on is gone: the broker redelivers it; settling now is impossible.
    this.logger.warn("activemq: message settled after its connection was lost; the broker redelivers it", { topic: message.topic, messageId: message.id });
    return false;
  }
}

/**
 * One delivery as the handler sees it, and its place in the subscription's list of unsettled deliveries. Headers,
 * key and id are decoded from the AMQP message when first read: the consume pipeline of a message handled on its
 * first try reads none of them.
 */
class AmqpDelivery implements ReceivedMessage {
  declare readonly topic: string;
  declare readonly partition: number;
  declare readonly body: Buffer;
  declare readonly deliveryCount: number;
  declare readonly link: Link;
  declare readonly delivery: Delivery;
  /** The connection generation it arrived on: a delivery of an earlier connection cannot be settled. */
  declare readonly generation: number;
  declare settled: boolean;
  declare delayTimer: NodeJS.Timeout | undefined;
  declare listed: boolean;
  declare prev: AmqpDelivery | undefined;
  declare next: AmqpDelivery | undefined;
  private declare readonly subscription: AmqpSubscription;
  private declare readonly amqp: Message;
  private declare decodedHeaders: Record<string, string> | undefined;
  private declare decodedId: string | undefined;

  constructor(subscription: AmqpSubscription, link: Link, delivery: Delivery, amqp: Message) {
    this.subscription = subscription;
    this.topic = link.topic;
    this.partition = 0;
    this.body = bodyBytes(amqp.body);
    this.deliveryCount = deliveryCountOf(amqp);
    this.link = link;
    this.delivery = delivery;
    this.generation = link.connection.generation;
    this.settled = false;
    this.delayTimer = undefined;
    this.listed = false;
    this.prev = undefined;
    this.next = undefined;
    this.amqp = amqp;
    this.decodedHeaders = undefined;
    this.decodedId = undefined;
  }

  get headers(): Readonly<Record<string, string>> {
    return (this.decodedHeaders ??= headersOf(this.amqp));
  }

  get key(): string | undefined {
    return keyOf(this.amqp, this.decodedHeaders);
  }

  /** The AMQP message-id; a message without one gets a fresh id (once: it is the same on every read). */
  get id(): string {
    return (this.decodedId ??= idOf(this.amqp) ?? randomUUID());
  }

  get offset(): string {
    return String(this.delivery.id);
  }

  isCurrent(): boolean {
    return this.generation === this.link.connection.generation && this.link.connection.isOpen();
  }

  // Settling is synchronous in rhea: no async function (and its promise) per message.
  ack(): Promise<void> {
    if (this.settle()) this.delivery.accept();
    return SETTLED;
  }

  nack(options?: NackOptions): Promise<void> {
    const delayMs = Math.max(0, options?.delayMs ?? 0);
    if (delayMs === 0) {
      if (this.settle()) this.delivery.modified({ delivery_failed: true });
      return SETTLED;
    }
    if (this.settled || this.delayTimer !== undefined) return SETTLED;
    // Held (unsettled) for the delay, then handed back; close() hands it back early.
    this.delayTimer = setTimeout(() => {
      if (this.settle()) this.delivery.modified({ delivery_failed: true });
    }, delayMs);
    return SETTLED;
  }

  private settle(): boolean {
    if (this.settled) return false;
    this.settled = true;
    return this.subscription.settling(this);
  }
}

/** Doubly linked list of unsettled deliveries (O(1) push and remove, no hashing). */
class DeliveryList {
  head: AmqpDelivery | undefined;
  private tail: AmqpDelivery | undefined;

  push(d: AmqpDelivery): void {
    d.listed = true;
    d.prev = this.tail;
    d.next = undefined;
    if (this.tail === undefined) this.head = d;
    else this.tail.next = d;
    this.tail = d;
  }

  /** Removes `d` if it is in the list. */
  remove(d: AmqpDelivery): void {
    if (!d.listed) return;
    d.listed = false;
    if (d.prev === undefined) this.head = d.next;
    else d.prev.next = d.next;
    if (d.next === undefined) this.tail = d.prev;
    else d.next.prev = d.prev;
    d.prev = d.next = undefined;
  }

  clear(): void {
    for (let d = this.head; d !== undefined; ) {
      const next = d.next;
      d.listed = false;
      d.prev = d.next = undefined;
      d = next;
    }
    this.head = this.tail = undefined;
  }
}
