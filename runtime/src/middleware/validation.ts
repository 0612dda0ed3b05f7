// Consume-side schema validation: an invalid envelope throws a ValidationError (never retried → DLQ as
// validation_error); the consumer keeps going with the next message.
import type { ValidatorMap } from "../api.js";
import { validateOrThrow } from "../core/validate.js";
import type { Middleware } from "../core/pipeline.js";

export function validation(validators: ValidatorMap): Middleware {
  // Not async (one promise less per message): a sync throw reaches the caller's try/await like a rejection.
  return (next) => (attempt) => {
    const type = attempt.envelope.event_type;
    validateOrThrow(validators, `event:${type}`, attempt.envelope, `event ${type} (message ${attempt.envelope.metadata.message_id} on ${attempt.message.topic})`, {
      topic: attempt.message.topic,
      messageId: attempt.envelope.metadata.message_id,
    });
    return next(attempt);
  };
}
