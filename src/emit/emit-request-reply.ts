// request-reply.ts: request and reply body types, a typed client per exchange and the server handler types.
import { StructureKind, type InterfaceDeclarationStructure, type TypeAliasDeclarationStructure } from "ts-morph";
import type { EmitModel, ExchangeModel } from "./model.js";
import { contextType, defined, docs, readonlyProperty, rt, runtimeTypesImport, typeImport } from "./common.js";
import type { Statement } from "./print.js";
import { objectMembers, schemaToType } from "./schema-to-ts.js";
import { propertyName, quoted, stringLiteral } from "./text.js";

export function emitRequestReply(model: EmitModel): Statement[] {
  return [
    runtimeTypesImport(),
    ...defined([typeImport("producers", model.exchanges.length > 0 ? [contextType] : [])]),
    ...model.exchanges.flatMap(exchangeDeclarations),
    {
      kind: StructureKind.Interface,
      name: "RequestHandlers",
      isExported: true,
      docs: docs("A server for every request_reply exchange, by exchange name; an app that misses one does not compile."),
      properties: model.exchanges.map((x) => readonlyProperty(propertyName(x.exchange.name), x.server)),
    },
  ];
}

function bodyType(name: string, schema: unknown, about: string): InterfaceDeclarationStructure | TypeAliasDeclarationStructure {
  const members = objectMembers(schema);
  if (members === undefined) return { kind: StructureKind.TypeAlias, name, isExported: true, docs: docs(about), type: schemaToType(schema) };
  return {
    kind: StructureKind.Interface,
    name,
    isExported: true,
    docs: docs(about),
    properties: members.map((m) => readonlyProperty(m.name, m.type, m.optional)),
  };
}

function exchangeDeclarations(model: ExchangeModel): Statement[] {
  const x = model.exchange;
  const name = stringLiteral(x.name);
  return [
    bodyType(model.request, x.requestSchema, `Request of exchange ${quoted(x.name)} (topic ${quoted(x.requestTopic)}).`),
    bodyType(model.reply, x.replySchema, `Reply of exchange ${quoted(x.name)} (topic ${quoted(x.replyTopic)}).`),
    {
      kind: StructureKind.TypeAlias,
      name: model.server,
      isExported: true,
      docs: docs(`Answers requests of exchange ${quoted(x.name)}; the reply is validated before it is sent.`),
      type: `(request: ${model.request}, context: ${contextType}) => Promise<${model.reply}>`,
    },
    {
      kind: StructureKind.Class,
      name: model.client,
      isExported: true,
      docs: docs(`Client of exchange ${quoted(x.name)} on ${x.broker}: timeout ${x.timeout} ms, up to ${x.retry.max_retries} retries.`),
      properties: [
        { name: "exchange", isStatic: true, isReadonly: true, initializer: name },
        { name: "#runtime", isReadonly: true, type: `${rt}.MessagingRuntime` },
      ],
      ctors: [{ parameters: [{ name: "runtime", type: `${rt}.MessagingRuntime` }], statements: ["this.#runtime = runtime;"] }],
      methods: [
        {
          kind: StructureKind.Method,
          name: "request",
          docs: docs("Sends a request and resolves with the validated reply, or rejects on timeout."),
          parameters: [
            { name: "payload", type: model.request },
            { name: "options", type: `${rt}.RequestOptions`, hasQuestionToken: true },
          ],
          returnType: `Promise<${model.reply}>`,
          // The runtime validated the reply against reply:<exchange> before resolving.
          statements: [`return this.#runtime.request(${name}, payload, options) as Promise<${model.reply}>;`],
        },
      ],
    },
  ];
}
