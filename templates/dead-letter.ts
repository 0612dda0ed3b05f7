// Fixed fragment of the generated dead-letter.ts, cloned statement by statement by src/emit/emit-dead-letter.ts
// (src/emit/templates.ts). It is real TypeScript, type-checked with the compiler's sources, so an edit here is
// checked before it reaches any app. Only what follows the marker line is cloned; the lines above it declare
// what the generated module provides around the fragment (its imports and the AnyEventEnvelope union).
import type * as hypc from "@hypc/runtime";

type AnyEventEnvelope = hypc.Envelope;
declare const validators: hypc.ValidatorMap;

// ---- template ----

/**
 * A dead-lettered message. `envelope` is what could be parsed from the body, not necessarily a valid event
 * (a failed validation is why many messages are here): use validEnvelope() for a checked, typed one.
 */
export interface TypedDeadLetter extends hypc.DeadLetter {}

/** The letter's envelope if it is a valid event of this configuration (checked by its validator), else undefined. */
export function validEnvelope(letter: hypc.DeadLetter): AnyEventEnvelope | undefined {
  const envelope = letter.envelope;
  if (envelope === undefined) return undefined;
  const validate = validators[`event:${envelope.event_type}`];
  return validate !== undefined && validate(envelope) ? (envelope as AnyEventEnvelope) : undefined;
}
