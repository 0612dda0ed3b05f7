// pub-sub.ts: a typed publisher class per channel and handler types for subscribers (unless the same handler
// is also a consumer slot, declared in consumers.ts). SubscriberHandlers lists every subscriber slot.
import { StructureKind, type MethodDeclarationStructure } from "ts-morph";
import type { ChannelModel, EmitModel } from "./model.js";
import { contextType, defined, docs, rt, runtimeTypesImport, typeImport, unionOf } from "./common.js";
import type { Statement } from "./print.js";
import { handlerEnvelopeImports, handlerInterface, handlerTypeDeclaration } from "./emit-handlers.js";
import { quoted, stringLiteral } from "./text.js";

export function emitPubSub(model: EmitModel): Statement[] {
  const subscriberNames = new Set(model.channels.flatMap((c) => c.channel.subscribers.map((s) => s.handler)));
  const subscriberHandlers = model.eventHandlers.filter((h) => subscriberNames.has(h.name));
  const declaredHere = subscriberHandlers.filter((h) => h.module === "pub-sub");
  const declaredInConsumers = subscriberHandlers.filter((h) => h.module === "consumers").map((h) => h.name);
  const eventImports = [
    ...handlerEnvelopeImports(model, declaredHere),
    ...model.channels.flatMap((c) => [...c.events.map((e) => e.envelope), ...c.methods.map((m) => m.event.payload)]),
    ...(model.channels.some((c) => c.events.length > 0) ? ["EventTypeMap"] : []),
  ];
  return [
    runtimeTypesImport(),
    ...defined([
      typeImport("events", eventImports),
      typeImport("consumers", declaredInConsumers),
      typeImport("producers", declaredHere.length > 0 ? [contextType] : []),
    ]),
    ...model.channels.flatMap((channel) => channelDeclarations(channel)),
    ...declaredHere.map((h) => handlerTypeDeclaration(model, h)),
    handlerInterface("SubscriberHandlers", "Every pub_sub subscriber handler; an app that misses one does not compile.", subscriberHandlers),
  ];
}

function channelDeclarations(model: ChannelModel): Statement[] {
  const { channel } = model;
  const name = stringLiteral(channel.name);
  const typed = model.events.length > 0;
  const methods: MethodDeclarationStructure[] = model.methods.map(({ method, event }) => ({
    kind: StructureKind.Method,
    name: method,
    docs: docs(`Publishes ${quoted(event.event.eventType)} on channel ${quoted(channel.name)} (topic ${quoted(channel.topic)}).`),
    parameters: [
      { name: "payload", type: event.payload },
      { name: "options", type: `${rt}.PublishOptions`, hasQuestionToken: true },
    ],
    returnType: `Promise<${rt}.PublishResult>`,
    statements: [`return this.#runtime.publishToChannel(${name}, ${stringLiteral(event.event.eventType)}, payload, options);`],
  }));
  methods.push({
    kind: StructureKind.Method,
    name: "publish",
    docs: docs(`Publishes any event this channel carries, chosen by its event_type.`),
    ...(typed ? { typeParameters: [{ name: "T", constraint: model.eventTypeAlias }] } : {}),
    parameters: [
      { name: "eventType", type: typed ? "T" : "string" },
      { name: "payload", type: typed ? 'EventTypeMap[T]["payload"]' : "unknown" },
      { name: "options", type: `${rt}.PublishOptions`, hasQuestionToken: true },
    ],
    returnType: `Promise<${rt}.PublishResult>`,
    statements: [`return this.#runtime.publishToChannel(${name}, eventType, payload, options);`],
  });
  const publisher = channel.publisher;
  return [
    {
      kind: StructureKind.TypeAlias,
      name: model.eventTypeAlias,
      isExported: true,
      docs: docs(`Event types carried by channel ${quoted(channel.name)}.`),
      type: typed ? unionOf(model.events.map((e) => stringLiteral(e.event.eventType))) : "string",
    },
    {
      kind: StructureKind.TypeAlias,
      name: model.envelopeAlias,
      isExported: true,
      docs: docs(`What subscribers of channel ${quoted(channel.name)} receive.`),
      type: typed ? unionOf(model.events.map((e) => e.envelope)) : `${rt}.Envelope`,
    },
    {
      kind: StructureKind.Class,
      name: model.publisherClass,
      isExported: true,
      docs: docs(
        `Publisher ${quoted(publisher.name)} of channel ${quoted(channel.name)} on ${channel.broker}, topic ${quoted(channel.topic)}, ` +
          `partition strategy ${publisher.partition_strategy}` +
          (publisher.partition_key === undefined ? "." : ` by payload field ${quoted(publisher.partition_key)}.`),
      ),
      properties: [
        { name: "channel", isStatic: true, isReadonly: true, initializer: name },
        { name: "#runtime", isReadonly: true, type: `${rt}.MessagingRuntime` },
      ],
      ctors: [{ parameters: [{ name: "runtime", type: `${rt}.MessagingRuntime` }], statements: ["this.#runtime = runtime;"] }],
      methods,
    },
  ];
}
