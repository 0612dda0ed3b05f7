// Handler function types for consumer slots (consumers.ts) and pub/sub subscribers (pub-sub.ts). A slot
// receives exactly its events' envelopes; a batch slot (`"*"` with batch_size) receives a readonly array.
import { StructureKind } from "ts-morph";
import type { EmitModel, EventHandlerModel } from "./model.js";
import { contextType, docs, readonlyProperty, rt, unionOf } from "./common.js";
import type { Statement } from "./print.js";

/** The envelope type a handler receives: union of its events, or the runtime's generic envelope if none is known. */
export function handlerEnvelopeType(model: EmitModel, eventTypes: readonly string[]): string {
  const envelopes = eventTypes.flatMap((type) => {
    const event = model.eventsByType.get(type);
    return event === undefined ? [] : [event.envelope];
  });
  return envelopes.length === 0 ? `${rt}.Envelope` : unionOf(envelopes);
}

export function handlerEnvelopeImports(model: EmitModel, handlers: readonly EventHandlerModel[]): string[] {
  return handlers.flatMap((h) => h.eventTypes.flatMap((type) => model.eventsByType.get(type)?.envelope ?? []));
}

export function handlerTypeDeclaration(model: EmitModel, handler: EventHandlerModel): Statement {
  const envelope = handlerEnvelopeType(model, handler.eventTypes);
  const parameter = handler.batch ? `envelopes: readonly (${envelope})[]` : `envelope: ${envelope}`;
  return {
    kind: StructureKind.TypeAlias,
    name: handler.name,
    isExported: true,
    docs: docs(`Handler slot ${handler.name}:`, ...handler.uses.map((use) => `- ${use}`)),
    type: `(${parameter}, context: ${contextType}) => Promise<void>`,
  };
}

/** `interface <name> { readonly Slot: Slot; … }`: the app must fill every slot. */
export function handlerInterface(name: string, description: string, handlers: readonly EventHandlerModel[]): Statement {
  return {
    kind: StructureKind.Interface,
    name,
    isExported: true,
    docs: docs(description),
    properties: handlers.map((h) => readonlyProperty(h.name, h.name)),
  };
}
