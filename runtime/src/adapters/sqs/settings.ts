// Maps the seed's `messaging.aws_messaging` block (plus the endpoint overrides for emulators) to the
// settings the SQS/SNS adapter runs with. Every seed key is read here; docs/brokers/aws.md has the table.
import type { AwsMessagingConfig, Topology } from "../../topology.js";
import type { AdapterContext } from "../context.js";
import { ConfigError } from "../../errors.js";

/**
 * "sns": every topic is an SNS topic fanned out to one SQS queue per group (real AWS, fauxqs).
 * "sqs": no SNS endpoint (ElasticMQ): the publisher fans out itself, sending to every group queue of the topic.
 */
export type FanOutMode = "sns" | "sqs";

export interface AwsSettings {
  readonly region: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
  readonly sqsEndpoint?: string;
  readonly snsEndpoint?: string;
  readonly mode: FanOutMode;
  /** ReceiveMessage MaxNumberOfMessages (1..10). */
  readonly maxMessages: number;
  /** Seconds a received message stays invisible; extended while its handler runs. */
  readonly visibilityTimeoutS: number;
  /** Long polling: ReceiveMessage WaitTimeSeconds (0..20). */
  readonly waitTimeS: number;
  /** Queue attribute ReceiveMessageWaitTimeSeconds (default long polling for other clients of the queue). */
  readonly queueReceiveWaitS: number;
  /** Queue attribute MessageRetentionPeriod (60..1209600 s), unless a TopicSpec gives its own. */
  readonly retentionS: number;
  /** SNS MessageStructure "json" (per-protocol message map, body under "default") or plain "string". */
  readonly snsMessageStructure: "json" | "string";
  /** Carry broker headers as SNS/SQS message attributes (false: body only). */
  readonly messageAttributes: boolean;
  /** RedrivePolicy maxReceiveCount of every group queue (safety net behind the core's retry middleware). */
  readonly maxReceiveCount: number;
  /** Physical topic names that get FIFO SNS topics / SQS queues (ordering per key). */
  readonly fifoTopics: ReadonlySet<string>;
}

const clamp = (value: number, min: number, max: number): number => Math.min(max, Math.max(min, Math.round(value)));

export function awsSettings(config: AwsMessagingConfig, ctx: AdapterContext): AwsSettings {
  const key = "messaging.aws_messaging";
  const accessKeyId = config.access_key_id === undefined ? undefined : ctx.resolve(config.access_key_id, `${key}.access_key_id`);
  const secretAccessKey =
    config.secret_access_key === undefined ? undefined : ctx.resolve(config.secret_access_key, `${key}.secret_access_key`);
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new ConfigError(`${key}: access_key_id and secret_access_key must be given together`);
  }
  const sqsEndpoint = nonEmpty(ctx.env.HYPC_SQS_ENDPOINT) ?? optional(config.sqs_endpoint, ctx, `${key}.sqs_endpoint`);
  const snsEndpoint = nonEmpty(ctx.env.HYPC_SNS_ENDPOINT) ?? optional(config.sns_endpoint, ctx, `${key}.sns_endpoint`);
  // An SQS-only emulator (ElasticMQ) has no SNS: fan out in the publisher. Real AWS (no overrides) has SNS.
  let mode: FanOutMode = sqsEndpoint !== undefined && snsEndpoint === undefined ? "sqs" : "sns";
  if (sqsEndpoint !== undefined && snsEndpoint !== undefined && sqsEndpoint !== snsEndpoint) {
    if (isLoopback(sqsEndpoint) && isLoopback(snsEndpoint)) {
      // Two different local emulators (ElasticMQ + fauxqs): an emulated SNS delivers only to its own queues,
      // so SNS fan-out would reach nothing. Use the SQS emulator alone.
      mode = "sqs";
      ctx.logger.warn("aws: SQS and SNS endpoints are two different local servers; ignoring SNS, fanning out over SQS", {
        sqsEndpoint,
        snsEndpoint,
      });
    }
  }
  if (!config.sns.message_attributes) {
    ctx.logger.warn("aws: sns.message_attributes is false: tracing/correlation headers are not sent with messages");
  }
  return {
    region: ctx.env.HYPC_AWS_REGION ?? config.region,
    ...(accessKeyId !== undefined && secretAccessKey !== undefined ? { credentials: { accessKeyId, secretAccessKey } } : {}),
    ...(sqsEndpoint !== undefined ? { sqsEndpoint } : {}),
    ...(snsEndpoint !== undefined && mode === "sns" ? { snsEndpoint } : {}),
    mode,
    maxMessages: clamp(config.sqs.max_messages, 1, 10),
    visibilityTimeoutS: clamp(config.sqs.visibility_timeout, 1, 43_200),
    waitTimeS: clamp(config.sqs.wait_time_seconds, 0, 20),
    queueReceiveWaitS: clamp(config.sqs.receive_message_wait_time_seconds, 0, 20),
    retentionS: clamp(config.sqs.message_retention_period, 60, 1_209_600),
    snsMessageStructure: config.sns.message_structure,
    messageAttributes: config.sns.message_attributes,
    maxReceiveCount: maxReceiveCount(ctx.topology),
    fifoTopics: fifoTopics(ctx.topology),
  };
}

/**
 * The core's retry middleware retries and dead-letters with a reason; the broker's redrive is only the net
 * for consumers that crash on a message. It must never fire before the core had its tries: max retries + 2.
 */
function maxReceiveCount(topology: Topology): number {
  const retries = [
    ...topology.producers.flatMap((p) => p.routes.map((r) => r.retry.max_retries)),
    ...topology.consumers.flatMap((c) => c.handlers.map((h) => h.retry.max_retries)),
    ...topology.requestReply.map((r) => r.retry.max_retries),
    topology.deadLetter?.mainQueue.max_retries ?? 0,
  ];
  return clamp(Math.max(3, ...retries) + 2, 1, 1000);
}

/**
 * Ordering per key needs FIFO (MessageGroupId = key). A topic is FIFO when message_ordering is enabled and
 * something keys it (a producer route with a partition key, a pub/sub publisher with a partition_key), or when
 * its name already ends in `.fifo`.
 */
function fifoTopics(topology: Topology): Set<string> {
  const fifo = new Set<string>();
  for (const topic of topology.topics) if (topic.name.endsWith(".fifo")) fifo.add(topic.name);
  if (!topology.guarantees.message_ordering.enabled) return fifo;
  for (const producer of topology.producers) {
    if (producer.broker !== "aws_messaging") continue;
    for (const route of producer.routes) if (route.partitionKey !== undefined) fifo.add(route.topic);
  }
  for (const channel of topology.pubSub) {
    if (channel.broker === "aws_messaging" && channel.publisher.partition_key !== undefined) fifo.add(channel.topic);
  }
  return fifo;
}

function isLoopback(endpoint: string): boolean {
  try {
    const host = new URL(endpoint).hostname;
    return host === "localhost" || host === "[::1]" || host.startsWith("127.");
  } catch {
    return false;
  }
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value.trim();
}

function optional(value: AwsMessagingConfig["sqs_endpoint"], ctx: AdapterContext, keyPath: string): string | undefined {
  return value === undefined ? undefined : nonEmpty(ctx.resolve(value, keyPath));
}
