// events.ts: payload, metadata and envelope types per event, the EventTypeMap and the union of all events.
import { StructureKind, VariableDeclarationKind, type InterfaceDeclarationStructure } from "ts-morph";
import type { EmitModel, EventModel } from "./model.js";
import { docs, readonlyProperty, rt, runtimeTypesImport } from "./common.js";
import type { Statement } from "./print.js";
import { objectMembers, schemaToType } from "./schema-to-ts.js";
import { quoted, stringLiteral } from "./text.js";

const baseMetadataKeys = new Set(["message_id", "source", "correlation_id", "causation_id", "timestamp"]);

export function emitEvents(model: EmitModel): Statement[] {
  const statements: Statement[] = [runtimeTypesImport()];
  for (const event of model.events) statements.push(...eventDeclarations(event));
  statements.push({
    kind: StructureKind.Interface,
    name: "EventTypeMap",
    isExported: true,
    docs: docs("Every event of the configuration by its event_type."),
    properties: model.events.map((e) => readonlyProperty(stringLiteral(e.event.eventType), e.envelope)),
  });
  statements.push(
    { kind: StructureKind.TypeAlias, name: "EventType", isExported: true, type: "keyof EventTypeMap" },
    {
      kind: StructureKind.TypeAlias,
      name: "AnyEventEnvelope",
      isExported: true,
      docs: docs("Any event of the configuration; narrow it with `event_type`."),
      type: "EventTypeMap[EventType]",
    },
    {
      kind: StructureKind.TypeAlias,
      name: "PayloadOf",
      isExported: true,
      typeParameters: [{ name: "T", constraint: "EventType" }],
      type: 'EventTypeMap[T]["payload"]',
    },
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      declarations: [{ name: "eventTypes", type: "readonly EventType[]", initializer: `[${model.events.map((e) => stringLiteral(e.event.eventType)).join(", ")}]` }],
    },
  );
  return statements;
}

function eventDeclarations(model: EventModel): Statement[] {
  const { event } = model;
  const properties = event.schema["properties"] as { readonly [key: string]: unknown } | undefined;
  const payloadSchema = properties?.["payload"];
  const metadataSchema = properties?.["metadata"];
  const about = `${quoted(event.eventType)} (group ${quoted(event.group)}, version ${quoted(event.version)}, source ${quoted(event.source)})`;

  const payloadMembers = objectMembers(payloadSchema);
  const payload: Statement =
    payloadMembers === undefined
      ? { kind: StructureKind.TypeAlias, name: model.payload, isExported: true, docs: docs(`Payload of ${about}.`), type: schemaToType(payloadSchema) }
      : {
          kind: StructureKind.Interface,
          name: model.payload,
          isExported: true,
          docs: docs(`Payload of ${about}.`),
          properties: payloadMembers.map((m) => readonlyProperty(m.name, m.type, m.optional)),
        };

  // Metadata: the runtime's EnvelopeMetadata plus whatever the schema adds or narrows. Base keys are only
  // re-declared when the schema narrows them to literals (a `const` source), which keeps the extension valid.
  const metadataMembers = (objectMembers(metadataSchema) ?? []).filter(
    (m) => !baseMetadataKeys.has(unquote(m.name)) || (/^["\d]|^true$|^false$/.test(m.type) && !m.optional),
  );
  const metadata: InterfaceDeclarationStructure = {
    kind: StructureKind.Interface,
    name: model.metadata,
    isExported: true,
    extends: [`${rt}.EnvelopeMetadata`],
    docs: docs(`Metadata of ${quoted(event.eventType)} messages.`),
    properties: metadataMembers.map((m) => readonlyProperty(m.name, m.type, m.optional)),
  };
  const envelope: InterfaceDeclarationStructure = {
    kind: StructureKind.Interface,
    name: model.envelope,
    isExported: true,
    extends: [`${rt}.Envelope<${stringLiteral(event.eventType)}, ${model.payload}>`],
    docs: docs(`The message body of ${quoted(event.eventType)} as it travels on the wire.`),
    properties: [readonlyProperty("metadata", model.metadata)],
  };
  return [payload, metadata, envelope];
}

function unquote(name: string): string {
  return name.startsWith('"') ? (JSON.parse(name) as string) : name;
}
