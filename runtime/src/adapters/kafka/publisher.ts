// Producer-side batching, because kafkajs has no linger: messages are accumulated per topic until the topic
// holds batch_size bytes (then it is sent at once) or linger_ms passed since the first buffered message
// (then everything buffered is sent); a request that goes out takes the partial batches along. One send at a
// time: batches grow while the broker answers, and the order of messages with the same key is the order of
// publish() calls. buffer_memory bounds the bytes buffered or in flight: publish() waits (back-pressure)
// instead of growing memory without limit.
import type { OutgoingMessage } from "../../transport.js";

export interface PublisherSettings {
  readonly batchSizeBytes: number;
  readonly lingerMs: number;
  readonly bufferMemoryBytes: number;
  /** Upper bound of one send request (bytes), well under the broker's default 1 MiB request limits. */
  readonly maxRequestBytes?: number;
}

/** Sends one batch; rejects with an error naming the topic (and a message id). */
export type SendBatch = (messages: readonly OutgoingMessage[]) => Promise<void>;

interface Pending {
  readonly message: OutgoingMessage;
  readonly bytes: number;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class BatchingPublisher {
  private readonly buffers = new Map<string, { items: Pending[]; bytes: number }>();
  private ready: Pending[] = [];
  /** Bytes buffered, ready or being sent. */
  private usedBytes = 0;
  private lingerTimer: NodeJS.Timeout | undefined;
  private sending: Promise<void> | undefined;
  private readonly waiters: (() => void)[] = [];
  private readonly maxRequestBytes: number;

  constructor(
    private readonly settings: PublisherSettings,
    private readonly send: SendBatch,
  ) {
    this.maxRequestBytes = settings.maxRequestBytes ?? Math.max(settings.batchSizeBytes, 900_000);
  }

  /** Resolves when every message was accepted by the broker (as the producer's acks define it). */
  publish(messages: readonly OutgoingMessage[]): Promise<void> {
    // One message without back-pressure is the common case (the runtime core publishes one per call): one
    // promise, no async frame, no Promise.all.
    if (messages.length === 1) {
      const message = messages[0]!;
      const bytes = approximateSize(message);
      if (this.usedBytes === 0 || this.usedBytes + bytes <= this.settings.bufferMemoryBytes) {
        this.usedBytes += bytes;
        return new Promise<void>((resolve, reject) => this.buffer({ message, bytes, resolve, reject }));
      }
    }
    return this.publishAll(messages);
  }

  private async publishAll(messages: readonly OutgoingMessage[]): Promise<void> {
    const accepted: Promise<void>[] = [];
    for (const message of messages) {
      const bytes = approximateSize(message);
      // Back-pressure: wait while the buffer is full. A message larger than the whole buffer still goes
      // once the buffer is empty (no deadlock).
      while (this.usedBytes > 0 && this.usedBytes + bytes > this.settings.bufferMemoryBytes) {
        this.flushAll();
        await new Promise<void>((resolve) => this.waiters.push(resolve));
      }
      this.usedBytes += bytes;
      accepted.push(new Promise<void>((resolve, reject) => this.buffer({ message, bytes, resolve, reject })));
    }
    await Promise.all(accepted);
  }

  get bufferedBytes(): number {
    return this.usedBytes;
  }

  /** Sends everything buffered now and waits until no send is running. */
  async flush(): Promise<void> {
    this.flushAll();
    while (this.sending) await this.sending;
  }

  private buffer(item: Pending): void {
    const topic = item.message.topic;
    let buffer = this.buffers.get(topic);
    if (!buffer) {
      buffer = { items: [], bytes: 0 };
      this.buffers.set(topic, buffer);
    }
    buffer.items.push(item);
    buffer.bytes += item.bytes;
    if (buffer.bytes >= this.settings.batchSizeBytes) this.flushTopic(topic);
    else this.armLinger();
  }

  private armLinger(): void {
    if (this.lingerTimer) return;
    this.lingerTimer = setTimeout(() => {
      this.lingerTimer = undefined;
      this.flushAll();
    }, this.settings.lingerMs);
  }

  private flushAll(): void {
    if (this.lingerTimer) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = undefined;
    }
    // Everything first, then one pump: the topics go out together in one request.
    for (const topic of [...this.buffers.keys()]) this.flushTopic(topic, false);
    this.pump();
  }

  private flushTopic(topic: string, pump = true): void {
    const buffer = this.buffers.get(topic);
    if (!buffer) return;
    this.buffers.delete(topic);
    for (const item of buffer.items) this.ready.push(item);
    if (this.buffers.size === 0 && this.lingerTimer) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = undefined;
    }
    if (pump) this.pump();
  }

  private pump(): void {
    if (this.sending || this.ready.length === 0) return;
    this.sending = (async () => {
      // Start after the assignment above, so `sending` is cleared by the finally below, never before it is set.
      await Promise.resolve();
      try {
        while (this.ready.length > 0) {
          this.takePartialBatches();
          const batch = this.takeRequest();
          try {
            await this.send(batch.map((p) => p.message));
            for (const p of batch) p.resolve();
          } catch (error) {
            for (const p of batch) p.reject(error);
          } finally {
            for (const p of batch) this.usedBytes -= p.bytes;
            for (const wake of this.waiters.splice(0)) wake();
          }
        }
      } finally {
        this.sending = undefined;
      }
    })();
  }

  /**
   * A request is going out anyway: the topics' partial batches ride along instead of waiting for linger_ms and
   * a request of their own (the Java producer drains every partition of a broker it sends to the same way).
   * linger_ms still bounds the wait of a message when nothing else is being sent.
   */
  private takePartialBatches(): void {
    if (this.buffers.size === 0) return;
    for (const buffer of this.buffers.values()) for (const item of buffer.items) this.ready.push(item);
    this.buffers.clear();
    if (this.lingerTimer) {
      clearTimeout(this.lingerTimer);
      this.lingerTimer = undefined;
    }
  }

  private takeRequest(): Pending[] {
    let bytes = 0;
    let count = 0;
    while (count < this.ready.length && (count === 0 || bytes + this.ready[count]!.bytes <= this.maxRequestBytes)) {
      bytes += this.ready[count]!.bytes;
      count++;
    }
    const batch = this.ready.slice(0, count);
    this.ready = this.ready.slice(count);
    return batch;
  }
}

/** Record size as Kafka counts it closely enough for batching: value, key, headers, per-record overhead. */
export function approximateSize(message: OutgoingMessage): number {
  let bytes = message.body.length + 24;
  if (message.key !== undefined) bytes += Buffer.byteLength(message.key);
  const headers = message.headers;
  for (const name in headers) bytes += name.length + headers[name]!.length + 4;
  return bytes + message.id.length + 20;
}
