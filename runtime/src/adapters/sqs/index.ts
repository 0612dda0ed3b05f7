// AWS SQS/SNS transport: `createAwsTransport(config, ctx)` (factory signature in ../context.ts).
// Topology: every topic is an SNS topic; every (topic, group) an SQS queue subscribed to it with raw
// delivery, so fan-out (one queue per group) and competing consumers (one queue, many readers) are the same
// mechanism for pub/sub channels and plain topics. Without an SNS endpoint (ElasticMQ) the publisher does
// the fan-out itself. See docs/brokers/aws.md.
import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { SNSClient } from "@aws-sdk/client-sns";
import type { AwsMessagingConfig } from "../../topology.js";
import { TransportError } from "../../errors.js";
import type { MessageHandler, OutgoingMessage, SubscribeOptions, Subscription, TopicSpec, Transport } from "../../transport.js";
import type { AdapterContext } from "../context.js";
import { AckBatcher } from "./acks.js";
import { AwsDeclarations } from "./declarations.js";
import { transportError } from "./errors.js";
import { AwsPublisher } from "./publisher.js";
import { awsSettings, type AwsSettings } from "./settings.js";
import { AwsSubscription } from "./subscriber.js";
import { InFlight } from "../in-flight.js";

export { awsSettings } from "./settings.js";
export type { AwsSettings, FanOutMode } from "./settings.js";

export function createAwsTransport(config: AwsMessagingConfig, ctx: AdapterContext): Transport {
  return new AwsTransport(awsSettings(config, ctx), ctx);
}

class AwsTransport implements Transport {
  readonly name = "sqs";
  private readonly sqs: SQSClient;
  private readonly sns: SNSClient | undefined;
  private readonly declarations: AwsDeclarations;
  private readonly publisher: AwsPublisher;
  private readonly acks: AckBatcher;
  private readonly subscriptions = new Set<AwsSubscription>();
  private readonly publishing = new InFlight();
  private state: "new" | "connected" | "closed" = "new";

  constructor(
    readonly settings: AwsSettings,
    private readonly ctx: AdapterContext,
  ) {
    const common = {
      region: settings.region,
      ...(settings.credentials !== undefined ? { credentials: settings.credentials } : {}),
      maxAttempts: 3,
    };
    this.sqs = new SQSClient({ ...common, ...(settings.sqsEndpoint !== undefined ? { endpoint: settings.sqsEndpoint } : {}) });
    this.sns =
      settings.mode === "sns"
        ? new SNSClient({ ...common, ...(settings.snsEndpoint !== undefined ? { endpoint: settings.snsEndpoint } : {}) })
        : undefined;
    this.declarations = new AwsDeclarations(settings, this.sqs, this.sns, ctx.topology);
    this.publisher = new AwsPublisher(settings, this.declarations, this.sqs, this.sns);
    this.acks = new AckBatcher(this.sqs);
  }

  async connect(): Promise<void> {
    if (this.state === "closed") throw new TransportError("aws: transport is closed", { retriable: false });
    try {
      // Fails fast on a wrong endpoint or bad credentials instead of at the first publish.
      await this.sqs.send(new ListQueuesCommand({ MaxResults: 1 }));
    } catch (error) {
      throw transportError(`connecting to SQS at ${this.settings.sqsEndpoint ?? `region ${this.settings.region}`}`, error);
    }
    this.state = "connected";
    this.ctx.logger.info("aws: connected", { mode: this.settings.mode, region: this.settings.region });
  }

  async ensureTopics(topics: readonly TopicSpec[]): Promise<void> {
    this.assertOpen();
    await this.declarations.ensureTopics(topics);
  }

  publish(messages: readonly OutgoingMessage[]): Promise<void> {
    return this.publishing.publish(this.publisher, messages, this.closedError());
  }

  async subscribe(options: SubscribeOptions, handler: MessageHandler): Promise<Subscription> {
    this.assertOpen();
    const subscription = new AwsSubscription(
      { settings: this.settings, sqs: this.sqs, declarations: this.declarations, acks: this.acks, logger: this.ctx.logger },
      options,
      handler,
      (s) => this.subscriptions.delete(s),
    );
    await subscription.start();
    this.subscriptions.add(subscription);
    return subscription;
  }

  async close(): Promise<void> {
    if (this.state === "closed") return;
    this.state = "closed";
    await Promise.allSettled([...this.subscriptions].map((s) => s.close()));
    await this.publishing.settled();
    await this.acks.drain();
    this.sqs.destroy();
    this.sns?.destroy();
  }

  private closedError(): TransportError | undefined {
    return this.state === "closed" ? new TransportError("aws: transport is closed", { retriable: false }) : undefined;
  }

  private assertOpen(): void {
    const closed = this.closedError();
    if (closed !== undefined) throw closed;
  }
}
