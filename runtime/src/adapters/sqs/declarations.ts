// Broker objects of the AWS adapter, created idempotently and cached per transport:
//   topic          -> SNS topic (mode "sns"); nothing in mode "sqs" (the queues are the topic)
//   (topic, group) -> SQS queue `<topic>__<group>` with RedrivePolicy to `<topic>__<group>__dlq`,
//                     subscribed to the SNS topic with raw delivery (mode "sns")
// Queue attributes come from the seed: VisibilityTimeout, ReceiveMessageWaitTimeSeconds, MessageRetentionPeriod.
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  GetQueueUrlCommand,
  ListQueuesCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { CreateTopicCommand, SubscribeCommand, UnsubscribeCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { Topology } from "../../topology.js";
import type { TopicSpec } from "../../transport.js";
import { transportError } from "./errors.js";
import { deadLetterQueueName, groupQueueName, groupQueuePrefix, isGroupQueueOf, queueNameFromUrl, snsTopicName } from "./naming.js";
import type { AwsSettings } from "./settings.js";

export interface GroupQueue {
  readonly name: string;
  readonly url: string;
  readonly topic: string;
  /** SNS subscription of the queue (mode "sns"), removed with an exclusive queue. */
  readonly subscriptionArn?: string;
}

export class AwsDeclarations {
  private readonly retention = new Map<string, number>();
  /** Mode "sqs": topic → its group queues' URLs as the last listing saw them (the publisher's head start). */
  private readonly listed = new Map<string, readonly string[]>();
  /** Mode "sqs": per topic, the listing not sent yet that new publish calls join. */
  private readonly nextListing = new Map<string, Promise<string[]>>();
  private readonly topicArns = new Map<string, Promise<string>>();
  private readonly queues = new Map<string, Promise<GroupQueue>>();

  constructor(
    private readonly settings: AwsSettings,
    private readonly sqs: SQSClient,
    private readonly sns: SNSClient | undefined,
    private readonly topology: Topology,
  ) {}

  isFifo(topic: string): boolean {
    return this.settings.fifoTopics.has(topic) || topic.endsWith(".fifo");
  }

  /**
   * A group that wants order per key reads a FIFO queue. In mode "sqs" each group chooses (the publisher
   * sees `.fifo` on the queue it sends to); with SNS the topic decides, as a standard topic cannot feed
   * FIFO queues.
   */
  private fifoQueue(topic: string, ordered: boolean): boolean {
    return this.isFifo(topic) || (ordered && this.settings.mode === "sqs");
  }

  /** Topics plus the queues of every group the configuration declares on them, so none misses a message. */
  async ensureTopics(specs: readonly TopicSpec[]): Promise<void> {
    for (const spec of specs) {
      if (spec.retentionSeconds !== undefined) this.retention.set(spec.name, Math.min(1_209_600, Math.max(60, spec.retentionSeconds)));
    }
    await Promise.all(specs.map(async (spec) => {
      if (this.settings.mode === "sns") await this.topicArn(spec.name);
      const ordered = this.topology.guarantees.message_ordering.enabled;
      await Promise.all(this.declaredGroups(spec.name).map((group) => this.groupQueue(spec.name, group, ordered)));
    }));
  }

  topicArn(topic: string): Promise<string> {
    let arn = this.topicArns.get(topic);
    if (arn === undefined) {
      arn = this.createTopic(topic);
      this.topicArns.set(topic, arn);
      arn.catch(() => this.topicArns.delete(topic));
    }
    return arn;
  }

  /** The shared queue of (topic, group), created and subscribed on first use. */
  groupQueue(topic: string, group: string, ordered: boolean): Promise<GroupQueue> {
    const name = groupQueueName(topic, group, this.fifoQueue(topic, ordered));
    let queue = this.queues.get(name);
    if (queue === undefined) {
      queue = this.createGroupQueue(topic, name, true);
      this.queues.set(name, queue);
      queue.catch(() => this.queues.delete(name));
    }
    return queue;
  }

  /** A queue only this subscriber reads (reply listeners): no DLQ, deleted by `dropQueue`. */
  exclusiveQueue(topic: string, group: string, instance: string, ordered: boolean): Promise<GroupQueue> {
    const name = groupQueueName(topic, `${group}-x${instance}`, this.fifoQueue(topic, ordered));
    return this.createGroupQueue(topic, name, false);
  }

  async dropQueue(queue: GroupQueue): Promise<void> {
    try {
      if (queue.subscriptionArn !== undefined && this.sns !== undefined) {
        await this.sns.send(new UnsubscribeCommand({ SubscriptionArn: queue.subscriptionArn }));
      }
      await this.sqs.send(new DeleteQueueCommand({ QueueUrl: queue.url }));
      const listed = this.listed.get(queue.topic);
      if (listed !== undefined) this.listed.set(queue.topic, listed.filter((url) => url !== queue.url));
    } catch (error) {
      throw transportError(`deleting exclusive queue ${queue.name}`, error, { topic: queue.topic });
    }
  }

  /** Mode "sqs": the topic's group queues as the last completed listing saw them ([] before the first). */
  lastListedGroupQueues(topic: string): readonly string[] {
    return this.listed.get(topic) ?? [];
  }

  /**
   * Mode "sqs": every group queue of the topic as the broker lists them (other processes' groups too), by a
   * ListQueues sent after this call began, so it sees every queue created before. Calls that arrive before
   * that request is sent share it (sent on the next turn of the event loop): 1,000 concurrent one-message
   * publishes cost one listing, not 1,000, and each still sees what existed when it started.
   */
  listGroupQueues(topic: string): Promise<string[]> {
    let next = this.nextListing.get(topic);
    if (next === undefined) {
      next = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.nextListing.delete(topic); // from here on, a new call needs a listing sent after it began
        return this.listGroupQueuesNow(topic);
      });
      this.nextListing.set(topic, next);
    }
    return next;
  }

  private async listGroupQueuesNow(topic: string): Promise<string[]> {
    const prefix = groupQueuePrefix(topic);
    const urls: string[] = [];
    let nextToken: string | undefined;
    for (let page = 0; page < 100; page++) {
      const out = await this.sqs.send(new ListQueuesCommand({ QueueNamePrefix: prefix, MaxResults: 1000, NextToken: nextToken }));
      for (const url of out.QueueUrls ?? []) if (isGroupQueueOf(prefix, queueNameFromUrl(url))) urls.push(url);
      nextToken = out.NextToken;
      if (nextToken === undefined) break;
    }
    this.listed.set(topic, urls);
    return urls;
  }

  private declaredGroups(topic: string): string[] {
    const groups = new Set<string>();
    for (const consumer of this.topology.consumers) {
      if (consumer.broker === "aws_messaging" && consumer.topics.some((t) => t.name === topic)) groups.add(consumer.groupId);
    }
    for (const channel of this.topology.pubSub) {
      if (channel.broker === "aws_messaging" && channel.topic === topic) for (const s of channel.subscribers) groups.add(s.group_id);
    }
    return [...groups];
  }

  private async createTopic(topic: string): Promise<string> {
    if (this.sns === undefined) throw transportError(`creating SNS topic for ${topic}`, new Error("no SNS client in mode sqs"), { topic });
    const fifo = this.isFifo(topic);
    try {
      const out = await this.sns.send(new CreateTopicCommand({
        Name: snsTopicName(topic, fifo),
        ...(fifo ? { Attributes: { FifoTopic: "true", ContentBasedDeduplication: "false" } } : {}),
      }));
      if (out.TopicArn === undefined) throw new Error("CreateTopic returned no TopicArn");
      return out.TopicArn;
    } catch (error) {
      throw transportError(`creating SNS topic for ${topic}`, error, { topic });
    }
  }

  private async createGroupQueue(topic: string, name: string, withDeadLetter: boolean): Promise<GroupQueue> {
    const fifo = name.endsWith(".fifo");
    try {
      const attributes: Record<string, string> = {
        VisibilityTimeout: String(this.settings.visibilityTimeoutS),
        ReceiveMessageWaitTimeSeconds: String(this.settings.queueReceiveWaitS),
        MessageRetentionPeriod: String(this.retention.get(topic) ?? this.settings.retentionS),
        ...(fifo ? { FifoQueue: "true", ContentBasedDeduplication: "false" } : {}),
      };
      if (withDeadLetter) {
        const dlq = deadLetterQueueName(name);
        const dlqUrl = await this.createQueue(dlq, {
          MessageRetentionPeriod: String(1_209_600),
          ...(fifo ? { FifoQueue: "true", ContentBasedDeduplication: "false" } : {}),
        });
        const dlqArn = await this.queueArn(dlqUrl);
        attributes.RedrivePolicy = JSON.stringify({ deadLetterTargetArn: dlqArn, maxReceiveCount: this.settings.maxReceiveCount });
      }
      const url = await this.createQueue(name, attributes);
      if (this.settings.mode !== "sns" || this.sns === undefined) return { name, url, topic };

      const topicArn = await this.topicArn(topic);
      const queueArn = await this.queueArn(url);
      // Real SQS accepts SNS deliveries only when the queue policy allows that topic.
      await this.sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: { Policy: snsDeliveryPolicy(queueArn, topicArn) } }));
      const sub = await this.sns.send(new SubscribeCommand({
        TopicArn: topicArn,
        Protocol: "sqs",
        Endpoint: queueArn,
        Attributes: { RawMessageDelivery: "true" },
        ReturnSubscriptionArn: true,
      }));
      return { name, url, topic, ...(sub.SubscriptionArn !== undefined ? { subscriptionArn: sub.SubscriptionArn } : {}) };
    } catch (error) {
      throw transportError(`declaring queue ${name}`, error, { topic });
    }
  }

  private async createQueue(name: string, attributes: Record<string, string>): Promise<string> {
    try {
      const out = await this.sqs.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
      if (out.QueueUrl === undefined) throw new Error("CreateQueue returned no QueueUrl");
      return out.QueueUrl;
    } catch (error) {
      // Exists with other attributes (an older deployment): use it as it is rather than failing.
      const errorName = (error as { name?: string }).name ?? "";
      if (!/QueueAlreadyExists|QueueNameExists/.test(errorName)) throw error;
      const out = await this.sqs.send(new GetQueueUrlCommand({ QueueName: name }));
      if (out.QueueUrl === undefined) throw error;
      return out.QueueUrl;
    }
  }

  private async queueArn(url: string): Promise<string> {
    const out = await this.sqs.send(new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }));
    const arn = out.Attributes?.QueueArn;
    if (arn === undefined) throw new Error(`no QueueArn for ${url}`);
    return arn;
  }
}

function snsDeliveryPolicy(queueArn: string, topicArn: string): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [{
      Sid: "hypc-sns-delivery",
      Effect: "Allow",
      Principal: { Service: "sns.amazonaws.com" },
      Action: "sqs:SendMessage",
      Resource: queueArn,
      Condition: { ArnEquals: { "aws:SourceArn": topicArn } },
    }],
  });
}
