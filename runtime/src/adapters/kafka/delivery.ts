// One fetched Kafka message on its way through the handler: the dispatcher's Job (KafkaJob, one per
// message, kept across redeliveries) and the ReceivedMessage a handler gets (KafkaReceived, one per
// delivery, so a late ack/nack of an earlier delivery cannot settle a later one).
//
// Every fetched message passes here, so both are classes with prototype methods (no closures per message)
// and the conversions a handler may not need are lazy: header values and the key stay Buffers until read,
// the delivery-count key is built only when a count has to be remembered, ack() returns a shared resolved
// promise. What a handler sees is unchanged.
import type { KafkaMessage } from "kafkajs";
import type { Logger } from "../../api.js";
import type { MessageHandler, NackOptions, ReceivedMessage } from "../../transport.js";
import type { Job, Outcome } from "./dispatcher.js";
import { describe } from "./errors.js";
import type { PartitionOffsets } from "./offsets.js";
import type { Committer, DeliveryCounts } from "./subscriber.js";
import type { TransactionRunner, TransactionScope } from "./transactions.js";
import { MESSAGE_ID_HEADER } from "./wire.js";

/** What every delivery of one subscription shares. */
export interface DeliveryContext {
  readonly handler: MessageHandler;
  readonly groupId: string;
  readonly logger: Logger;
  readonly deliveryCounts: DeliveryCounts;
  readonly committer: Committer;
  readonly commitSync: boolean;
  readonly tx: TransactionRunner | undefined;
  readonly orderedByKey: boolean;
}

const DONE: Promise<void> = Promise.resolve();
const ACKED: Outcome = { kind: "ack" };
const ABANDONED: Outcome = { kind: "abandoned" };
const EMPTY = Buffer.alloc(0);

export class KafkaJob implements Job {
  readonly offset: number;
  readonly lane: string | undefined;
  /** Count of the next delivery. */
  deliveryCount: number;
  /** Headers of the next delivery once a nack merged some in; undefined = the record's own. */
  headers: Readonly<Record<string, string>> | undefined;
  private cachedId: string | undefined;
  private cachedKey: string | null | undefined;
  private cachedCountKey: string | undefined;

  constructor(
    readonly ctx: DeliveryContext,
    readonly topic: string,
    readonly partition: number,
    readonly record: KafkaMessage,
    readonly offsets: PartitionOffsets,
  ) {
    this.offset = Number(record.offset);
    // A remembered count exists only for messages delivered before and not acked (rare): no key otherwise.
    this.deliveryCount = ctx.deliveryCounts.empty ? 1 : ctx.deliveryCounts.first(this.countKey());
    this.lane = ctx.orderedByKey ? `${topic}/${partition}/${this.key() ?? ""}` : undefined;
  }

  /** Key of this message in the transport's delivery counts (group/topic/partition/offset). */
  countKey(): string {
    return (this.cachedCountKey ??= `${this.ctx.groupId}|${this.topic}|${this.partition}|${this.record.offset}`);
  }

  key(): string | undefined {
    if (this.cachedKey === undefined) this.cachedKey = this.record.key === null ? null : this.record.key.toString("utf8");
    return this.cachedKey ?? undefined;
  }

  id(): string {
    return (this.cachedId ??= this.record.headers?.[MESSAGE_ID_HEADER]?.toString() ?? `${this.topic}-${this.partition}-${this.record.offset}`);
  }

  redeliver(extra: Readonly<Record<string, string>> | undefined): void {
    this.deliveryCount = this.ctx.deliveryCounts.next(this.countKey(), this.deliveryCount);
    if (extra) this.headers = { ...(this.headers ?? readHeaders(this.record)), ...extra };
  }

  deliver(): Promise<Outcome> {
    const { tx, handler } = this.ctx;
    const message = new KafkaReceived(this, this.deliveryCount, this.headers);
    let handled: Promise<void>;
    try {
      if (tx) {
        const scope = (message.scope = tx.scope());
        handled = tx.run(scope, () => handler(message));
      } else {
        handled = handler(message);
      }
    } catch (error) {
      handled = Promise.reject(error);
    }
    return handled.then(
      () => message.settled(),
      (error: unknown) => message.failed(error),
    );
  }
}

class KafkaReceived implements ReceivedMessage {
  scope: TransactionScope | undefined;
  private outcome: Outcome | undefined;

  constructor(
    private readonly job: KafkaJob,
    readonly deliveryCount: number,
    private cachedHeaders: Readonly<Record<string, string>> | undefined,
  ) {}

  get topic(): string {
    return this.job.topic;
  }
  get partition(): number {
    return this.job.partition;
  }
  get offset(): string {
    return this.job.record.offset;
  }
  get key(): string | undefined {
    return this.job.key();
  }
  get body(): Buffer {
    return this.job.record.value ?? EMPTY;
  }
  get headers(): Readonly<Record<string, string>> {
    return (this.cachedHeaders ??= readHeaders(this.job.record));
  }
  get id(): string {
    return this.job.id();
  }

  ack(): Promise<void> {
    if (this.outcome) return DONE;
    this.outcome = ACKED;
    const job = this.job;
    const ctx = job.ctx;
    // Rejects (TransportError) when the transaction failed for good: the offset is pending again, so the
    // message is redelivered after this subscription closes or the process restarts.
    if (ctx.tx && this.scope) return this.commitTransaction(ctx.tx, this.scope);
    // The offset is done; the commit follows (commit_sync: right away, back to back and coalesced; else on
    // the interval). ack() does not wait for it: a commit lost in a crash means a redelivery, never a loss;
    // close() waits for the final commit.
    job.offsets.ack(job.offset);
    if (ctx.commitSync) ctx.committer.request();
    if (this.deliveryCount > 1) ctx.deliveryCounts.forget(job.countKey());
    return DONE;
  }

  nack(options?: NackOptions): Promise<void> {
    if (this.outcome) return DONE;
    this.outcome = { kind: "nack", delayMs: Math.max(0, options?.delayMs ?? 0), ...(options?.headers ? { headers: options.headers } : {}) };
    return DONE;
  }

  /** The handler resolved. Not acked (nack, or a "crash"): the count is remembered, so any redelivery — also after the subscription closes — counts on. */
  settled(): Outcome {
    if (!this.outcome || this.outcome.kind === "nack") this.job.ctx.deliveryCounts.remember(this.job.countKey(), this.deliveryCount);
    return this.outcome ?? ABANDONED;
  }

  /** The handler rejected. Contract: without ack/nack the message stays unacked ("crash"). */
  failed(error: unknown): Outcome {
    if (!this.outcome) {
      const job = this.job;
      job.ctx.logger.error("kafka handler failed without ack or nack; the message stays unacked", { topic: job.topic, partition: job.partition, offset: job.record.offset, messageId: job.id(), error: describe(error) });
    }
    return this.settled();
  }

  private async commitTransaction(tx: TransactionRunner, scope: TransactionScope): Promise<void> {
    const job = this.job;
    await tx.commit(scope, { topic: job.topic, partition: job.partition, offsets: job.offsets, offset: job.offset });
    if (this.deliveryCount > 1) job.ctx.deliveryCounts.forget(job.countKey());
  }
}

/** Record headers as strings (the last value of a repeated header), without the message id header. */
export function readHeaders(m: KafkaMessage): Record<string, string> {
  const out: Record<string, string> = {};
  const headers = m.headers;
  if (!headers) return out;
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || name === MESSAGE_ID_HEADER) continue;
    const last = Array.isArray(value) ? value[value.length - 1] : value;
    if (last !== undefined) out[name] = last.toString();
  }
  return out;
}
