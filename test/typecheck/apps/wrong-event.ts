// Puts a script.updated handler into the script.created slot: must fail with TS2322.
import type { ConsumerHandlers, ScriptUpdatedEnvelope } from "../../../fixtures/golden/seed/index.js";

const onUpdated = async (envelope: ScriptUpdatedEnvelope): Promise<void> => {
  void envelope;
};
export const slots: Pick<ConsumerHandlers, "ScriptCreatedHandler"> = { ScriptCreatedHandler: onUpdated };
