// index.ts: createMessaging() wires the Topology, the validators and the app's typed handlers onto one
// runtime instance and returns typed producers, channel publishers, request clients and the work queue.
// Handlers are adapted to the runtime's generic signatures with one cast each: the runtime validates every
// message against its event's schema before a handler sees it, which is what makes the cast true.
import { StructureKind } from "ts-morph";
import type { EmitModel } from "./model.js";
import { defined, docs, readonlyProperty, rt, runtimeTypesImport, typeImport, valueImport } from "./common.js";
import { handlerEnvelopeType } from "./emit-handlers.js";
import type { Statement } from "./print.js";
import { propertyName } from "./text.js";

export const generatedModules = ["events", "topology", "validators", "producers", "consumers", "request-reply", "pub-sub", "dead-letter"] as const;

export function emitIndex(model: EmitModel): Statement[] {
  const dl = model.deadLetter;
  const sections: { name: string; type: string; doc: string }[] = [];
  if (model.eventHandlers.length > 0) sections.push({ name: "events", type: "EventHandlers", doc: "Consumer slots and pub/sub subscribers." });
  if (model.exchanges.length > 0) sections.push({ name: "requests", type: "RequestHandlers", doc: "request_reply servers by exchange." });
  if (dl !== undefined) {
    sections.push({ name: "deadLetters", type: "DeadLetterHandlers", doc: "dead_letter_queue handler groups." });
    sections.push({ name: "workQueue", type: "WorkQueueHandler", doc: "The worker of the dead_letter_queue main queue." });
  }

  const registry: string[] = [];
  if (model.eventHandlers.length > 0) {
    // Explicit parameter types: the registry's value type is a union of two function types, which gives no
  // contextual parameter types.
  const entries = model.eventHandlers.map((h) => {
      const envelope = handlerEnvelopeType(model, h.eventTypes);
      const call = h.batch
        ? `(envelopes: readonly ${rt}.Envelope[], context: ${rt}.HandlerContext) => events.${h.name}(envelopes as readonly (${envelope})[], context)`
        : `(envelope: ${rt}.Envelope, context: ${rt}.HandlerContext) => events.${h.name}(envelope as ${envelope}, context)`;
      return `${h.name}: ${call},`;
    });
    registry.push(`events: {\n${entries.join("\n")}\n},`);
  }
  if (model.exchanges.length > 0) {
    const entries = model.exchanges.map((x) => {
      const key = propertyName(x.exchange.name);
      const access = key === x.exchange.name ? `requests.${key}` : `requests[${key}]`;
      return `${key}: (request, context) => ${access}(request as ${x.request}, context),`;
    });
    registry.push(`requests: {\n${entries.join("\n")}\n},`);
  }
  if (dl !== undefined) {
    registry.push(
      `deadLetters: {\n${dl.handlers.map((h) => `${h.name}: (letter, context) => deadLetters.${h.name}(letter as TypedDeadLetter, context),`).join("\n")}\n},`,
    );
    registry.push("workQueue: (envelope, context) => options.handlers.workQueue(envelope as WorkQueueEnvelope, context),");
  }
  const bindings = [
    model.eventHandlers.length > 0 ? "const events = options.handlers.events;" : "",
    model.exchanges.length > 0 ? "const requests = options.handlers.requests;" : "",
    dl !== undefined ? "const deadLetters = options.handlers.deadLetters;" : "",
  ].filter((line) => line !== "");

  const messagingMembers = [
    readonlyProperty("runtime", `${rt}.MessagingRuntime`, false, "The runtime instance, for what the typed façade does not cover."),
    readonlyProperty("producers", `{ ${model.producers.map((p) => `readonly ${p.property}: ${p.className};`).join(" ")} }`),
    readonlyProperty("channels", `{ ${model.channels.map((c) => `readonly ${c.property}: ${c.publisherClass};`).join(" ")} }`),
    readonlyProperty("requests", `{ ${model.exchanges.map((x) => `readonly ${x.property}: ${x.client};`).join(" ")} }`),
    ...(dl === undefined ? [] : [readonlyProperty("workQueue", "WorkQueueSender")]),
  ];
  const result = [
    "runtime,",
    `producers: { ${model.producers.map((p) => `${p.property}: new ${p.className}(runtime),`).join(" ")} },`,
    `channels: { ${model.channels.map((c) => `${c.property}: new ${c.publisherClass}(runtime),`).join(" ")} },`,
    `requests: { ${model.exchanges.map((x) => `${x.property}: new ${x.client}(runtime),`).join(" ")} },`,
    ...(dl === undefined ? [] : ["workQueue: new WorkQueueSender(runtime),"]),
    "start: () => runtime.start(),",
    "stop: () => runtime.stop(),",
  ];

  const envelopeImports = new Set<string>();
  for (const h of model.eventHandlers) for (const t of h.eventTypes) { const e = model.eventsByType.get(t); if (e) envelopeImports.add(e.envelope); }
  return [
    { kind: StructureKind.ImportDeclaration, namedImports: ["createRuntime"], moduleSpecifier: "@hypc/runtime" },
    runtimeTypesImport(),
    ...defined([
      typeImport("events", envelopeImports),
      typeImport("consumers", model.eventHandlers.length > 0 ? ["ConsumerHandlers"] : []),
      typeImport("pub-sub", model.eventHandlers.length > 0 ? ["SubscriberHandlers"] : []),
      typeImport("request-reply", [...(model.exchanges.length > 0 ? ["RequestHandlers"] : []), ...model.exchanges.map((x) => x.request)]),
      typeImport("dead-letter", dl === undefined ? [] : ["DeadLetterHandlers", "TypedDeadLetter", "WorkQueueEnvelope", "WorkQueueHandler"]),
      valueImport("topology", ["topology"]),
      valueImport("validators", ["validators"]),
      valueImport("producers", model.producers.map((p) => p.className)),
      valueImport("pub-sub", model.channels.map((c) => c.publisherClass)),
      valueImport("request-reply", model.exchanges.map((x) => x.client)),
      valueImport("dead-letter", dl === undefined ? [] : ["WorkQueueSender"]),
    ]),
    ...generatedModules.map((module) => ({ kind: StructureKind.ExportDeclaration as const, moduleSpecifier: `./${module}.js` })),
    ...(model.eventHandlers.length > 0
      ? [
          {
            kind: StructureKind.Interface as const,
            name: "EventHandlers",
            isExported: true,
            docs: docs("Every event handler slot: consumer slots and pub/sub subscribers."),
            extends: ["ConsumerHandlers", "SubscriberHandlers"],
          },
        ]
      : []),
    {
      kind: StructureKind.Interface,
      name: "Handlers",
      isExported: true,
      docs: docs("Everything the app implements. Every slot is required: a missing or mistyped handler does not compile."),
      properties: sections.map((s) => readonlyProperty(s.name, s.type, false, s.doc)),
    },
    {
      kind: StructureKind.Interface,
      name: "MessagingOptions",
      isExported: true,
      properties: [
        readonlyProperty("handlers", "Handlers"),
        readonlyProperty("transport", `${rt}.TransportMode | ${rt}.Transport`, true, "Default: env HYPC_TRANSPORT, else the embedded in-process broker."),
        readonlyProperty("env", "Readonly<Record<string, string | undefined>>", true, "Where env.NAME references are read; default process.env."),
        readonlyProperty("logger", `${rt}.Logger`, true),
        readonlyProperty("start", `${rt}.RuntimeOptions["start"]`, true, "Which consumers to run; default all."),
        readonlyProperty("instrumentation", `${rt}.RuntimeOptions["instrumentation"]`, true, "Observers of what the runtime does (metrics, tracing exporters)."),
        readonlyProperty("idempotencyStore", `${rt}.RuntimeOptions["idempotencyStore"]`, true, "Overrides the store chosen by exactly_once.idempotence.storage."),
      ],
    },
    {
      kind: StructureKind.Interface,
      name: "Messaging",
      isExported: true,
      properties: messagingMembers,
      methods: [
        { kind: StructureKind.MethodSignature, name: "start", returnType: "Promise<void>" },
        { kind: StructureKind.MethodSignature, name: "stop", returnType: "Promise<void>", docs: docs("Graceful: drains in-flight handlers, commits, closes.") },
      ],
    },
    {
      kind: StructureKind.Function,
      name: "createMessaging",
      isExported: true,
      docs: docs("Creates the runtime for this configuration with the app's handlers. Call start() to begin consuming."),
      parameters: [{ name: "options", type: "MessagingOptions" }],
      returnType: "Messaging",
      statements: [
        ...bindings,
        `const handlers: ${rt}.HandlerRegistry = {\n${registry.join("\n")}\n};`,
        "const runtime = createRuntime({",
        "topology, validators, handlers,",
        "...(options.transport === undefined ? {} : { transport: options.transport }),",
        "...(options.env === undefined ? {} : { env: options.env }),",
        "...(options.logger === undefined ? {} : { logger: options.logger }),",
        "...(options.start === undefined ? {} : { start: options.start }),",
        "...(options.instrumentation === undefined ? {} : { instrumentation: options.instrumentation }),",
        "...(options.idempotencyStore === undefined ? {} : { idempotencyStore: options.idempotencyStore }),",
        "});",
        `return {\n${result.join("\n")}\n};`,
      ],
    },
  ];
}
