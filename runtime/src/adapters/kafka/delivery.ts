// One fetched Kafka message on its way through the handler. KafkaJob is the dispatcher's Job (one per
// message, kept across redeliveries) and at the same time the ReceivedMessage of its first delivery; a
// redelivery after a nack gets a fresh KafkaRedelivery, so a late ack/nack of an earlier delivery cannot
// settle a later one. The dispatcher calls deliver() (the handler's own promise), then outcome().
//
// Every fetched message passes here, so this is built for few allocations: one object per message in the
// common case (ack on the first delivery), prototype methods instead of closures, what all messages of a
// partition share in one PartitionContext, and lazy conversions: header values and the key stay Buffers
// until read, the delivery-count key is built only when a count has to be remembered, ack() returns a
// shared resolved promise. What a handler sees is unchanged.
import type { KafkaMessage } from "kafkajs";
import type { Logger } from "../../api.js";
import { SETTLED, type MessageHandler, type NackOptions, type ReceivedMessage } from "../../transport.js";
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

/** What the messages of one topic-partition share (one per partition and subscription). */
export interface PartitionContext {
  readonly ctx: DeliveryContext;
  readonly topic: string;
  readonly partition: number;
  readonly offsets: PartitionOffsets;
}

const ACKED: Outcome = { kind: "ack" };
const ABANDONED: Outcome = { kind: "abandoned" };
const EMPTY = Buffer.alloc(0);

/** One delivery as a handler sees it; the message itself (record, ids, state across deliveries) is the job. */
// Fields are `declare`d and assigned in the constructors: ES2022 class-field definitions cost an extra
// define per field and object on this hot path (measured ~10 ns per object on Node 20).
abstract class Delivery implements ReceivedMessage {
  declare scope: TransactionScope | undefined;
  declare readonly deliveryCount: number;
  private declare settledAs: Outcome | undefined;
  private declare cachedHeaders: Readonly<Record<string, string>> | undefined;

  constructor(deliveryCount: number, headers: Readonly<Record<string, string>> | undefined) {
    this.scope = undefined;
    this.deliveryCount = deliveryCount;
    this.settledAs = undefined;
    this.cachedHeaders = headers;
  }

  protected abstract get job(): KafkaJob;

  get topic(): string {
    return this.job.part.topic;
  }
  get partition(): number {
    return this.job.part.partition;
  }
  get offset(): string {
    return this.job.record.offset;
  }
  get key(): string | undefined {
    return this.job.recordKey();
  }
  get body(): Buffer {
    return this.job.record.value ?? EMPTY;
  }
  get headers(): Readonly<Record<string, string>> {
    return (this.cachedHeaders ??= readHeaders(this.job.record));
  }
  get id(): string {
    return this.job.messageId();
  }

  ack(): Promise<void> {
    if (this.settledAs) return SETTLED;
    this.settledAs = ACKED;
    const job = this.job;
    const part = job.part;
    const ctx = part.ctx;
    // Rejects (TransportError) when the transaction failed for good: the offset is pending again, so the
    // message is redelivered after this subscription closes or the process restarts.
    if (ctx.tx && this.scope) return this.commitTransaction(ctx.tx, this.scope);
    // The offset is done; the commit follows (commit_sync: right away, back to back and coalesced; else on
    // the interval). ack() does not wait for it: a commit lost in a crash means a redelivery, never a loss;
    // close() waits for the final commit.
    part.offsets.ack(job.offsetNumber);
    if (ctx.commitSync) ctx.committer.request();
    if (this.deliveryCount > 1) ctx.deliveryCounts.forget(job.countKey());
    return SETTLED;
  }

  nack(options?: NackOptions): Promise<void> {
    if (this.settledAs) return SETTLED;
    this.settledAs = { kind: "nack", delayMs: Math.max(0, options?.delayMs ?? 0), ...(options?.headers ? { headers: options.headers } : {}) };
    return SETTLED;
  }

  /** The handler is done (`failure`: it rejected). Not acked (nack, or a "crash"): the count is remembered, so any redelivery — also after the subscription closes — counts on. */
  settle(failure: { readonly error: unknown } | undefined): Outcome {
    const outcome = this.settledAs;
    if (outcome === ACKED) return outcome;
    const job = this.job;
    // Contract: a handler that rejects without ack/nack leaves the message unacked ("crash").
    if (failure && !outcome) {
      job.part.ctx.logger.error("kafka handler failed without ack or nack; the message stays unacked", { topic: job.part.topic, partition: job.part.partition, offset: job.record.offset, messageId: job.messageId(), error: describe(failure.error) });
    }
    job.part.ctx.deliveryCounts.remember(job.countKey(), this.deliveryCount);
    return outcome ?? ABANDONED;
  }

  private async commitTransaction(tx: TransactionRunner, scope: TransactionScope): Promise<void> {
    const job = this.job;
    const part = job.part;
    await tx.commit(scope, { topic: part.topic, partition: part.partition, offsets: part.offsets, offset: job.offsetNumber });
    if (this.deliveryCount > 1) part.ctx.deliveryCounts.forget(job.countKey());
  }
}

export class KafkaJob extends Delivery implements Job {
  declare readonly part: PartitionContext;
  declare readonly record: KafkaMessage;
  /** record.offset as a number (parsed once by the fetch loop). */
  declare readonly offsetNumber: number;
  declare readonly lane: string | undefined;
  /** Count of the next delivery (redeliver() moves it on). */
  private declare nextCount: number;
  /** Headers of the next delivery once a nack merged some in; undefined = the record's own. */
  private declare nextHeaders: Readonly<Record<string, string>> | undefined;
  /** The delivery in progress: this job itself the first time, a KafkaRedelivery after a nack. */
  private declare current: Delivery | undefined;
  private declare cachedId: string | undefined;
  private declare cachedKey: string | null | undefined;

  constructor(part: PartitionContext, record: KafkaMessage, offsetNumber: number, deliveryCounts: DeliveryCounts) {
    // A remembered count exists only for messages delivered before and not acked (rare): no key otherwise.
    const count = deliveryCounts.empty ? 1 : deliveryCounts.first(`${part.ctx.groupId}|${part.topic}|${part.partition}|${record.offset}`);
    super(count, undefined);
    this.part = part;
    this.record = record;
    this.offsetNumber = offsetNumber;
    this.nextCount = count;
    this.nextHeaders = undefined;
    this.current = undefined;
    this.cachedId = undefined;
    this.cachedKey = undefined;
    this.lane = part.ctx.orderedByKey ? `${part.topic}/${part.partition}/${this.recordKey() ?? ""}` : undefined;
  }

  protected get job(): KafkaJob {
    return this;
  }

  /** Key of this message in the transport's delivery counts (group/topic/partition/offset). */
  countKey(): string {
    return `${this.part.ctx.groupId}|${this.part.topic}|${this.part.partition}|${this.record.offset}`;
  }

  recordKey(): string | undefined {
    if (this.cachedKey === undefined) this.cachedKey = this.record.key === null ? null : this.record.key.toString("utf8");
    return this.cachedKey ?? undefined;
  }

  messageId(): string {
    return (this.cachedId ??= this.record.headers?.[MESSAGE_ID_HEADER]?.toString() ?? `${this.part.topic}-${this.part.partition}-${this.record.offset}`);
  }

  redeliver(extra: Readonly<Record<string, string>> | undefined): void {
    this.nextCount = this.part.ctx.deliveryCounts.next(this.countKey(), this.nextCount);
    if (extra) this.nextHeaders = { ...(this.nextHeaders ?? readHeaders(this.record)), ...extra };
  }

  deliver(): Promise<void> {
    const { tx, handler } = this.part.ctx;
    const message = (this.current = this.current === undefined ? this : new KafkaRedelivery(this, this.nextCount, this.nextHeaders));
    if (!tx) return handler(message);
    const scope = (message.scope = tx.scope());
    return tx.run(scope, () => handler(message));
  }

  outcome(failure?: { readonly error: unknown }): Outcome {
    const message = this.current!;
    this.current = REDELIVER_NEXT;
    return message.settle(failure);
  }
}

class KafkaRedelivery extends Delivery {
  private declare readonly owner: KafkaJob;

  constructor(owner: KafkaJob, deliveryCount: number, headers: Readonly<Record<string, string>> | undefined) {
    super(deliveryCount, headers);
    this.owner = owner;
  }

  protected get job(): KafkaJob {
    return this.owner;
  }
}

/** Marks a job whose first delivery is over: every later delivery is a KafkaRedelivery. */
const REDELIVER_NEXT = {} as Delivery;

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
