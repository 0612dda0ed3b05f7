import { describe, expect, it } from "vitest";
import { compileValidators } from "../../src/dev/compile-validators.js";
import { ValidationError } from "../../src/errors.js";
import { validation } from "../../src/middleware/validation.js";
import { seedTopology } from "../fixtures/seed-topology.js";
import { attemptOf, envelope, received, through } from "./harness.js";

const validators = compileValidators(seedTopology);

describe("validation middleware", () => {
  it("rejects an invalid envelope with a ValidationError naming the event type, field path and reason", async () => {
    let called = false;
    const env = envelope("script.created", { script_id: "not-a-uuid", name: 5 });
    const run = through(validation(validators), async () => void (called = true))(attemptOf(received(env)));
    await expect(run).rejects.toBeInstanceOf(ValidationError);
    const error = (await run.catch((e: unknown) => e)) as ValidationError;
    expect(error.message).toMatch(/event script\.created/);
    expect(error.problems.join("\n")).toMatch(/\/payload\/script_id: must match format "uuid"/);
    expect(error.problems.join("\n")).toMatch(/\/payload\/name: must be string/);
    expect(error.retriable).toBe(false);
    expect(called).toBe(false);
  });

  it("passes a valid envelope to the handler", async () => {
    let called = false;
    const env = envelope("user.registered", { user_id: "8a1c3e2b-5d4f-4a6b-9c8d-7e6f5a4b3c2d", email: "a@b.c", username: "a", registered_at: new Date().toISOString() });
    await through(validation(validators), async () => void (called = true))(attemptOf(received(env)));
    expect(called).toBe(true);
  });

  it("decides each message on its own once the event type's validator is cached: invalid after valid, unknown types pass", async () => {
    const step = through(validation(validators), async () => undefined);
    const valid = envelope("user.registered", { user_id: "8a1c3e2b-5d4f-4a6b-9c8d-7e6f5a4b3c2d", email: "a@b.c", username: "a", registered_at: new Date().toISOString() });
    const invalid = envelope("user.registered", { user_id: "8a1c3e2b-5d4f-4a6b-9c8d-7e6f5a4b3c2d", email: "a@b.c" });
    for (let i = 0; i < 3; i++) {
      await expect(step(attemptOf(received(valid)))).resolves.toBeUndefined();
      await expect(step(attemptOf(received(invalid)))).rejects.toBeInstanceOf(ValidationError);
    }
    // A wildcard slot sees event types nobody declared: they have no schema, so they pass (more than the cache holds).
    for (let i = 0; i < 1100; i++) await expect(step(attemptOf(received(envelope(`made.up.${i}`))))).resolves.toBeUndefined();
    await expect(step(attemptOf(received(invalid)))).rejects.toBeInstanceOf(ValidationError);
  });
});
