// Generates realistic .hyp configurations of any size for benchmarks (bench/check.ts, bench/build.ts): the
// seed's broker settings and pattern blocks, plus N events in groups of {GROUP_SIZE}, one producer and one
// consumer per group (Kafka, like the seed's), each event with its own topic mapping and handler. Structurally
// like fixtures/seed/messaging.hyp and valid against the same rules: unique handler names, one prefix per
// logical topic, partition keys and ordering fields that are payload fields, consumers naming topics their group's producer declares.
//
//   npx tsx bench/gen-config.ts 1000 > /tmp/gen-1000.hyp

/** Events per group (the seed has groups of 2–4; bigger groups keep block counts realistic at N = 4,000). */
export const GROUP_SIZE = 10;

const FIELD_TYPES = ["string", "integer", "timestamp", "object", "boolean", "array", "uuid"] as const;

export function generateConfig(events: number): string {
  const count = Math.max(0, Math.floor(events));
  const groups = Math.ceil(count / GROUP_SIZE);
  const out: string[] = [HEADER, BROKERS, ""];
  out.push("// Event-Schema-Definitionen", "events {");
  for (let g = 0; g < groups; g++) {
    out.push(`    Group${g}Events: {`);
    for (const e of eventsOf(g, count)) out.push(eventSchema(g, e));
    out.push("    }");
  }
  out.push("}", "");
  out.push("// Event-Producer-Konfiguration", "event_producers {");
  for (let g = 0; g < groups; g++) out.push(producer(g, eventsOf(g, count)));
  out.push("}", "");
  out.push("// Event-Consumer-Konfiguration", "event_consumers {");
  for (let g = 0; g < groups; g++) out.push(consumer(g, eventsOf(g, count)));
  out.push("}", "");
  out.push(PATTERNS, "");
  return out.join("\n");
}

function eventsOf(group: number, total: number): number[] {
  const result: number[] = [];
  for (let e = group * GROUP_SIZE; e < Math.min(total, (group + 1) * GROUP_SIZE); e++) result.push(e);
  return result;
}

const eventType = (g: number, e: number): string => `group${g}.event${e}_happened`;
const topicOf = (g: number, e: number): string => `group-${g}-${e % 2 === 0 ? "events" : "audit"}`;

function eventSchema(g: number, e: number): string {
  // Every payload carries the seed's ordering fields (`message_ordering.partition_key.fields`), and `script_id`
  // is what the seed's pub/sub channel keys by, so the pattern blocks stay valid for generated events too.
  const fields: string[] = [
    `                script_id: "uuid"`,
    `                user_id: "uuid"`,
    `                occurred_at: "timestamp"`,
  ];
  for (let f = 0; f < 4; f++) {
    fields.push(`                field_${f}_${e}: "${FIELD_TYPES[(e + f) % FIELD_TYPES.length]}"`);
  }
  return [
    `        // Event ${e}`,
    `        Event${e}Happened: {`,
    `            event_type: "${eventType(g, e)}"`,
    `            version: "1.${e % 3}"`,
    ``,
    `            payload: {`,
    ...fields,
    `            }`,
    ``,
    `            metadata: {`,
    `                source: "hypnoscript-group-${g}"`,
    `                correlation_id: "uuid"`,
    `                causation_id: "uuid"`,
    `                timestamp: "timestamp"`,
    `            }`,
    `        }`,
  ].join("\n");
}

function producer(g: number, events: number[]): string {
  const mappings = events.map((e) =>
    [
      `            "${eventType(g, e)}": {`,
      `                topic: "${topicOf(g, e)}"`,
      `                partition_key: "script_id"`,
      `                retry_policy: {`,
      `                    max_retries: ${3 + (e % 3)}`,
      `                    backoff_strategy: "exponential"`,
      `                    initial_delay: ${1000 * (1 + (e % 2))}`,
      `                }`,
      `            }`,
    ].join("\n"),
  );
  return [
    `    Group${g}EventProducer: {`,
    `        broker: "kafka"`,
    `        topic_prefix: "hypnoscript.group${g}"`,
    ``,
    `        events: {`,
    mappings.join("\n\n"),
    `        }`,
    ``,
    `        serialization: {`,
    `            format: "json"`,
    `            compression: "snappy"`,
    `        }`,
    ``,
    `        validation: {`,
    `            schema_validation: true`,
    `            required_fields: ["event_type", "payload", "metadata"]`,
    `            payload_size_limit: 1048576  // 1MB`,
    `        }`,
    `    }`,
  ].join("\n");
}

function consumer(g: number, events: number[]): string {
  const topics = [...new Set(events.map((e) => topicOf(g, e)))];
  const subscriptions = topics.map((t) =>
    [
      `            {`,
      `                name: "${t}"`,
      `                partitions: [0, 1, 2, 3]`,
      `                auto_offset_reset: "earliest"`,
      `            }`,
    ].join("\n"),
  );
  const handlers = events.map((e) =>
    [
      `            "${eventType(g, e)}": {`,
      `                handler: "Group${g}Event${e}Handler"`,
      `                concurrency: ${1 + (e % 10)}`,
      `                timeout: 30000`,
      `                retry_policy: {`,
      `                    max_retries: 3`,
      `                    backoff_strategy: "exponential"`,
      `                }`,
      `            }`,
    ].join("\n"),
  );
  return [
    `    Group${g}EventConsumer: {`,
    `        broker: "kafka"`,
    `        group_id: "group-${g}-processor"`,
    ``,
    `        topics: [`,
    subscriptions.join(",\n"),
    `        ]`,
    ``,
    `        handlers: {`,
    handlers.join("\n\n"),
    `        }`,
    ``,
    `        settings: {`,
    `            max_poll_records: 100`,
    `            max_poll_interval_ms: 300000`,
    `            session_timeout_ms: 30000`,
    `            heartbeat_interval_ms: 3000`,
    `            enable_auto_commit: false`,
    `        }`,
    `    }`,
  ].join("\n");
}

const HEADER = "// Generated by bench/gen-config.ts";

/** The seed's `messaging` block (brokers), comments removed. */
const BROKERS = `messaging {
    kafka: {
        bootstrap_servers: [
            "kafka-1.example.com:9092",
            "kafka-2.example.com:9092",
            "kafka-3.example.com:9092"
        ]
        producer: {
            acks: "all"
            retries: 3
            batch_size: 16384
            linger_ms: 5
            buffer_memory: 33554432
            compression_type: "snappy"
            security: {
                sasl_mechanism: "PLAIN"
                sasl_username: env.KAFKA_USERNAME
                sasl_password: env.KAFKA_PASSWORD
                ssl_enabled: true
            }
        }
        consumer: {
            group_id: "hypnoscript-consumer-group"
            auto_offset_reset: "earliest"
            enable_auto_commit: false
            session_timeout_ms: 30000
            heartbeat_interval_ms: 3000
            max_poll_records: 500
            max_poll_interval_ms: 300000
            security: {
                sasl_mechanism: "PLAIN"
                sasl_username: env.KAFKA_USERNAME
                sasl_password: env.KAFKA_PASSWORD
                ssl_enabled: true
            }
        }
    }
    rabbitmq: {
        host: "rabbitmq.example.com"
        port: 5672
        virtual_host: "/hypnoscript"
        username: env.RABBITMQ_USERNAME
        password: env.RABBITMQ_PASSWORD
        connection: {
            heartbeat: 60
            connection_timeout: 60000
            channel_rpc_timeout: 10000
            automatic_recovery: true
            network_recovery_interval: 5000
        }
        channel_pool: {
            max_channels: 100
            channel_timeout: 30000
        }
        ssl: {
            enabled: true
            verify_peer: true
            fail_if_no_peer_cert: false
        }
    }
    activemq: {
        broker_url: "tcp://activemq.example.com:61616"
        username: env.ACTIVEMQ_USERNAME
        password: env.ACTIVEMQ_PASSWORD
        connection: {
            max_connections: 50
            connection_timeout: 30000
            idle_timeout: 300000
            keep_alive: true
        }
        session_pool: {
            max_sessions: 200
            session_timeout: 60000
        }
    }
    aws_messaging: {
        region: "eu-west-1"
        access_key_id: env.AWS_ACCESS_KEY_ID
        secret_access_key: env.AWS_SECRET_ACCESS_KEY
        sqs: {
            max_messages: 10
            visibility_timeout: 30
            wait_time_seconds: 20
            message_retention_period: 1209600
            receive_message_wait_time_seconds: 20
        }
        sns: {
            message_structure: "json"
            message_attributes: true
        }
    }
}`;

/** The seed's pattern, guarantee and monitoring blocks, comments removed. */
const PATTERNS = `request_reply {
    script_validation: {
        request_topic: "script.validation.request"
        reply_topic: "script.validation.reply"
        correlation_id_header: "correlation_id"
        request_schema: {
            script_id: "uuid"
            content: "string"
            validation_rules: "array"
            timeout: "integer"
        }
        reply_schema: {
            script_id: "uuid"
            valid: "boolean"
            errors: "array"
            warnings: "array"
            validation_time_ms: "integer"
        }
        timeout: 30000
        retry_policy: {
            max_retries: 3
            backoff_strategy: "exponential"
            initial_delay: 1000
        }
    }
    script_execution: {
        request_topic: "script.execution.request"
        reply_topic: "script.execution.reply"
        correlation_id_header: "correlation_id"
        request_schema: {
            script_id: "uuid"
            parameters: "object"
            timeout: "integer"
            environment: "string"
        }
        reply_schema: {
            execution_id: "uuid"
            script_id: "uuid"
            status: "string"
            result: "object"
            error_message: "string"
            execution_time_ms: "integer"
        }
        timeout: 300000
        retry_policy: {
            max_retries: 2
            backoff_strategy: "exponential"
            initial_delay: 5000
        }
    }
}
pub_sub {
    script_changes: {
        topic: "script.changes"
        publisher: {
            name: "ScriptChangePublisher"
            partition_strategy: "hash"
            partition_key: "script_id"
            message_format: {
                type: "json"
                compression: "snappy"
                schema_version: "1.0"
            }
        }
        subscribers: [
            {
                name: "AuditLogger"
                group_id: "audit-logger"
                handler: "AuditLogHandler"
                concurrency: 3
            },
            {
                name: "CacheInvalidator"
                group_id: "cache-invalidator"
                handler: "CacheInvalidationHandler"
                concurrency: 5
            },
            {
                name: "NotificationService"
                group_id: "notification-service"
                handler: "NotificationHandler"
                concurrency: 2
            },
            {
                name: "AnalyticsProcessor"
                group_id: "analytics-processor"
                handler: "AnalyticsHandler"
                concurrency: 10
            }
        ]
    }
    system_events: {
        topic: "system.events"
        publisher: {
            name: "SystemEventPublisher"
            partition_strategy: "round_robin"
        }
        subscribers: [
            {
                name: "MonitoringService"
                group_id: "monitoring-service"
                handler: "MonitoringHandler"
                concurrency: 5
            },
            {
                name: "AlertingService"
                group_id: "alerting-service"
                handler: "AlertingHandler"
                concurrency: 3
            },
            {
                name: "LogAggregator"
                group_id: "log-aggregator"
                handler: "LogAggregationHandler"
                concurrency: 8
            }
        ]
    }
}
dead_letter_queue {
    dlq_config: {
        main_queue: {
            name: "script-execution-queue"
            max_retries: 3
            retry_delay: 5000
            dlq_name: "script-execution-dlq"
        }
        dlq_queue: {
            name: "script-execution-dlq"
            message_retention: 2592000
            max_redelivery: 1
        }
    }
    dlq_handlers: {
        error_analysis: {
            handler: "DLQErrorAnalysisHandler"
            concurrency: 2
            timeout: 60000
            error_categories: {
                validation_error: {
                    action: "log_and_alert"
                    severity: "warning"
                },
                timeout_error: {
                    action: "retry_with_backoff"
                    max_retries: 2
                },
                system_error: {
                    action: "escalate"
                    severity: "critical"
                }
            }
        }
        manual_processing: {
            handler: "DLQManualProcessingHandler"
            concurrency: 1
            timeout: 300000
            ui: {
                enabled: true
                endpoint: "/api/dlq/manual-processing"
                authentication: "required"
                authorization: "admin_only"
            }
        }
    }
}
message_guarantees {
    at_least_once: {
        enabled: true
        producer: {
            acks: "all"
            retries: 3
            idempotence: true
            transactional: true
        }
        consumer: {
            manual_commit: true
            commit_sync: true
            offset_commit_interval: 1000
        }
    }
    exactly_once: {
        enabled: true
        idempotence: {
            enabled: true
            key_strategy: "message_id"
            storage: "redis"
            ttl: 86400
        }
        transactional: {
            enabled: true
            isolation_level: "read_committed"
            timeout: 30000
        }
    }
    message_ordering: {
        enabled: true
        partition_key: {
            strategy: "hash"
            fields: ["script_id", "user_id"]
        }
        consumer_groups: {
            single_partition_consumers: true
            max_concurrent_partitions: 1
        }
    }
}
message_monitoring {
    metrics: {
        producer: {
            message_count: true
            message_size: true
            send_latency: true
            error_rate: true
            retry_count: true
        }
        consumer: {
            message_count: true
            processing_latency: true
            error_rate: true
            lag: true
            commit_latency: true
        }
        queue: {
            queue_size: true
            queue_depth: true
            message_age: true
            consumer_count: true
        }
    }
    alerting: {
        consumer_lag: {
            threshold: 1000
            alert_level: "warning"
            escalation_time: 300
        }
        error_rate: {
            threshold: 0.05
            alert_level: "critical"
            window_size: 300
        }
        processing_latency: {
            threshold: 30000
            alert_level: "warning"
            percentile: 95
        }
    }
    tracing: {
        enabled: true
        trace_propagation: {
            headers: ["x-trace-id", "x-span-id", "x-correlation-id"]
            baggage: true
        }
        span_creation: {
            producer_send: true
            consumer_receive: true
            message_processing: true
        }
    }
}`;

if (process.argv[1] !== undefined && /gen-config\.[cm]?[jt]s$/.test(process.argv[1])) {
  process.stdout.write(generateConfig(Number(process.argv[2] ?? 1000)));
}
