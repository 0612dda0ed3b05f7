// Consume-side schema validation: an invalid envelope fails with a ValidationError (never retried → DLQ as
// validation_error); the consumer keeps going with the next message.
import type { Validator, ValidatorMap } from "../api.js";
import { validateOrThrow } from "../core/validate.js";
import type { Middleware } from "../core/pipeline.js";

export function validation(validators: ValidatorMap): Middleware {
  // The validator of each event type, looked up once (null: none): building the `event:<type>` key and looking
  // it up in the map of every schema cost per message about a third of what validating a small envelope does.
  // Bounded, as a wildcard slot sees whatever event types senders make up.
  const byType = new Map<string, Validator | null>();
  const validatorOf = (type: string): Validator | undefined => {
    const known = byType.get(type);
    if (known !== undefined) return known ?? undefined;
    const validator = validators[`event:${type}`];
    if (byType.size < 1024) byType.set(type, validator ?? null);
    return validator;
  };
  // Not async: the valid path passes `next`'s promise through (one promise less per message).
  return (next) => (attempt) => {
    const type = attempt.envelope.event_type;
    try {
      const validator = validatorOf(type);
      if (validator !== undefined && !validator(attempt.envelope)) {
        validateOrThrow(validators, `event:${type}`, attempt.envelope, `event ${type} (message ${attempt.envelope.metadata.message_id} on ${attempt.message.topic})`, {
          topic: attempt.message.topic,
          messageId: attempt.envelope.metadata.message_id,
        });
      }
    } catch (error) {
      return Promise.reject(error);
    }
    return next(attempt);
  };
}
