// Publishes script.created with a number where a string is required: must fail with TS2322.
import type { ScriptEventProducer } from "../../../fixtures/golden/seed/index.js";

export async function publish(producer: ScriptEventProducer): Promise<void> {
  await producer.scriptCreated({ script_id: "x", name: 42, created_by: "y", created_at: "z", metadata: {} });
}
