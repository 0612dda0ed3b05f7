// The Topology is the contract between the compiler and the runtime: the compiler checks a .hyp
// configuration, applies the spec's defaults, resolves every reference (brokers, topics, event types,
// handler slots) and emits one Topology constant into the generated code; the runtime reads nothing else.
//
// Conventions
// - Keys of `config` are the DSL's own keys (snake_case), so a user can map a key of their .hyp file to
//   the runtime 1:1 and the docs need no translation table. Everything the compiler *derived* lives in
//   the camelCase `resolved` part.
// - Durations: keys ending in `_ms` and the seed's bare `timeout`, `initial_delay`, `retry_delay`,
//   `channel_timeout`, `connection_timeout`, ... are milliseconds; `visibility_timeout`,
//   `wait_time_seconds`, `message_retention_period`, `ttl`, `heartbeat`, `escalation_time`,
//   `window_size`, `message_retention` are seconds (the spec gives every key its unit).
// - A secret is never a literal in generated code: it is `{ env: "NAME" }`, read at start-up.
// - Every optional key the spec gives a default for is present (defaults applied by the compiler).

/** A value read from the environment at start-up (`env.NAME` in the DSL). */
export interface EnvRef {
  readonly env: string;
}
export type StringOrEnv = string | EnvRef;

export type JsonSchema = { readonly [key: string]: unknown };

// ---------------------------------------------------------------------------------------------------
// messaging { … }: the brokers

export interface KafkaSecurityConfig {
  readonly sasl_mechanism?: "PLAIN" | "SCRAM-SHA-256" | "SCRAM-SHA-512";
  readonly sasl_username?: StringOrEnv;
  readonly sasl_password?: StringOrEnv;
  readonly ssl_enabled: boolean;
  /** Extension: PEM CA bundle path (or env ref) to trust, for brokers with a private CA. */
  readonly ssl_ca_file?: StringOrEnv;
}

export interface KafkaConfig {
  readonly bootstrap_servers: readonly string[];
  readonly client_id: string;
  readonly producer: {
    readonly acks: "all" | "1" | "0";
    readonly retries: number;
    readonly batch_size: number; // bytes
    readonly linger_ms: number;
    readonly buffer_memory: number; // bytes
    readonly compression_type: "none" | "gzip" | "snappy" | "lz4" | "zstd";
    readonly security?: KafkaSecurityConfig;
  };
  readonly consumer: {
    readonly group_id: string;
    readonly auto_offset_reset: "earliest" | "latest";
    readonly enable_auto_commit: boolean;
    readonly auto_commit_interval_ms: number;
    readonly session_timeout_ms: number;
    readonly heartbeat_interval_ms: number;
    readonly max_poll_records: number;
    readonly max_poll_interval_ms: number;
    readonly security?: KafkaSecurityConfig;
  };
}

export interface RabbitMqConfig {
  readonly host: string;
  readonly port: number;
  readonly virtual_host: string;
  readonly username?: StringOrEnv;
  readonly password?: StringOrEnv;
  readonly connection: {
    readonly heartbeat: number; // s
    readonly connection_timeout: number; // ms
    readonly channel_rpc_timeout: number; // ms
    readonly automatic_recovery: boolean;
    readonly network_recovery_interval: number; // ms
  };
  readonly channel_pool: {
    readonly max_channels: number;
    readonly channel_timeout: number; // ms
  };
  readonly ssl: {
    readonly enabled: boolean;
    readonly verify_peer: boolean;
    readonly fail_if_no_peer_cert: boolean;
    /** Extensions: PEM files for a private CA and client certificates. */
    readonly ca_file?: StringOrEnv;
    readonly cert_file?: StringOrEnv;
    readonly key_file?: StringOrEnv;
  };
}

export interface ActiveMqConfig {
  readonly broker_url: string;
  readonly username?: StringOrEnv;
  readonly password?: StringOrEnv;
  readonly connection: {
    readonly max_connections: number;
    readonly connection_timeout: number; // ms
    readonly idle_timeout: number; // ms
    readonly keep_alive: boolean;
  };
  readonly session_pool: {
    readonly max_sessions: number;
    readonly session_timeout: number; // ms
  };
}

export interface AwsMessagingConfig {
  readonly region: string;
  readonly access_key_id?: StringOrEnv;
  readonly secret_access_key?: StringOrEnv;
  /** Extension: endpoint override (ElasticMQ, LocalStack-likes); loopback in tests. */
  readonly sqs_endpoint?: StringOrEnv;
  readonly sns_endpoint?: StringOrEnv;
  readonly sqs: {
    readonly max_messages: number;
    readonly visibility_timeout: number; // s
    readonly wait_time_seconds: number; // s
    readonly message_retention_period: number; // s
    readonly receive_message_wait_time_seconds: number; // s
  };
  readonly sns: {
    readonly message_structure: "json" | "string";
    readonly message_attributes: boolean;
  };
}

export type BrokerKind = "kafka" | "rabbitmq" | "activemq" | "aws_messaging";

export interface MessagingConfig {
  /** Extension: the broker for blocks that name none (request_reply, pub_sub, dead_letter_queue). */
  readonly default_broker?: BrokerKind;
  readonly kafka?: KafkaConfig;
  readonly rabbitmq?: RabbitMqConfig;
  readonly activemq?: ActiveMqConfig;
  readonly aws_messaging?: AwsMessagingConfig;
}

// ---------------------------------------------------------------------------------------------------
// Shared shapes

export type BackoffStrategy = "exponential" | "linear" | "fixed";

export interface RetryPolicy {
  readonly max_retries: number;
  readonly backoff_strategy: BackoffStrategy;
  /** First delay, ms. */
  readonly initial_delay: number;
  /** Extension: cap of any single delay, ms. */
  readonly max_delay: number;
  /** Extension: factor for exponential backoff. */
  readonly multiplier: number;
  /** Extension: ± fraction of random jitter applied to each delay (0 = none). */
  readonly jitter: number;
}

// ---------------------------------------------------------------------------------------------------
// message_guarantees { … } and message_monitoring { … }: policies read by the runtime as written

export interface GuaranteesConfig {
  readonly at_least_once: {
    readonly enabled: boolean;
    readonly producer: {
      readonly acks: "all" | "1" | "0";
      readonly retries: number;
      readonly idempotence: boolean;
      readonly transactional: boolean;
    };
    readonly consumer: {
      readonly manual_commit: boolean;
      readonly commit_sync: boolean;
      readonly offset_commit_interval: number; // ms
    };
  };
  readonly exactly_once: {
    readonly enabled: boolean;
    readonly idempotence: {
      readonly enabled: boolean;
      readonly key_strategy: "message_id" | "correlation_id" | "payload_hash";
      readonly storage: "memory" | "redis";
      readonly ttl: number; // s
      /** Extension: where the redis store connects; default env HYPC_REDIS_URL, then redis://127.0.0.1:6379. */
      readonly redis_url?: StringOrEnv;
    };
    readonly transactional: {
      readonly enabled: boolean;
      readonly isolation_level: "read_committed" | "read_uncommitted";
      readonly timeout: number; // ms
    };
  };
  readonly message_ordering: {
    readonly enabled: boolean;
    readonly partition_key: {
      readonly strategy: "hash" | "round_robin";
      readonly fields: readonly string[];
    };
    readonly consumer_groups: {
      readonly single_partition_consumers: boolean;
      readonly max_concurrent_partitions: number;
    };
  };
}

export interface MonitoringConfig {
  readonly metrics: {
    readonly producer: {
      readonly message_count: boolean;
      readonly message_size: boolean;
      readonly send_latency: boolean;
      readonly error_rate: boolean;
      readonly retry_count: boolean;
    };
    readonly consumer: {
      readonly message_count: boolean;
      readonly processing_latency: boolean;
      readonly error_rate: boolean;
      readonly lag: boolean;
      readonly commit_latency: boolean;
    };
    readonly queue: {
      readonly queue_size: boolean;
      readonly queue_depth: boolean;
      readonly message_age: boolean;
      readonly consumer_count: boolean;
    };
  };
  readonly alerting: {
    readonly consumer_lag: { readonly threshold: number; readonly alert_level: AlertLevel; readonly escalation_time: number /* s */ };
    readonly error_rate: { readonly threshold: number /* 0..1 */; readonly alert_level: AlertLevel; readonly window_size: number /* s */ };
    readonly processing_latency: { readonly threshold: number /* ms */; readonly alert_level: AlertLevel; readonly percentile: number };
  };
  readonly tracing: {
    readonly enabled: boolean;
    readonly trace_propagation: { readonly headers: readonly string[]; readonly baggage: boolean };
    readonly span_creation: {
      readonly producer_send: boolean;
      readonly consumer_receive: boolean;
      readonly message_processing: boolean;
    };
  };
}
export type AlertLevel = "info" | "warning" | "critical";

// ---------------------------------------------------------------------------------------------------
// Resolved model: what the compiler derived. Names of brokers are the keys of `messaging`.

export interface ResolvedEvent {
  /** `script.created` */
  readonly eventType: string;
  /** `ScriptCreated`: the TypeScript name of its types. */
  readonly name: string;
  /** `ScriptEvents` */
  readonly group: string;
  readonly version: string;
  /** metadata.source as declared. */
  readonly source: string;
  /** JSON Schema (draft 2020-12 subset ajv understands) of the whole envelope of this event. */
  readonly schema: JsonSchema;
}

export interface ResolvedTopic {
  /** Physical name on the broker, e.g. `hypnoscript.events.script-events`. */
  readonly name: string;
  /** The name consumers and producers wrote, e.g. `script-events`. */
  readonly logical: string;
  readonly broker: BrokerKind;
  /** Partition count the configuration implies (max over declared partitions + 1, at least 1). */
  readonly partitions: number;
  /** Event types that flow on this topic (from producer routes); empty if only produced outside. */
  readonly eventTypes: readonly string[];
}

export interface ProducerRoute {
  readonly eventType: string;
  /** Physical topic name. */
  readonly topic: string;
  /** Payload field whose value keys the message (partition / ordering key); absent = no key. */
  readonly partitionKey?: string;
  readonly retry: RetryPolicy;
}

export interface ResolvedProducer {
  readonly name: string;
  readonly broker: BrokerKind;
  readonly topicPrefix?: string;
  readonly routes: readonly ProducerRoute[];
  readonly serialization: {
    readonly format: "json";
    readonly compression: "none" | "gzip" | "snappy" | "lz4" | "zstd";
    readonly schema_registry?: { readonly url: string; readonly auto_register: boolean };
  };
  readonly validation: {
    readonly schema_validation: boolean;
    readonly required_fields: readonly string[];
    readonly payload_size_limit: number; // bytes
  };
}

export interface HandlerSlot {
  /** The name the app implements, e.g. `ScriptCreatedHandler`. Unique per event-type set. */
  readonly handler: string;
  /** The key as written: an event type or `*`. */
  readonly key: string;
  /** Event types it receives (for `*`: every event type on the consumer's topics). */
  readonly eventTypes: readonly string[];
  readonly concurrency: number;
  readonly timeout: number; // ms
  readonly retry: RetryPolicy;
  /** Present for batch handlers (`batch_size`/`batch_timeout` given): the handler receives arrays. */
  readonly batch?: { readonly size: number; readonly timeout: number /* ms */ };
}

export interface ResolvedConsumer {
  readonly name: string;
  readonly broker: BrokerKind;
  readonly groupId: string;
  readonly topics: readonly {
    /** Physical name. */
    readonly name: string;
    readonly partitions: readonly number[];
    readonly auto_offset_reset: "earliest" | "latest";
  }[];
  readonly handlers: readonly HandlerSlot[];
  readonly settings: {
    readonly max_poll_records: number;
    readonly max_poll_interval_ms: number;
    readonly session_timeout_ms: number;
    readonly heartbeat_interval_ms: number;
    readonly enable_auto_commit: boolean;
    readonly auto_commit_interval_ms: number;
  };
}

export interface ResolvedRequestReply {
  /** `script_validation` */
  readonly name: string;
  readonly broker: BrokerKind;
  readonly requestTopic: string;
  readonly replyTopic: string;
  readonly correlationIdHeader: string;
  readonly requestSchema: JsonSchema;
  readonly replySchema: JsonSchema;
  readonly timeout: number; // ms
  readonly retry: RetryPolicy;
}

export interface ResolvedPubSub {
  /** `script_changes` */
  readonly name: string;
  readonly broker: BrokerKind;
  readonly topic: string;
  /** Event types this channel carries (declared with `events`, else inferred; see docs). */
  readonly eventTypes: readonly string[];
  readonly publisher: {
    readonly name: string;
    readonly partition_strategy: "hash" | "round_robin";
    readonly partition_key?: string;
    readonly message_format: { readonly type: "json"; readonly compression: "none" | "gzip" | "snappy" | "lz4" | "zstd"; readonly schema_version: string };
  };
  readonly subscribers: readonly {
    readonly name: string;
    readonly group_id: string;
    readonly handler: string;
    readonly concurrency: number;
  }[];
}

export type ErrorCategory = "validation_error" | "timeout_error" | "system_error";
export type ErrorAction = "log_and_alert" | "retry_with_backoff" | "escalate" | "discard_after_log";

export interface ResolvedDeadLetter {
  readonly broker: BrokerKind;
  readonly mainQueue: {
    readonly name: string;
    readonly max_retries: number;
    readonly retry_delay: number; // ms
    readonly dlq_name: string;
    /** Event types the work queue carries. */
    readonly eventTypes: readonly string[];
  };
  readonly dlqQueue: {
    readonly name: string;
    readonly message_retention: number; // s
    readonly max_redelivery: number;
  };
  readonly handlers: readonly {
    /** `error_analysis` */
    readonly group: string;
    readonly handler: string;
    readonly concurrency: number;
    readonly timeout: number; // ms
    readonly error_categories: Readonly<
      Partial<Record<ErrorCategory, { readonly action: ErrorAction; readonly severity?: AlertLevel; readonly max_retries?: number }>>
    >;
    readonly ui?: {
      readonly enabled: boolean;
      readonly endpoint: string;
      readonly authentication: "required" | "none";
      readonly authorization: "admin_only" | "authenticated";
    };
  }[];
}

export interface Topology {
  /** Format version of this object; bump on incompatible change. */
  readonly topologyVersion: 1;
  readonly messaging: MessagingConfig;
  /** The broker used by blocks that name none. */
  readonly defaultBroker: BrokerKind;
  readonly events: readonly ResolvedEvent[];
  readonly topics: readonly ResolvedTopic[];
  readonly producers: readonly ResolvedProducer[];
  readonly consumers: readonly ResolvedConsumer[];
  readonly requestReply: readonly ResolvedRequestReply[];
  readonly pubSub: readonly ResolvedPubSub[];
  readonly deadLetter?: ResolvedDeadLetter;
  readonly guarantees: GuaranteesConfig;
  readonly monitoring: MonitoringConfig;
}
