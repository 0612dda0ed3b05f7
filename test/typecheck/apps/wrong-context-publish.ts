// Publishes a user event through the script producer from a handler: must fail with TS2345.
import type { ScriptExecutedHandler } from "../../../fixtures/golden/seed/index.js";

export const handler: ScriptExecutedHandler = async (envelope, context) => {
  await context.publish("ScriptEventProducer", "user.registered", {
    user_id: envelope.payload.user_id, email: "a@b.c", username: "u", registered_at: envelope.payload.completed_at,
  });
};
