// The shape of the declarative spec: one node per key of a .hyp configuration. The structural checker
// (src/check/validate-spec.ts), `materialize` and the docs generator (scripts/gen-docs.ts) all read it,
// so adding a key to the language is one edit in src/spec/blocks/*.

/** Unit of a numeric key; shown in diagnostics and the reference docs. */
export type Unit = "ms" | "s" | "bytes" | "ratio";

interface SpecBase {
  /** One line of English for docs, hovers and diagnostics. */
  readonly description: string;
  /** Missing → HYP2007. Never combined with `default`. */
  readonly required?: boolean;
  /** Where the value comes from when the key is absent and the spec has no default (docs only). */
  readonly inherits?: string;
  /** True for keys that are not in the product owner's seed (documented as extensions). */
  readonly extension?: boolean;
}

export interface StringSpec extends SpecBase {
  readonly kind: "string";
  readonly default?: string;
  /** A shape the string must have, and how to say it in words. */
  readonly pattern?: { readonly regex: RegExp; readonly description: string; readonly example: string };
}

/** A literal string or `env.NAME` (file paths, endpoints: may differ per deployment). */
export interface EnvOrStringSpec extends SpecBase {
  readonly kind: "env-or-string";
  readonly default?: string;
}

/** Credentials: must be `env.NAME`, never a literal (literal → HYP2008). */
export interface SecretSpec extends SpecBase {
  readonly kind: "secret";
  /** The environment variable name shown in the fix, e.g. `KAFKA_PASSWORD`. */
  readonly exampleEnv: string;
}

export interface NumberSpec extends SpecBase {
  readonly kind: "integer" | "decimal";
  readonly default?: number;
  readonly min?: number;
  readonly max?: number;
  readonly unit?: Unit;
}

export interface BooleanSpec extends SpecBase {
  readonly kind: "boolean";
  readonly default?: boolean;
}

export interface EnumSpec extends SpecBase {
  readonly kind: "enum";
  readonly values: readonly string[];
  readonly default?: string;
}

export interface ArraySpec extends SpecBase {
  readonly kind: "array";
  readonly items: SpecNode;
  readonly minItems?: number;
  /** Items must differ (a repeated item → HYP2012 warning). Only for lists of scalars. */
  readonly uniqueItems?: boolean;
  readonly default?: readonly (string | number | boolean)[];
}

export interface ObjectSpec extends SpecBase {
  readonly kind: "object";
  readonly fields: Readonly<Record<string, SpecNode>>;
  /**
   * true: absent → omitted by `materialize`. false/absent: absent → built from its fields' defaults
   * (the runtime's Topology interfaces declare such objects non-optional).
   */
  readonly optional?: boolean;
}

/** An object whose keys the user chooses (`events.<Group>`, `handlers.<event_type|*>`). */
export interface MapSpec extends SpecBase {
  readonly kind: "map";
  /** Placeholder for docs and key paths, e.g. `<Group>`. */
  readonly keyName: string;
  readonly values: SpecNode;
  /** Absent map → omitted (true) or `{}` (false). */
  readonly optional?: boolean;
  readonly minEntries?: number;
}

/** A payload/schema field: a type string (`"uuid"`, `"string?"`, `"array<uuid>"`) or a nested object of them. */
export interface FieldTypeSpec extends SpecBase {
  readonly kind: "field-type";
  readonly default?: string;
}

export type SpecNode =
  | StringSpec
  | EnvOrStringSpec
  | SecretSpec
  | NumberSpec
  | BooleanSpec
  | EnumSpec
  | ArraySpec
  | ObjectSpec
  | MapSpec
  | FieldTypeSpec;

export type SpecKind = SpecNode["kind"];
