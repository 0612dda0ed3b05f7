// Publishing: SNS PublishBatch to the topic (mode "sns"), or SendMessageBatch to every group queue of the
// topic (mode "sqs", the fan-out SNS would do). The calls of one event-loop turn share batches (lanes.ts):
// batches hold at most 10 entries and 256 KiB, the batches of one call go out one after the other so its
// messages keep their order, different calls' batches concurrently. FIFO destinations get MessageGroupId =
// key (ordering per key) and MessageDeduplicationId = message id (no duplicate on retry).
import { SendMessageBatchCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { PublishBatchCommand, type SNSClient } from "@aws-sdk/client-sns";
import { TransportError } from "../../errors.js";
import type { OutgoingMessage } from "../../transport.js";
import { encodeMessage } from "./attributes.js";
import type { AwsDeclarations } from "./declarations.js";
import { isQueueMissing, transportError } from "./errors.js";
import { Call, callsOf, lanes, sendLanes, type Entry, type Failure } from "./lanes.js";
import type { AwsSettings } from "./settings.js";

const NO_KEY_GROUP = "hypc-no-key";

export class AwsPublisher {
  /** Entries of this turn's calls by topic, in arrival order; sent on the next turn (setImmediate). */
  private pending = new Map<string, Entry[]>();
  private scheduled = false;

  constructor(
    private readonly settings: AwsSettings,
    private readonly declarations: AwsDeclarations,
    private readonly sqs: SQSClient,
    private readonly sns: SNSClient | undefined,
  ) {}

  publish(messages: readonly OutgoingMessage[]): Promise<void> {
    if (messages.length === 0) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const jsonStructure = this.settings.mode === "sns" && this.settings.snsMessageStructure === "json";
      const encoded = messages.map((message) => ({ message, encoded: encodeMessage(message, { withHeaders: this.settings.messageAttributes, jsonStructure }) }));
      const topics = new Set(messages.map((m) => m.topic));
      const call = new Call(topics.size, resolve, reject);
      for (const { message, encoded: e } of encoded) {
        const list = this.pending.get(message.topic);
        const entry: Entry = { message, encoded: e, call };
        if (list === undefined) this.pending.set(message.topic, [entry]);
        else list.push(entry);
      }
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  private flush(): void {
    this.scheduled = false;
    const pending = this.pending;
    this.pending = new Map();
    for (const [topic, entries] of pending) void this.sendTopic(topic, entries);
  }

  /** Sends one topic's entries of a turn; every call with entries in it then has this part done. */
  private async sendTopic(topic: string, entries: readonly Entry[]): Promise<void> {
    try {
      const failures = this.settings.mode === "sns" ? await this.publishToTopic(topic, entries) : await this.sendToGroupQueues(topic, entries);
      for (const f of failures) for (const call of f.calls) call.fail(f.error);
    } catch (error) {
      for (const e of entries) e.call.fail(error);
    }
    for (const call of callsOf(entries)) call.partDone();
  }

  private async publishToTopic(topic: string, entries: readonly Entry[]): Promise<Failure[]> {
    if (this.sns === undefined) throw new TransportError("aws: no SNS client", { topic });
    const sns = this.sns;
    const topicArn = await this.declarations.topicArn(topic);
    const fifo = this.declarations.isFifo(topic);
    const send = async (batch: readonly Entry[]) => {
      try {
        const out = await sns.send(new PublishBatchCommand({
          TopicArn: topicArn,
          PublishBatchRequestEntries: batch.map(({ message, encoded }, i) => ({
            Id: String(i),
            Message: encoded.body,
            ...(encoded.attributes["hypc-structure"] !== undefined ? { MessageStructure: "json" } : {}),
            MessageAttributes: encoded.attributes,
            ...(fifo ? { MessageGroupId: groupId(message), MessageDeduplicationId: dedupId(message) } : {}),
          })),
        }));
        return out.Failed;
      } catch (error) {
        throw transportError(`publishing ${batch.length} message(s) to SNS topic of ${topic}`, error, { topic, messageId: batch[0]?.message.id });
      }
    };
    return sendLanes(lanes(entries), send, topic);
  }

  /**
   * Mode "sqs": the fan-out SNS would do, to every group queue of the topic. Every turn lists the queues
   * (ListQueues, so a group queue created by any process before the call started gets the messages), but
   * the listing does not delay the sends: the queues of the previous listing are served at once while the
   * new listing runs, then the queues only the new listing has. A queue of the previous listing that the new
   * one no longer has and that is gone (QueueDoesNotExist) is skipped, as before it was not sent to.
   */
  private async sendToGroupQueues(topic: string, entries: readonly Entry[]): Promise<Failure[]> {
    const listing = this.declarations.listGroupQueues(topic);
    const laneList = lanes(entries); // the same batches for every queue
    const sends = new Map<string, Promise<Failure[]>>();
    const sendTo = (url: string): void => {
      if (!sends.has(url)) sends.set(url, this.sendToQueue(topic, url, laneList));
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
      return callsOf(entries).map((call) => ({
        calls: [call],
        error: new TransportError(`aws: no queue subscribes to topic ${topic} yet; nothing would receive the message`, {
          retriable: true,
          topic,
          messageId: entries.find((e) => e.call === call)?.message.id,
        }),
      }));
    }
    for (const url of urls) sendTo(url);
    const listed = new Set(urls);
    const failures: Failure[] = [];
    for (const [url, sending] of sends) {
      const atUrl = await sending;
      // Deleted before this turn's listing: not a destination.
      const gone = atUrl.length > 0 && atUrl.every((f) => f.error instanceof TransportError && isQueueMissing(f.error.cause));
      if (gone && !listed.has(url)) continue;
      failures.push(...atUrl);
    }
    return failures;
  }

  /** Every lane to one queue; each lane's batches one after the other (their order). */
  private async sendToQueue(topic: string, url: string, laneList: readonly (readonly Entry[])[]): Promise<Failure[]> {
    const fifo = url.endsWith(".fifo");
    const send = async (batch: readonly Entry[]) => {
      try {
        const out = await this.sqs.send(new SendMessageBatchCommand({
          QueueUrl: url,
          Entries: batch.map(({ message, encoded }, i) => ({
            Id: String(i),
            MessageBody: encoded.body,
            MessageAttributes: encoded.attributes,
            ...(fifo ? { MessageGroupId: groupId(message), MessageDeduplicationId: dedupId(message) } : {}),
          })),
        }));
        return out.Failed;
      } catch (error) {
        throw transportError(`sending ${batch.length} message(s) of ${topic} to ${url}`, error, { topic, messageId: batch[0]?.message.id });
      }
    };
    return sendLanes(laneList, send, topic);
  }
}

const SAFE_ID = /[^A-Za-z0-9!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;
const groupId = (m: OutgoingMessage): string => (m.key === undefined || m.key === "" ? NO_KEY_GROUP : m.key.replace(SAFE_ID, "_").slice(0, 128));
const dedupId = (m: OutgoingMessage): string => m.id.replace(SAFE_ID, "_").slice(0, 128);
