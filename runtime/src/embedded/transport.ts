// The embedded broker behind the Transport interface. Several transports may share one broker (several "apps"
// in one process, crash tests); closing a transport closes its subscriptions, never the broker's data.
import { TransportError } from "../errors.js";
import type { MessageHandler, OutgoingMessage, SubscribeOptions, Subscription, TopicSpec, Transport } from "../transport.js";
import { EmbeddedBroker, type EmbeddedBrokerOptions } from "./broker.js";

const RESOLVED: Promise<void> = Promise.resolve();

export interface EmbeddedTransportOptions extends EmbeddedBrokerOptions {
  /** Share a broker between transports; default: a new private broker. */
  readonly broker?: EmbeddedBroker;
}

export class EmbeddedTransport implements Transport {
  readonly name = "embedded";
  readonly broker: EmbeddedBroker;
  private readonly ownsBroker: boolean;
  private readonly subscriptions = new Set<Subscription>();
  private closed = false;

  constructor(options: EmbeddedTransportOptions = {}) {
    this.broker = options.broker ?? new EmbeddedBroker(options);
    this.ownsBroker = options.broker === undefined;
  }

  async connect(): Promise<void> {
    this.assertOpen("connect");
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.assertOpen("ensureTopics");
    for (const t of topics) this.broker.ensureTopic(t.name, t.partitions, t.retentionSeconds);
  }

  // Not async: the broker stores synchronously, so every publish returns the same resolved promise (one promise
  // and one async frame less per message); failures still arrive as rejections.
  publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (this.closed) {
      return Promise.reject(
        new TransportError(`embedded transport is closed: cannot publish ${messages.length} message(s) to ${messages[0]?.topic ?? "?"}`, {
          retriable: false,
          topic: messages[0]?.topic,
          messageId: messages[0]?.id,
        }),
      );
    }
    try {
      this.broker.publish(messages);
    } catch (error) {
      return Promise.reject(error);
    }
    return RESOLVED;
  }

  async subscribe(options: SubscribeOptions, handler: MessageHandler): Promise<Subscription> {
    this.assertOpen("subscribe");
    const leave = this.broker.join(options, handler);
    const subscription: Subscription = {
      close: async () => {
        this.subscriptions.delete(subscription);
        await leave();
      },
    };
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await Promise.all([...this.subscriptions].map((s) => s.close()));
    if (this.ownsBroker) this.broker.shutdown();
  }

  private assertOpen(what: string): void {
    if (this.closed) throw new TransportError(`embedded transport is closed: cannot ${what}`, { retriable: false });
  }
}

export function createEmbeddedTransport(options: EmbeddedTransportOptions = {}): EmbeddedTransport {
  return new EmbeddedTransport(options);
}
