// Reads a payload field script.created does not have: must fail with TS2339.
import type { ScriptCreatedHandler } from "../../../fixtures/golden/seed/index.js";

export const handler: ScriptCreatedHandler = async (envelope) => {
  const owner: string = envelope.payload.owner_id;
  void owner;
};
