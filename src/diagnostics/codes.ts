// The one registry of diagnostic codes (like TypeScript's diagnosticMessages.json). A code is stable:
// never renumbered, never reused for another meaning. Each code has exactly one constructor in
// ./constructors/ and at least one golden fixture under fixtures/diagnostics/<code>-*.hyp.
//
// Ranges: HYP1xxx syntax and files (parser, loader) · HYP2xxx structure against the spec (unknown key,
// type, enum, range, duplicates) · HYP3xxx references and resolution · HYP4xxx expert warnings
// (Kafka/RabbitMQ/guarantee advice) · HYP5xxx code generation · HYP9xxx CLI and I/O.
import type { Severity } from "./diagnostic.js";

export interface CodeInfo {
  readonly severity: Severity;
  /** Short title for docs and `--format json` consumers. */
  readonly title: string;
}

export const codes = {
  // ---- HYP1xxx: syntax and files (owned by the parser) ----
  HYP1001: { severity: "error", title: "Unrecognised character" },
  HYP1002: { severity: "error", title: "Unterminated string" },
  HYP1003: { severity: "error", title: "Invalid escape in string" },
  HYP1004: { severity: "error", title: "Unterminated block comment" },
  HYP1005: { severity: "error", title: "Missing token" },
  HYP1006: { severity: "error", title: "Missing value" },
  HYP1007: { severity: "error", title: "Unquoted text value" },
  HYP1008: { severity: "error", title: "Single-quoted string" },
  HYP1009: { severity: "error", title: "Unexpected text at the top level" },
  HYP1010: { severity: "error", title: "Nesting too deep" },
  HYP1011: { severity: "error", title: "Number out of range" },
  HYP1012: { severity: "error", title: "Unclosed object or array" },
  HYP1013: { severity: "error", title: "Unexpected token in object or array" },
  HYP1090: { severity: "info", title: "Too many syntax errors" },
  HYP1101: { severity: "error", title: "File not found" },
  HYP1102: { severity: "error", title: "Import cycle" },
  HYP1103: { severity: "error", title: "File cannot be read" },

  // ---- HYP2xxx: structure against the spec ----
  HYP2001: { severity: "error", title: "Unknown block" },
  HYP2002: { severity: "error", title: "Unknown key" },
  HYP2003: { severity: "error", title: "Value of the wrong type" },
  HYP2004: { severity: "error", title: "Value not in the allowed set" },
  HYP2005: { severity: "error", title: "Number out of range" },
  HYP2006: { severity: "error", title: "Duplicate key" },
  HYP2007: { severity: "error", title: "Missing required key" },
  HYP2008: { severity: "error", title: "Secret written as a literal" },
  HYP2009: { severity: "error", title: "Invalid field type" },
  HYP2010: { severity: "error", title: "String does not have the expected form" },
  HYP2011: { severity: "error", title: "Too few items or entries" },
  HYP2012: { severity: "warning", title: "Item repeated in a list" },

  // ---- HYP3xxx: references and resolution ----
  HYP3001: { severity: "error", title: "Broker not configured in messaging" },
  HYP3002: { severity: "warning", title: "Block without broker uses the first configured broker" },
  HYP3003: { severity: "error", title: "No broker configured" },
  HYP3004: { severity: "error", title: "Undefined event type" },
  HYP3005: { severity: "error", title: "Duplicate event type" },
  HYP3006: { severity: "error", title: "Duplicate event name" },
  HYP3007: { severity: "error", title: "Event or group name is not a valid type name" },
  HYP3008: { severity: "error", title: "Partition key is not a payload field" },
  HYP3009: { severity: "warning", title: "Event has none of the ordering fields" },
  HYP3010: { severity: "warning", title: "Ordering field no event has" },
  HYP3011: { severity: "error", title: "Ambiguous logical topic" },
  HYP3012: { severity: "warning", title: "Consumed topic is produced nowhere in the configuration" },
  HYP3013: { severity: "error", title: "Topic used on two brokers" },
  HYP3014: { severity: "warning", title: "Handled event type never arrives on the consumer's topics" },
  HYP3015: { severity: "error", title: "dlq_name does not name the dead-letter queue" },
  HYP3016: { severity: "error", title: "Request and reply topic are the same" },
  HYP3017: { severity: "error", title: "Handler name is not a valid identifier" },
  HYP3018: { severity: "error", title: "Handler name used for different slots" },
  HYP3019: { severity: "info", title: "Handler name is not PascalCase" },
  HYP3020: { severity: "info", title: "Event types of a channel or work queue inferred" },
  HYP3021: { severity: "info", title: "Event type arrives on a consumer's topics without a handler" },

  // ---- HYP4xxx: expert warnings ----
  HYP4001: { severity: "warning", title: "Heartbeat interval not below a third of the session timeout" },
  HYP4002: { severity: "warning", title: "Max poll interval below the session timeout" },
  HYP4003: { severity: "warning", title: "Auto-commit contradicts manual commits of at_least_once" },
  HYP4004: { severity: "warning", title: "Message ordering limits handler concurrency" },
  HYP4005: { severity: "warning", title: "Redis idempotency store without a configured connection" },
  HYP4006: { severity: "warning", title: "SASL PLAIN without SSL" },
  HYP4007: { severity: "error", title: "Transactions requested on a broker without transactions" },
  HYP4008: { severity: "warning", title: "Transactions on a broker with weaker transactions" },
  HYP4009: { severity: "warning", title: "Producer acks contradict the at_least_once policy" },
  HYP4010: { severity: "warning", title: "Producer retries below the at_least_once policy" },
  HYP4011: { severity: "warning", title: "Idempotent producer without acks all" },
  HYP4012: { severity: "warning", title: "Kafka consumer group shared by different subscriptions" },

  // ---- HYP5xxx: code generation ----
  HYP5001: { severity: "error", title: "Name is not a valid TypeScript identifier" },
  HYP5002: { severity: "error", title: "Two names generate the same TypeScript name" },
  HYP5003: { severity: "error", title: "Schema cannot be compiled into a validator" },

  // ---- HYP9xxx: CLI and I/O ----
  HYP9001: { severity: "error", title: "Input file not found or unreadable" },
  HYP9050: { severity: "error", title: "Generated output cannot be written" },
} as const satisfies Record<string, CodeInfo>;

export type Code = keyof typeof codes;
