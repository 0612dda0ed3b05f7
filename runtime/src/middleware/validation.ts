// Consume-side schema validation: an invalid envelope fails with a ValidationError (never retried → DLQ as
// validation_error); the consumer keeps going with the next message.
import type { Validator, ValidatorMap } from "../api.js";
import { validationError } from "../core/validate.js";
import { run, type Middleware } from "../core/pipeline.js";

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
  return (next) => (attempt, done) => {
    const type = attempt.envelope.event_type;
    const validator = validatorOf(type);
    if (validator !== undefined && !validator(attempt.envelope)) {
      const { topic } = attempt.message;
      const messageId = attempt.envelope.metadata.message_id;
      return done(validationError(validator, `event:${type}`, `event ${type} (message ${messageId} on ${topic})`, { topic, messageId }));
    }
    run(next, attempt, done);
  };
}
