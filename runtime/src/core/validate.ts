// Schema validation with ajv standalone validators (generated ahead of time), turned into ValidationErrors
// that name the event type, the field path and the reason.
import type { Validator, ValidatorMap } from "../api.js";
import { ValidationError } from "../errors.js";
import { fieldValue } from "./envelope.js";

export function problemsOf(validator: Validator): string[] {
  return (validator.errors ?? []).map((e) => `${e.instancePath === "" ? "(root)" : e.instancePath}: ${e.message ?? e.keyword}`);
}

/**
 * Validates `data` with the validator `schemaId` (`event:<type>`, `request:<x>`, `reply:<x>`).
 * A missing validator is not an error here: the runtime warns once at start-up.
 */
export function validateOrThrow(
  validators: ValidatorMap,
  schemaId: string,
  data: unknown,
  what: string | (() => string),
  details: { topic?: string; messageId?: string } = {},
): void {
  const validator = validators[schemaId];
  if (validator === undefined || validator(data)) return;
  throw validationError(validator, schemaId, what, details);
}

/** The error of data `validator` (the schema `schemaId`) just rejected, with every problem it found. */
export function validationError(validator: Validator, schemaId: string, what: string | (() => string), details: { topic?: string; messageId?: string } = {}): ValidationError {
  const problems = problemsOf(validator);
  return new ValidationError(`${typeof what === "string" ? what : what()} is invalid (schema ${schemaId}): ${problems.join("; ")}`, problems, details);
}

/** The `required_fields` (dotted paths) that are absent (undefined/null) in the envelope; undefined if none. */
export function missingFields(envelope: unknown, fields: readonly string[]): string[] | undefined {
  let missing: string[] | undefined;
  for (const f of fields) {
    const v = fieldValue(envelope, f);
    if (v === undefined || v === null) (missing ??= []).push(f);
  }
  return missing;
}

/** `required_fields` of a producer: dotted paths that must be present (not undefined/null) in the envelope. */
export function checkRequiredFields(envelope: unknown, fields: readonly string[], what: string | (() => string), details: { topic?: string; messageId?: string }): void {
  const missing = missingFields(envelope, fields);
  if (missing !== undefined) {
    const problems = missing.map((f) => `/${f.replaceAll(".", "/")}: required field is missing`);
    throw new ValidationError(`${typeof what === "string" ? what : what()} is invalid: missing required field(s) ${missing.join(", ")}`, problems, details);
  }
}
