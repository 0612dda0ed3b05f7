// One received message (ReceivedMessage). A class rather than an object of closures: this is the per-message
// hot path of every consumer, and prototype methods allocate nothing per message.
import type { ConfirmChannel, ConsumeMessage } from "amqplib";
import { SETTLED, type NackOptions, type ReceivedMessage } from "../../transport.js";
import { decode } from "./headers.js";

export interface Consumer {
  readonly topic: string;
  readonly queue: string;
}

/** What a delivery needs from its subscription to settle. */
export interface Settler {
  ackOn(channel: ConfirmChannel, delivery: Delivery): void;
  retry(channel: ConfirmChannel, delivery: Delivery, options: NackOptions | undefined): Promise<void>;
  settledTwice(what: string, delivery: Delivery): void;
}


export class Delivery implements ReceivedMessage {
  readonly topic: string;
  readonly partition = 0;
  readonly offset: string;
  readonly key: string | undefined;
  readonly body: Buffer;
  readonly headers: Readonly<Record<string, string>>;
  readonly id: string;
  readonly deliveryCount: number;
  private settled = false;

  constructor(
    private readonly settler: Settler,
    private readonly channel: ConfirmChannel,
    readonly consumer: Consumer,
    readonly raw: ConsumeMessage,
  ) {
    const decoded = decode(raw, consumer.topic);
    this.topic = consumer.topic;
    this.offset = String(raw.fields.deliveryTag);
    this.key = decoded.key;
    this.body = raw.content;
    this.headers = decoded.headers;
    this.id = decoded.id;
    this.deliveryCount = decoded.deliveryCount;
  }

  ack(): Promise<void> {
    if (this.settle("ack")) this.settler.ackOn(this.channel, this);
    return SETTLED;
  }

  nack(options?: NackOptions): Promise<void> {
    return this.settle("nack") ? this.settler.retry(this.channel, this, options) : SETTLED;
  }

  private settle(what: string): boolean {
    if (!this.settled) return (this.settled = true);
    this.settler.settledTwice(what, this);
    return false;
  }
}
