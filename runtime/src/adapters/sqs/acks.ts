// Acks are DeleteMessage calls; coalescing the acks of one tick into DeleteMessageBatch (<= 10) cuts the
// round trips per message without delaying any ack by more than one event-loop turn.
import { DeleteMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { TransportError } from "../../errors.js";
import { transportError } from "./errors.js";

interface PendingAck {
  readonly receiptHandle: string;
  readonly messageId: string;
  readonly topic: string;
  readonly resolve: () => void;
  readonly reject: (error: unknown) => void;
}

export class AckBatcher {
  private readonly pending = new Map<string, PendingAck[]>();
  private scheduled = false;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(private readonly sqs: SQSClient) {}

  ack(queueUrl: string, receiptHandle: string, messageId: string, topic: string): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const list = this.pending.get(queueUrl) ?? [];
      list.push({ receiptHandle, messageId, topic, resolve, reject });
      this.pending.set(queueUrl, list);
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Resolves once every ack handed in so far has been answered by the broker. */
  async drain(): Promise<void> {
    if (this.scheduled || this.pending.size > 0) this.flush();
    while (this.inFlight.size > 0) await Promise.allSettled([...this.inFlight]);
  }

  private flush(): void {
    this.scheduled = false;
    const all = [...this.pending];
    this.pending.clear();
    for (const [queueUrl, acks] of all) {
      for (let i = 0; i < acks.length; i += 10) {
        const sending = this.send(queueUrl, acks.slice(i, i + 10));
        this.inFlight.add(sending);
        void sending.finally(() => this.inFlight.delete(sending));
      }
    }
  }

  private async send(queueUrl: string, acks: readonly PendingAck[]): Promise<void> {
    try {
      const out = await this.sqs.send(new DeleteMessageBatchCommand({
        QueueUrl: queueUrl,
        Entries: acks.map((a, i) => ({ Id: String(i), ReceiptHandle: a.receiptHandle })),
      }));
      const failed = new Map((out.Failed ?? []).map((f) => [Number(f.Id), f]));
      acks.forEach((a, i) => {
        const f = failed.get(i);
        if (f === undefined) a.resolve();
        else {
          a.reject(new TransportError(`aws: ack of message ${a.messageId} on ${a.topic} failed: ${f.Code ?? "error"}: ${f.Message ?? ""}`, {
            retriable: f.SenderFault !== true,
            topic: a.topic,
            messageId: a.messageId,
          }));
        }
      });
    } catch (error) {
      for (const a of acks) a.reject(transportError(`ack of message ${a.messageId}`, error, { topic: a.topic, messageId: a.messageId }));
    }
  }
}
