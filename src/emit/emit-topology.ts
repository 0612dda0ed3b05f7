// topology.ts: the Topology constant the runtime reads, plus typed constants for guarantees and monitoring.
// Secrets are `{ env: "NAME" }` objects in the Topology already; no value is ever resolved here.
import { StructureKind, VariableDeclarationKind } from "ts-morph";
import type { EmitModel } from "./model.js";
import { docs, rt, runtimeTypesImport } from "./common.js";
import type { Statement } from "./print.js";
import { tsLiteral } from "./text.js";

export function emitTopology(model: EmitModel): Statement[] {
  return [
    runtimeTypesImport(),
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: docs("The checked configuration with every default applied and every reference resolved."),
      declarations: [{ name: "topology", initializer: `${tsLiteral(model.topology)} satisfies ${rt}.Topology` }],
    },
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: docs("message_guarantees, as the runtime applies them."),
      declarations: [{ name: "guarantees", type: `${rt}.GuaranteesConfig`, initializer: "topology.guarantees" }],
    },
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: docs("message_monitoring, as the runtime applies it."),
      declarations: [{ name: "monitoring", type: `${rt}.MonitoringConfig`, initializer: "topology.monitoring" }],
    },
  ];
}
