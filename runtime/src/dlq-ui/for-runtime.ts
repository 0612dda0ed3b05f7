// What createRuntime needs for dead_letter_queue.dlq_handlers.<group>.ui: which groups file their letters in the
// inbox, and the endpoint of the (first) enabled ui, replaying through the runtime's transports.
import type { DeadLetterHandler, Logger } from "../api.js";
import type { RunningServer } from "../monitoring/metrics-server.js";
import type { BrokerKind, Topology } from "../topology.js";
import type { Transport } from "../transport.js";
import { inboxHandler, type DeadLetterInbox } from "./inbox.js";
import { replayThroughRuntime } from "./replay.js";
import { startDlqServer } from "./server.js";

/** The handler a DLQ group runs: with an enabled ui, letters go to the inbox first, then to the app's handler. */
export function dlqGroupHandler(group: { readonly ui?: { readonly enabled: boolean } }, appHandler: DeadLetterHandler | undefined, inbox: DeadLetterInbox): DeadLetterHandler | undefined {
  return group.ui?.enabled === true ? inboxHandler(inbox, appHandler) : appHandler;
}

export interface RuntimeDlqUiOptions {
  readonly topology: Topology;
  readonly inbox: DeadLetterInbox;
  readonly transportFor: (kind: BrokerKind) => Transport | undefined;
  readonly logger: Logger;
  readonly env: Readonly<Record<string, string | undefined>>;
}

/** Starts the endpoint when some DLQ group has ui.enabled; port from HYPC_DLQ_UI_PORT (default: ephemeral). */
export async function startDlqUiForRuntime(o: RuntimeDlqUiOptions): Promise<RunningServer | undefined> {
  const groups = o.topology.deadLetter?.handlers.filter((h) => h.ui?.enabled === true) ?? [];
  const ui = groups[0]?.ui;
  if (ui === undefined) return undefined;
  if (groups.length > 1) o.logger.warn(`several DLQ groups enable a ui (${groups.map((g) => g.group).join(", ")}): one endpoint serves them all, at ${ui.endpoint}`);
  return startDlqServer({ ui, inbox: o.inbox, replay: replayThroughRuntime(o.topology, o.transportFor), logger: o.logger, env: o.env });
}
