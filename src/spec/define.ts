// Small constructors so each block's spec reads like a table: `int("Retries per send", { default: 3, min: 0 })`.
import type {
  ArraySpec,
  BooleanSpec,
  EnumSpec,
  EnvOrStringSpec,
  FieldTypeSpec,
  MapSpec,
  NumberSpec,
  ObjectSpec,
  SecretSpec,
  SpecNode,
  StringSpec,
} from "./types.js";

type Options<T> = Omit<T, "kind" | "description">;

export const str = (description: string, options: Options<StringSpec> = {}): StringSpec => ({ kind: "string", description, ...options });
export const envOrStr = (description: string, options: Options<EnvOrStringSpec> = {}): EnvOrStringSpec => ({
  kind: "env-or-string",
  description,
  ...options,
});
export const secret = (description: string, exampleEnv: string, options: Omit<Options<SecretSpec>, "exampleEnv"> = {}): SecretSpec => ({
  kind: "secret",
  description,
  exampleEnv,
  ...options,
});
export const int = (description: string, options: Options<NumberSpec> = {}): NumberSpec => ({ kind: "integer", description, ...options });
export const dec = (description: string, options: Options<NumberSpec> = {}): NumberSpec => ({ kind: "decimal", description, ...options });
export const bool = (description: string, options: Options<BooleanSpec> = {}): BooleanSpec => ({ kind: "boolean", description, ...options });
export const oneOf = (description: string, values: readonly string[], options: Omit<Options<EnumSpec>, "values"> = {}): EnumSpec => ({
  kind: "enum",
  description,
  values,
  ...options,
});
export const list = (description: string, items: SpecNode, options: Omit<Options<ArraySpec>, "items"> = {}): ArraySpec => ({
  kind: "array",
  description,
  items,
  ...options,
});
export const obj = (description: string, fields: ObjectSpec["fields"], options: Omit<Options<ObjectSpec>, "fields"> = {}): ObjectSpec => ({
  kind: "object",
  description,
  fields,
  ...options,
});
export const map = (
  description: string,
  keyName: string,
  values: SpecNode,
  options: Omit<Options<MapSpec>, "keyName" | "values"> = {},
): MapSpec => ({ kind: "map", description, keyName, values, ...options });
export const fieldType = (description: string, options: Options<FieldTypeSpec> = {}): FieldTypeSpec => ({
  kind: "field-type",
  description,
  ...options,
});

/** The four broker kinds, in the order the seed configures them. */
export const brokerKinds = ["kafka", "rabbitmq", "activemq", "aws_messaging"] as const;
export const compressions = ["none", "gzip", "snappy", "lz4", "zstd"] as const;
export const alertLevels = ["info", "warning", "critical"] as const;

/** The optional `broker` key of blocks the seed gives none (request_reply, pub_sub, dead_letter_queue). */
export const optionalBroker = oneOf("Broker this block uses", brokerKinds, {
  inherits: "messaging.default_broker, else the first configured broker (with a warning)",
  extension: true,
});

/** A retry policy; every key has a default so the runtime always gets a complete one. */
export const retryPolicy = (what: string, defaults: { maxRetries: number; initialDelay: number }) =>
  obj(`Retries of ${what}`, {
    max_retries: int("Attempts after the first before giving up (then dead-letter)", { default: defaults.maxRetries, min: 0, max: 100 }),
    backoff_strategy: oneOf("How the delay grows between attempts", ["exponential", "linear", "fixed"], { default: "exponential" }),
    initial_delay: int("Delay before the first retry", { default: defaults.initialDelay, min: 0, unit: "ms" }),
    max_delay: int("Upper bound of any single delay", { default: 30000, min: 0, unit: "ms", extension: true }),
    multiplier: dec("Growth factor of exponential backoff", { default: 2, min: 1, max: 10, extension: true }),
    jitter: dec("Random ± fraction applied to each delay (0 = none)", { default: 0.2, min: 0, max: 1, unit: "ratio", extension: true }),
  });
