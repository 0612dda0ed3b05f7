// Publishing: SNS PublishBatch to the topic (mode "sns"), or SendMessageBatch to every group queue of the
// topic (mode "sqs", the fan-out SNS would do). Batches hold at most 10 entries and 256 KiB, and are sent
// one after the other per destination so messages keep their order. FIFO destinations get
// MessageGroupId = key (ordering per key) and MessageDeduplicationId = message id (no duplicate on retry).
import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { PublishBatchCommand, type SNSClient } from "@aws-sdk/client-sns";
import { TransportError } from "../../errors.js";
import type { OutgoingMessage } from "../../transport.js";
import { encodeMessage, type Encoded } from "./attributes.js";
import type { AwsDeclarations } from "./declarations.js";
import { isQueueMissing, transportError } from "./errors.js";
import type { AwsSettings } from "./settings.js";

const MAX_BATCH_ENTRIES = 10;
const MAX_BATCH_BYTES = 256 * 1024 - 1024; // headroom for the request's own fields
const NO_KEY_GROUP = "hypc-no-key";

interface Entry {
  readonly message: OutgoingMessage;
  readonly encoded: Encoded;
}

export class AwsPublisher {
  constructor(
    private readonly settings: AwsSettings,
    private readonly declarations: AwsDeclarations,
    private readonly sqs: SQSClient,
    private readonly sns: SNSClient | undefined,
  ) {}

  async publish(messages: readonly OutgoingMessage[]): Promise<void> {
    const byTopic = new Map<string, Entry[]>();
    const jsonStructure = this.settings.mode === "sns" && this.settings.snsMessageStructure === "json";
    for (const message of messages) {
      const encoded = encodeMessage(message, { withHeaders: this.settings.messageAttributes, jsonStructure });
      const list = byTopic.get(message.topic) ?? [];
      list.push({ message, encoded });
      byTopic.set(message.topic, list);
    }
    await Promise.all([...byTopic].map(([topic, entries]) =>
      this.settings.mode === "sns" ? this.publishToTopic(topic, entries) : this.sendToGroupQueues(topic, entries),
    ));
  }

  private async publishToTopic(topic: string, entries: readonly Entry[]): Promise<void> {
    if (this.sns === undefined) throw new TransportError("aws: no SNS client", { topic });
    const topicArn = await this.declarations.topicArn(topic);
    const fifo = this.declarations.isFifo(topic);
    for (const batch of batches(entries)) {
      let out;
      try {
        out = await this.sns.send(new PublishBatchCommand({
          TopicArn: topicArn,
          PublishBatchRequestEntries: batch.map(({ message, encoded }, i) => ({
            Id: String(i),
            Message: encoded.body,
            ...(encoded.attributes["hypc-structure"] !== undefined ? { MessageStructure: "json" } : {}),
            MessageAttributes: encoded.attributes,
            ...(fifo ? { MessageGroupId: groupId(message), MessageDeduplicationId: dedupId(message) } : {}),
          })),
        }));
      } catch (error) {
        throw transportError(`publishing ${batch.length} message(s) to SNS topic of ${topic}`, error, { topic, messageId: batch[0]?.message.id });
      }
      failIfAnyFailed(topic, batch, out.Failed);
    }
  }

  /**
   * Mode "sqs": the fan-out SNS would do, to every group queue of the topic. Every call lists the queues
   * (ListQueues, so a group queue created by any process before the call started gets the messages), but
   * the listing no longer delays the sends: the queues of the previous listing are served at once while
   * the new listing runs, then the queues only the new listing has. A queue of the previous listing that
   * the new one no longer has and that is gone (QueueDoesNotExist) is skipped, as before it was not sent
   * to. Listing per call in series with the sends cost ~10 % of the publish throughput.
   */
  private async sendToGroupQueues(topic: string, entries: readonly Entry[]): Promise<void> {
    const listing = this.declarations.listGroupQueues(topic);
    const sends = new Map<string, Promise<unknown>>();
    const sendTo = (url: string): void => {
      // The outcome is inspected below; a settled promise never rejects unhandled.
      if (!sends.has(url)) sends.set(url, this.sendToQueue(topic, url, entries).then(() => undefined, (error: unknown) => ({ failed: error })));
    };
    for (const url of this.declarations.lastListedGroupQueues(topic)) sendTo(url);
    let urls: string[];
    try {
      urls = await listing;
    } catch (error) {
      await Promise.all(sends.values());
      throw transportError(`listing the queues of ${topic}`, error, { topic, messageId: entries[0]?.message.id });
    }
    if (urls.length === 0) {
      await Promise.all(sends.values());
      // Without SNS nothing would keep the message: refuse rather than drop it.
      throw new TransportError(`aws: no queue subscribes to topic ${topic} yet; nothing would receive the message`, {
        retriable: true,
        topic,
        messageId: entries[0]?.message.id,
      });
    }
    for (const url of urls) sendTo(url);
    const listed = new Set(urls);
    const targets = [...sends.keys()];
    const outcomes = (await Promise.all(sends.values())) as ({ failed: unknown } | undefined)[];
    for (const [i, outcome] of outcomes.entries()) {
      const url = targets[i]!;
      if (outcome === undefined) continue;
      const gone = outcome.failed instanceof TransportError && isQueueMissing(outcome.failed.cause);
      if (gone && !listed.has(url)) continue; // deleted before this call's listing: not a destination
      throw outcome.failed;
    }
  }

  /** Every batch to one queue, one after the other (their order). */
  private async sendToQueue(topic: string, url: string, entries: readonly Entry[]): Promise<void> {
    const fifo = url.endsWith(".fifo");
    for (const batch of batches(entries)) {
      let out;
      try {
        out = await this.sqs.send(new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: batch.map(({ message, encoded }, i) => ({
            Id: String(i),
            MessageBody: encoded.body,
            MessageAttributes: encoded.attributes,
            ...(fifo ? { MessageGroupId: groupId(message), MessageDeduplicationId: dedupId(message) } : {}),
          })),
        }));
      } catch (error) {
        throw transportError(`sending ${batch.length} message(s) of ${topic} to ${url}`, error, { topic, messageId: batch[0]?.message.id });
      }
      failIfAnyFailed(topic, batch, out.Failed);
    }
  }
}

function* batches(entries: readonly Entry[]): Generator<Entry[]> {
  let batch: Entry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    if (batch.length > 0 && (batch.length === MAX_BATCH_ENTRIES || bytes + entry.encoded.size > MAX_BATCH_BYTES)) {
      yield batch;
      batch = [];
      bytes = 0;
    }
    batch.push(entry);
    bytes += entry.encoded.size;
  }
  if (batch.length > 0) yield batch;
}

interface FailedEntry {
  readonly Id?: string;
  readonly Code?: string;
  readonly Message?: string;
  readonly SenderFault?: boolean;
}

function failIfAnyFailed(topic: string, batch: readonly Entry[], failed: readonly FailedEntry[] | undefined): void {
  const first = failed?.[0];
  if (first === undefined) return;
  const message = batch[Number(first.Id)]?.message;
  throw new TransportError(
    `aws: ${failed!.length} of ${batch.length} message(s) to ${topic} refused: ${first.Code ?? "error"}: ${first.Message ?? ""}`,
    { retriable: first.SenderFault !== true, topic, ...(message !== undefined ? { messageId: message.id } : {}) },
  );
}

const SAFE_ID = /[^A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
const groupId = (m: OutgoingMessage): string => (m.key === undefined || m.key === "" ? NO_KEY_GROUP : m.key.replace(SAFE_ID, "_").slice(0, 128));
const dedupId = (m: OutgoingMessage): string => m.id.replace(SAFE_ID, "_").slice(0, 128);
