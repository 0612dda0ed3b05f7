// messaging { … }: one optional section per broker. Defaults follow each broker's own documented defaults
// unless the seed shows a safer production value; shapes match runtime/src/topology.ts (MessagingConfig).
import { bool, brokerKinds, compressions, envOrStr, int, list, obj, oneOf, secret, str } from "../define.js";

const hostPort = {
  regex: /^[^\s:/]+:\d{1,5}$/,
  description: "a `host:port` pair",
  example: "127.0.0.1:9092",
};

const kafkaSecurity = (side: string) =>
  obj(
    `SASL/TLS settings of the Kafka ${side}`,
    {
      sasl_mechanism: oneOf("SASL mechanism", ["PLAIN", "SCRAM-SHA-256", "SCRAM-SHA-512"]),
      sasl_username: secret("SASL user name", "KAFKA_USERNAME"),
      sasl_password: secret("SASL password", "KAFKA_PASSWORD"),
      ssl_enabled: bool("Connect over TLS", { default: false }),
      ssl_ca_file: envOrStr("PEM CA bundle to trust (private CA)", { extension: true }),
    },
    { optional: true },
  );

const kafka = obj(
  "Apache Kafka connection, producer and consumer defaults",
  {
    bootstrap_servers: list("Brokers to bootstrap from", str("A `host:port` pair", { pattern: hostPort }), {
      required: true,
      minItems: 1,
      uniqueItems: true,
    }),
    client_id: str("Client id sent to the brokers", { default: "hypc", extension: true }),
    producer: obj("Producer settings shared by every Kafka producer", {
      acks: oneOf("Acknowledgements a send waits for", ["all", "1", "0"], { default: "all" }),
      retries: int("Resends of a failed produce request", { default: 5, min: 0 }),
      batch_size: int("Upper bound of one batch per partition", { default: 16384, min: 1, unit: "bytes" }),
      linger_ms: int("Time a batch waits for more records", { default: 5, min: 0, unit: "ms" }),
      buffer_memory: int("Memory for records waiting to be sent", { default: 33554432, min: 1, unit: "bytes" }),
      compression_type: oneOf("Compression of record batches", compressions, { default: "none" }),
      security: kafkaSecurity("producer"),
    }),
    consumer: obj("Consumer settings shared by every Kafka consumer", {
      group_id: str("Consumer group of consumers that name none", { default: "hypc" }),
      auto_offset_reset: oneOf("Where a group without committed offsets starts", ["earliest", "latest"], { default: "latest" }),
      enable_auto_commit: bool("Commit offsets periodically instead of after processing", { default: true }),
      auto_commit_interval_ms: int("Interval of automatic offset commits", { default: 5000, min: 1, unit: "ms" }),
      session_timeout_ms: int("Time without heartbeats before the member is removed", { default: 45000, min: 1, unit: "ms" }),
      heartbeat_interval_ms: int("Interval of heartbeats to the group coordinator", { default: 3000, min: 1, unit: "ms" }),
      max_poll_records: int("Records handed to the app per poll", { default: 500, min: 1 }),
      max_poll_interval_ms: int("Longest time between polls before the member is removed", { default: 300000, min: 1, unit: "ms" }),
      security: kafkaSecurity("consumer"),
    }),
  },
  { optional: true },
);

const rabbitmq = obj(
  "RabbitMQ (AMQP 0-9-1) connection",
  {
    host: str("Broker host name", { default: "127.0.0.1" }),
    port: int("Broker port", { default: 5672, min: 1, max: 65535 }),
    virtual_host: str("Virtual host", { default: "/" }),
    username: secret("User name", "RABBITMQ_USERNAME"),
    password: secret("Password", "RABBITMQ_PASSWORD"),
    connection: obj("Connection behaviour", {
      heartbeat: int("Heartbeat interval negotiated with the broker (0 = off)", { default: 60, min: 0, max: 65535, unit: "s" }),
      connection_timeout: int("Time to establish the connection", { default: 60000, min: 1, unit: "ms" }),
      channel_rpc_timeout: int("Time a channel operation may take", { default: 10000, min: 1, unit: "ms" }),
      automatic_recovery: bool("Reconnect and restore channels after a connection loss", { default: true }),
      network_recovery_interval: int("Pause between reconnection attempts", { default: 5000, min: 0, unit: "ms" }),
    }),
    channel_pool: obj("Channel pooling", {
      max_channels: int("Channels open at once", { default: 100, min: 1, max: 65535 }),
      channel_timeout: int("Time to wait for a free channel", { default: 30000, min: 1, unit: "ms" }),
    }),
    ssl: obj("TLS of the connection", {
      enabled: bool("Connect over TLS (amqps)", { default: false }),
      verify_peer: bool("Verify the broker's certificate", { default: true }),
      fail_if_no_peer_cert: bool("Fail when the broker presents no certificate", { default: false }),
      ca_file: envOrStr("PEM CA bundle to trust", { extension: true }),
      cert_file: envOrStr("PEM client certificate", { extension: true }),
      key_file: envOrStr("PEM client key", { extension: true }),
    }),
  },
  { optional: true },
);

const activemq = obj(
  "Apache ActiveMQ connection",
  {
    broker_url: str("Broker URL", {
      required: true,
      pattern: { regex: /^[a-z][a-z0-9+.-]*:\/\/[^\s]+$/i, description: "a URL like `tcp://host:61616`", example: "tcp://127.0.0.1:61616" },
    }),
    username: secret("User name", "ACTIVEMQ_USERNAME"),
    password: secret("Password", "ACTIVEMQ_PASSWORD"),
    connection: obj("Connection behaviour", {
      max_connections: int("Connections in the pool", { default: 10, min: 1 }),
      connection_timeout: int("Time to establish a connection", { default: 30000, min: 1, unit: "ms" }),
      idle_timeout: int("Time an idle pooled connection is kept", { default: 300000, min: 0, unit: "ms" }),
      keep_alive: bool("Send keep-alive frames", { default: true }),
    }),
    session_pool: obj("Session pooling", {
      max_sessions: int("Sessions open at once", { default: 500, min: 1 }),
      session_timeout: int("Time to wait for a free session", { default: 60000, min: 1, unit: "ms" }),
    }),
  },
  { optional: true },
);

const awsMessaging = obj(
  "AWS SQS and SNS",
  {
    region: str("AWS region, e.g. `eu-west-1`", { required: true }),
    access_key_id: secret("Access key id", "AWS_ACCESS_KEY_ID"),
    secret_access_key: secret("Secret access key", "AWS_SECRET_ACCESS_KEY"),
    sqs_endpoint: envOrStr("SQS endpoint override (ElasticMQ and similar)", { extension: true }),
    sns_endpoint: envOrStr("SNS endpoint override", { extension: true }),
    sqs: obj("SQS queues", {
      max_messages: int("Messages per receive call", { default: 10, min: 1, max: 10 }),
      visibility_timeout: int("Time a received message stays invisible to others", { default: 30, min: 0, max: 43200, unit: "s" }),
      wait_time_seconds: int("Long-polling wait of a receive call", { default: 20, min: 0, max: 20, unit: "s" }),
      message_retention_period: int("Time SQS keeps a message", { default: 345600, min: 60, max: 1209600, unit: "s" }),
      receive_message_wait_time_seconds: int("Queue attribute: default long-polling wait", { default: 20, min: 0, max: 20, unit: "s" }),
    }),
    sns: obj("SNS topics", {
      message_structure: oneOf("Body format of published messages", ["json", "string"], { default: "json" }),
      message_attributes: bool("Send headers as message attributes", { default: true }),
    }),
  },
  { optional: true },
);

export const messagingBlock = obj("Brokers and their connection settings", {
  default_broker: oneOf("Broker for blocks that name none", brokerKinds, {
    inherits: "the first configured broker (with a warning)",
    extension: true,
  }),
  kafka,
  rabbitmq,
  activemq,
  aws_messaging: awsMessaging,
});
