// consumers.ts: a handler type per consumer slot and the ConsumerHandlers interface requiring every slot.
import type { EmitModel } from "./model.js";
import { contextType, defined, runtimeTypesImport, typeImport } from "./common.js";
import type { Statement } from "./print.js";
import { handlerEnvelopeImports, handlerInterface, handlerTypeDeclaration } from "./emit-handlers.js";

export function emitConsumers(model: EmitModel): Statement[] {
  const handlers = model.eventHandlers.filter((h) => h.module === "consumers");
  return [
    runtimeTypesImport(),
    ...defined([typeImport("events", handlerEnvelopeImports(model, handlers)), typeImport("producers", handlers.length > 0 ? [contextType] : [])]),
    ...handlers.map((h) => handlerTypeDeclaration(model, h)),
    handlerInterface("ConsumerHandlers", "Every event_consumers handler slot; an app that misses one does not compile.", handlers),
  ];
}
