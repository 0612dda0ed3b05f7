// Sends on one sender link per topic (MULTICAST address) over the publisher connection, and resolves only
// when the broker settled every message as accepted (it journalled the durable message). A connection lost
// before that fails the unconfirmed sends as retriable: the core retries, nothing is lost (at-least-once).
import type { Delivery, EventContext, Sender } from "rhea";
import { TransportError } from "../../errors.js";
import type { OutgoingMessage } from "../../transport.js";
import { toAmqp } from "./codec.js";
import { describe, type ConnectionPool, type ManagedConnection } from "./connection.js";
import { TOPIC_CAPABILITY } from "./naming.js";
import type { ActiveMqSettings } from "./settings.js";

/** One publish() call: resolves when the broker accepted all of its messages, rejects on the first refusal. */
interface Call {
  remaining: number;
  settled: boolean;
  readonly resolve: () => void;
  readonly reject: (e: unknown) => void;
}

interface Pending {
  readonly call: Call;
  readonly topic: string;
  readonly id: string;
}

export class AmqpPublisher {
  private readonly senders = new Map<string, Promise<Sender>>();
  /** Senders attached (sender_open seen) and not closed since, by topic: the synchronous path of publish(). */
  private readonly ready = new Map<string, Sender>();
  private readonly pending = new Map<Delivery, Pending>();
  private watched: ManagedConnection | undefined;
  /** Topic -> message TTL (ms) from TopicSpec.retentionSeconds; expired messages go to ExpiryQueue. */
  readonly ttl = new Map<string, number>();

  constructor(
    private readonly pool: ConnectionPool,
    private readonly settings: ActiveMqSettings,
  ) {}

  publish(messages: readonly OutgoingMessage[]): Promise<void> {
    // The runtime core publishes one event per call: with the connection open and the topic's sender attached
    // and given credit, that message is sent at once, without the async path below (its awaits, per-topic map
    // and extra promises cost more per message than the send itself).
    const connection = messages.length === 1 ? this.pool.openPublisher() : undefined;
    const message = messages[0]!;
    const sender = connection === undefined ? undefined : this.ready.get(message.topic);
    if (sender === undefined || !sender.sendable()) return this.publishAll(messages);
    this.watch(connection!);
    connection!.coalesceWrites();
    return new Promise<void>((resolve, reject) => {
      const call: Call = { remaining: 1, settled: false, resolve, reject };
      const delivery = sender.send(toAmqp(message, this.ttl.get(message.topic)));
      this.pending.set(delivery, { call, topic: message.topic, id: message.id });
    });
  }

  private async publishAll(messages: readonly OutgoingMessage[]): Promise<void> {
    const connection = await this.pool.publisherConnection();
    this.watch(connection);
    const byTopic = new Map<string, OutgoingMessage[]>();
    for (const m of messages) {
      const list = byTopic.get(m.topic);
      if (list === undefined) byTopic.set(m.topic, [m]);
      else list.push(m);
    }
    let call!: Call;
    const confirmed = new Promise<void>((resolve, reject) => {
      call = { remaining: messages.length, settled: false, resolve, reject };
    });
    // It may fail (connection lost) while we are still sending: handled here, rethrown by the await below.
    confirmed.catch(() => undefined);
    try {
      await Promise.all([...byTopic].map(async ([topic, list]) => {
        const sender = await this.sender(connection, topic);
        for (const message of list) {
          // Sent in order on the link; wait for credit when the broker has given none.
          if (!sender.sendable()) await waitSendable(sender, this.settings.sessionTimeoutMs, topic);
          connection.coalesceWrites();
          const delivery = sender.send(toAmqp(message, this.ttl.get(topic)));
          this.pending.set(delivery, { call, topic, id: message.id });
        }
      }));
    } catch (error) {
      fail(call, error);
    }
    await confirmed;
  }

  private watch(connection: ManagedConnection): void {
    if (this.watched === connection) return;
    this.watched = connection;
    connection.on("lost", (error: unknown) => {
      for (const [delivery, p] of this.pending) {
        this.pending.delete(delivery);
        fail(p.call, new TransportError(`activemq: connection lost before the broker confirmed message ${p.id} on ${p.topic}`, {
          retriable: true,
          topic: p.topic,
          messageId: p.id,
          cause: error,
        }));
      }
    });
  }

  private sender(connection: ManagedConnection, topic: string): Promise<Sender> {
    let sender = this.senders.get(topic);
    if (sender === undefined) {
      sender = this.openSender(connection, topic);
      this.senders.set(topic, sender);
      sender.catch(() => this.senders.delete(topic));
    }
    return sender;
  }

  private openSender(connection: ManagedConnection, topic: string): Promise<Sender> {
    try {
      connection.acquireLink(`a sender for ${topic}`);
    } catch (error) {
      return Promise.reject(error);
    }
    const sender = connection.conn.open_sender({ target: { address: topic, capabilities: [TOPIC_CAPABILITY] } });
    const settle = (ctx: EventContext, outcome: "accepted" | "rejected" | "released" | "modified"): void => {
      const p = ctx.delivery === undefined ? undefined : this.pending.get(ctx.delivery);
      if (p === undefined || ctx.delivery === undefined) return;
      this.pending.delete(ctx.delivery);
      if (outcome === "accepted") {
        if (--p.call.remaining === 0 && !p.call.settled) {
          p.call.settled = true;
          p.call.resolve();
        }
        return;
      }
      const state = (ctx.delivery as unknown as { remote_state?: { error?: unknown } }).remote_state;
      const condition = describe(state?.error ?? outcome);
      fail(p.call, new TransportError(`activemq: broker ${outcome} message ${p.id} on ${p.topic}: ${condition}`, {
        // Released/modified: not processed, send again. Rejected: only a full address is worth retrying.
        retriable: outcome !== "rejected" || /resource-limit-exceeded/.test(condition),
        topic: p.topic,
        messageId: p.id,
      }));
    };
    sender.on("accepted", (ctx: EventContext) => settle(ctx, "accepted"));
    sender.on("rejected", (ctx: EventContext) => settle(ctx, "rejected"));
    sender.on("released", (ctx: EventContext) => settle(ctx, "released"));
    sender.on("modified", (ctx: EventContext) => settle(ctx, "modified"));
    sender.on("sender_error", (ctx: EventContext) => void ctx);
    // Detached by the broker or by close(): back to the path that waits for credit and attachment. rhea
    // re-attaches a link after a reconnect (sender_open again).
    sender.on("sender_open", () => this.ready.set(topic, sender));
    sender.on("sender_close", () => this.ready.delete(topic));
    sender.on("sender_error", () => this.ready.delete(topic));
    return new Promise<Sender>((resolve, reject) => {
      const timer = setTimeout(() => {
        connection.releaseLink();
        reject(new TransportError(`activemq: sender for ${topic} not attached within ${this.settings.sessionTimeoutMs} ms`, { retriable: true, topic }));
      }, this.settings.sessionTimeoutMs);
      sender.once("sender_open", () => {
        clearTimeout(timer);
        resolve(sender);
      });
      sender.once("sender_error", () => {
        clearTimeout(timer);
        connection.releaseLink();
        reject(new TransportError(`activemq: sender for ${topic} refused: ${describe(sender.error)}`, { retriable: false, topic }));
      });
    });
  }

  async close(): Promise<void> {
    const senders = await Promise.allSettled([...this.senders.values()]);
    this.senders.clear();
    this.ready.clear();
    for (const s of senders) {
      if (s.status === "fulfilled") {
        s.value.close();
        this.watched?.releaseLink();
      }
    }
  }
}

function fail(call: Call, error: unknown): void {
  if (call.settled) return;
  call.settled = true;
  call.reject(error);
}

function waitSendable(sender: Sender, timeoutMs: number, topic: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      sender.off("sendable", onSendable);
      reject(new TransportError(`activemq: no credit from the broker for ${topic} within ${timeoutMs} ms`, { retriable: true, topic }));
    }, timeoutMs);
    const onSendable = (): void => {
      clearTimeout(timer);
      resolve();
    };
    sender.once("sendable", onSendable);
  });
}
