// Consume-side schema validation: an invalid envelope fails with a ValidationError (never retried → DLQ as
// validation_error); the consumer keeps going with the next message.
import type { ValidatorMap } from "../api.js";
import { validateOrThrow } from "../core/validate.js";
import type { Middleware } from "../core/pipeline.js";

export function validation(validators: ValidatorMap): Middleware {
  // Not async: the valid path passes `next`'s promise through (one promise less per message).
  return (next) => (attempt) => {
    const type = attempt.envelope.event_type;
    try {
      const validator = validators[`event:${type}`];
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
