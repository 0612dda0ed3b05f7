// What the core hands to every broker adapter factory. Adapters are created lazily (dynamic import) so an
// app on the embedded broker never loads kafkajs, amqplib, the AWS SDK or the STOMP/AMQP clients.
//
// Factories (one module per broker, owned by its adapter):
//   adapters/kafka/index.ts     export function createKafkaTransport(config: KafkaConfig, ctx: AdapterContext): Transport
//   adapters/rabbitmq/index.ts  export function createRabbitMqTransport(config: RabbitMqConfig, ctx: AdapterContext): Transport
//   adapters/sqs/index.ts       export function createAwsTransport(config: AwsMessagingConfig, ctx: AdapterContext): Transport
//   adapters/activemq/index.ts  export function createActiveMqTransport(config: ActiveMqConfig, ctx: AdapterContext): Transport
//
// Connection overrides for tests and local runs (the seed points at example.com hosts; only loopback is
// ever a target here) are read by each adapter from ctx.env:
//   HYPC_KAFKA_BOOTSTRAP_SERVERS=127.0.0.1:9092   HYPC_RABBITMQ_URL=amqp://guest:guest@127.0.0.1:5672/
//   HYPC_SQS_ENDPOINT / HYPC_SNS_ENDPOINT=http://127.0.0.1:9324   HYPC_ACTIVEMQ_URL=tcp://127.0.0.1:61616
import type { Logger } from "../api.js";
import type { GuaranteesConfig, StringOrEnv, Topology } from "../topology.js";

export interface AdapterContext {
  /** Resolves `{ env: "NAME" }` (or returns the literal); throws ConfigError naming the variable and `keyPath`. */
  resolve(value: StringOrEnv, keyPath: string): string;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly logger: Logger;
  readonly guarantees: GuaranteesConfig;
  readonly topology: Topology;
}
