// Lazy adapter factory: each broker's module is imported only when the configuration uses it, so an app on the
// embedded broker never loads kafkajs, amqplib, the AWS SDK or the STOMP/AMQP clients. Factory signatures are
// documented in ./context.ts.
import { ConfigError } from "../errors.js";
import type { BrokerKind, Topology } from "../topology.js";
import type { Transport } from "../transport.js";
import type { AdapterContext } from "./context.js";

const modules: Record<BrokerKind, { readonly path: string; readonly factory: string; readonly configKey: keyof Topology["messaging"] }> = {
  kafka: { path: "./kafka/index.js", factory: "createKafkaTransport", configKey: "kafka" },
  rabbitmq: { path: "./rabbitmq/index.js", factory: "createRabbitMqTransport", configKey: "rabbitmq" },
  aws_messaging: { path: "./sqs/index.js", factory: "createAwsTransport", configKey: "aws_messaging" },
  activemq: { path: "./activemq/index.js", factory: "createActiveMqTransport", configKey: "activemq" },
};

/** Creates (does not connect) the transport of one configured broker. */
export async function createConfiguredTransport(kind: BrokerKind, ctx: AdapterContext): Promise<Transport> {
  const entry = modules[kind];
  const config = ctx.topology.messaging[entry.configKey];
  if (config === undefined) {
    throw new ConfigError(`broker "${kind}" is used but messaging.${entry.configKey} is not configured`);
  }
  let mod: Record<string, unknown>;
  try {
    mod = (await import(entry.path)) as Record<string, unknown>;
  } catch (error) {
    const code = (error as { code?: string }).code;
    const reason = code === "ERR_MODULE_NOT_FOUND" ? "the adapter module is not available in this build" : error instanceof Error ? error.message : String(error);
    throw new ConfigError(`cannot load the ${kind} adapter (${entry.path}): ${reason}`, { cause: error });
  }
  const factory = mod[entry.factory];
  if (typeof factory !== "function") {
    throw new ConfigError(`the ${kind} adapter module does not export ${entry.factory}()`);
  }
  return (factory as (config: unknown, ctx: AdapterContext) => Transport)(config, ctx);
}
