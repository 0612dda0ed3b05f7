// producers.ts: one class per producer, one typed method per event it routes and a typed generic publish.
// Topic, key and retry policy are resolved at compile time and exposed as static data for tools and tests;
// the runtime routes by the same Topology.
import { StructureKind, type ClassDeclarationStructure, type MethodDeclarationStructure } from "ts-morph";
import type { EmitModel, ProducerModel } from "./model.js";
import { contextType, defined, docs, readonlyProperty, rt, runtimeTypesImport, typeImport, unionOf } from "./common.js";
import type { Statement } from "./print.js";
import { tsLiteral, quoted, stringLiteral } from "./text.js";

export function emitProducers(model: EmitModel): Statement[] {
  const eventImports = model.producers.flatMap((p) => p.methods.map((m) => m.event.payload));
  return [
    runtimeTypesImport(),
    ...defined([typeImport("events", [...eventImports, "EventTypeMap"])]),
    ...model.producers.flatMap((producer) => producerDeclarations(producer)),
    {
      kind: StructureKind.Interface,
      name: "ProducerEventTypes",
      isExported: true,
      docs: docs("The event types each producer publishes, by producer name."),
      properties: model.producers.map((p) => readonlyProperty(p.className, p.eventTypeAlias)),
    },
    {
      kind: StructureKind.Interface,
      name: contextType,
      isExported: true,
      extends: [`Omit<${rt}.HandlerContext, "publish">`],
      docs: docs("What a handler receives besides its message: the runtime's context, with publish typed by producer and event type."),
      methods: [
        {
          kind: StructureKind.MethodSignature,
          name: "publish",
          docs: docs("Publishes as a consequence of the message being handled: correlation_id is propagated, causation_id points at it."),
          typeParameters: [
            { name: "P", constraint: "keyof ProducerEventTypes" },
            { name: "T", constraint: "ProducerEventTypes[P]" },
          ],
          parameters: [
            { name: "producer", type: "P" },
            { name: "eventType", type: "T" },
            { name: "payload", type: 'EventTypeMap[T]["payload"]' },
            { name: "options", type: `${rt}.PublishOptions`, hasQuestionToken: true },
          ],
          returnType: `Promise<${rt}.PublishResult>`,
        },
      ],
    },
  ];
}

function producerDeclarations(model: ProducerModel): Statement[] {
  const { producer } = model;
  const eventTypes = model.methods.map((m) => stringLiteral(m.event.event.eventType));
  const routes = Object.fromEntries(
    model.methods.map(({ route }) => [
      route.eventType,
      { topic: route.topic, ...(route.partitionKey === undefined ? {} : { partitionKey: route.partitionKey }), retry: route.retry },
    ]),
  );
  const name = stringLiteral(producer.name);
  const methods: MethodDeclarationStructure[] = model.methods.map(({ method, event, route }) => ({
    kind: StructureKind.Method,
    name: method,
    docs: docs(
      `Publishes ${quoted(route.eventType)} to ${quoted(route.topic)}` +
        (route.partitionKey === undefined ? " without a key" : `, keyed by payload field ${quoted(route.partitionKey)}`) +
        `; up to ${route.retry.max_retries} retries (${route.retry.backoff_strategy}, from ${route.retry.initial_delay} ms).`,
    ),
    parameters: [
      { name: "payload", type: event.payload },
      { name: "options", type: `${rt}.PublishOptions`, hasQuestionToken: true },
    ],
    returnType: `Promise<${rt}.PublishResult>`,
    statements: [`return this.#runtime.publish(${name}, ${stringLiteral(route.eventType)}, payload, options);`],
  }));
  methods.push({
    kind: StructureKind.Method,
    name: "publish",
    docs: docs("Publishes any event of this producer, chosen by its event_type."),
    typeParameters: [{ name: "T", constraint: model.eventTypeAlias }],
    parameters: [
      { name: "eventType", type: "T" },
      { name: "payload", type: 'EventTypeMap[T]["payload"]' },
      { name: "options", type: `${rt}.PublishOptions`, hasQuestionToken: true },
    ],
    returnType: `Promise<${rt}.PublishResult>`,
    statements: [`return this.#runtime.publish(${name}, eventType, payload, options);`],
  });
  const declaration: ClassDeclarationStructure = {
    kind: StructureKind.Class,
    name: model.className,
    isExported: true,
    docs: docs(`Producer ${quoted(producer.name)} on ${producer.broker}` + (producer.topicPrefix === undefined ? "." : ` (topic prefix ${quoted(producer.topicPrefix)}).`)),
    properties: [
      { name: "producerName", isStatic: true, isReadonly: true, initializer: name },
      { name: "routes", isStatic: true, isReadonly: true, initializer: `${tsLiteral(routes)} as const` },
      { name: "#runtime", isReadonly: true, type: `${rt}.MessagingRuntime` },
    ],
    ctors: [{ parameters: [{ name: "runtime", type: `${rt}.MessagingRuntime` }], statements: ["this.#runtime = runtime;"] }],
    methods,
  };
  return [
    {
      kind: StructureKind.TypeAlias,
      name: model.eventTypeAlias,
      isExported: true,
      docs: docs(`Event types producer ${quoted(producer.name)} publishes.`),
      type: unionOf(eventTypes),
    },
    declaration,
  ];
}
