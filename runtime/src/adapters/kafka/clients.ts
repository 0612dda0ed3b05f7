// kafkajs client instances: one per security setting (the seed gives producer and consumer their own
// `security` block; kafkajs takes SASL/SSL per client), with kafkajs's log lines routed to our Logger.
import { readFileSync } from "node:fs";
import kafkajs from "kafkajs";
import type { KafkaConfig as KafkaJsConfig, logCreator, SASLOptions } from "kafkajs";
import type { Logger } from "../../api.js";
import { ConfigError } from "../../errors.js";
import type { ClientSecurity } from "./settings.js";

const { Kafka, logLevel } = kafkajs;
export type KafkaClient = InstanceType<typeof Kafka>;

export function createClient(brokers: readonly string[], clientId: string, security: ClientSecurity, logger: Logger, retries: number): KafkaClient {
  const config: KafkaJsConfig = {
    brokers: [...brokers],
    clientId,
    connectionTimeout: 3_000,
    requestTimeout: 30_000,
    retry: { retries, initialRetryTime: 100, maxRetryTime: 5_000 },
    logLevel: logLevel.WARN,
    logCreator: bridgeLogger(logger),
  };
  const useSsl = security.protocol === "SSL" || security.protocol === "SASL_SSL";
  if (useSsl) {
    if (security.caFile === undefined) config.ssl = true;
    else {
      let ca: string;
      try {
        ca = readFileSync(security.caFile, "utf8");
      } catch (cause) {
        throw new ConfigError(`kafka: cannot read the SSL CA file ${security.caFile}`, { cause });
      }
      config.ssl = { ca: [ca], rejectUnauthorized: true };
    }
  }
  if (security.sasl) {
    config.sasl = { mechanism: security.sasl.mechanism, username: security.sasl.username, password: security.sasl.password } as SASLOptions;
  }
  return new Kafka(config);
}

const QUIET = ["KafkaJS v2.0.0 switched default partitioner", "Limiting retries for the idempotent producer"];

function bridgeLogger(logger: Logger): logCreator {
  return () => ({ level, log }) => {
    const { message, ...fields } = log;
    // Choices made on purpose (murmur2 partitioner; the seed's `retries` on an idempotent producer): no noise.
    if (QUIET.some((q) => message.startsWith(q))) return;
    const text = `kafkajs ${log.logger ?? ""}: ${message}`;
    // "Response <Api>" lines are protocol errors kafkajs retries itself (CONCURRENT_TRANSACTIONS, a group
    // rebalancing); a failure that outlives the retries reaches the caller as a TransportError.
    if (message.startsWith("Response ")) logger.debug(text, fields);
    else if (level === logLevel.ERROR) logger.error(text, fields);
    else if (level === logLevel.WARN) logger.warn(text, fields);
    else logger.debug(text, fields);
  };
}
