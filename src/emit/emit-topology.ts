// topology.ts: the Topology constant the runtime reads, plus typed constants for guarantees and monitoring.
// Secrets are `{ env: "NAME" }` objects in the Topology already; no value is ever resolved here. This module
// is data: it is laid out by prettyLiteral directly instead of ts-morph + prettier (see generate.ts).
import type { EmitModel } from "./model.js";
import { rt } from "./common.js";
import { prettyLiteral } from "./text.js";

export function emitTopologyText(model: EmitModel): string {
  const opening = "export const topology = ";
  return [
    `import type * as ${rt} from "@hypc/runtime";`,
    "",
    "/** The checked configuration with every default applied and every reference resolved. */",
    `${opening}${prettyLiteral(model.topology, 0, opening.length)} satisfies ${rt}.Topology;`,
    "",
    "/** message_guarantees, as the runtime applies them. */",
    `export const guarantees: ${rt}.GuaranteesConfig = topology.guarantees;`,
    "",
    "/** message_monitoring, as the runtime applies it. */",
    `export const monitoring: ${rt}.MonitoringConfig = topology.monitoring;`,
    "",
  ].join("\n");
}
