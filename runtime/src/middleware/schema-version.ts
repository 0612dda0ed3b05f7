// pub_sub.<Channel>.publisher.message_format.schema_version on receipt: the publisher stamps the version as the
// header x-hypc-schema-version; a subscriber accepts messages of the same MAJOR version (1.0 and 1.3 are
// compatible, 2.0 is not: a major bump means the shape changed incompatibly). A mismatch is a ValidationError,
// so it is never retried and goes to the DLQ as validation_error with the reason. A message without the header
// (sent by something other than this runtime) is accepted: there is nothing to compare.
import { ValidationError } from "../errors.js";
import { Headers } from "../core/headers.js";
import { run, type Middleware } from "../core/pipeline.js";

export function majorVersion(version: string): string {
  return version.trim().split(".")[0] ?? "";
}

export function schemaVersion(expected: string, channel: string): Middleware {
  const major = majorVersion(expected);
  return (next) => (attempt, done) => {
    const got = attempt.message.headers[Headers.schemaVersion];
    if (got !== undefined && majorVersion(got) !== major) {
      const messageId = attempt.envelope.metadata.message_id;
      return done(
        new ValidationError(
          `message ${messageId} on ${attempt.message.topic} has schema_version ${got}, but channel ${channel} expects ${expected} (major version ${major}); incompatible major version`,
          [`${Headers.schemaVersion}: ${got} is not major version ${major}`],
          { topic: attempt.message.topic, messageId },
        ),
      );
    }
    run(next, attempt, done);
  };
}
