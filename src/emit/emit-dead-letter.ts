// dead-letter.ts: the DLQ configuration as typed constants, typed handlers per DLQ handler group (with the
// categories it declares), the work-queue worker type and a typed sender for the work queue.
import { StructureKind, VariableDeclarationKind } from "ts-morph";
import type { EmitModel } from "./model.js";
import { contextType, defined, docs, readonlyProperty, rt, runtimeTypesImport, typeImport, unionOf, valueImport } from "./common.js";
import type { Statement } from "./print.js";
import { templateStatements } from "./templates.js";
import { tsLiteral, quoted, stringLiteral } from "./text.js";

const allCategories = ["validation_error", "timeout_error", "system_error"];

export function emitDeadLetter(model: EmitModel): Statement[] {
  const dl = model.deadLetter;
  if (dl === undefined) {
    return ["// This configuration has no dead_letter_queue block.", "export {};"];
  }
  const { deadLetter } = dl;
  const workEnvelopes = dl.workEvents.map((e) => e.envelope);
  const typedWork = dl.workEvents.length > 0;
  const statements: Statement[] = [
    runtimeTypesImport(),
    ...defined([
      typeImport("events", [...workEnvelopes, "AnyEventEnvelope", ...(typedWork ? ["EventTypeMap"] : [])]),
      typeImport("producers", [contextType]),
      valueImport("validators", ["validators"]),
    ]),
    {
      kind: StructureKind.VariableStatement,
      isExported: true,
      declarationKind: VariableDeclarationKind.Const,
      docs: docs("The work queue, its dead-letter queue and their policies (retry_delay ms, message_retention s)."),
      declarations: [
        {
          name: "deadLetterQueue",
          initializer: `${tsLiteral({ broker: deadLetter.broker, mainQueue: deadLetter.mainQueue, dlqQueue: deadLetter.dlqQueue })} as const`,
        },
      ],
    },
    // TypedDeadLetter and validEnvelope(): fixed code, cloned from templates/dead-letter.ts.
    ...templateStatements("dead-letter"),
  ];
  for (const handler of dl.handlers) {
    const group = deadLetter.handlers[handler.index]!;
    const declared = Object.keys(group.error_categories).sort();
    statements.push(
      {
        kind: StructureKind.TypeAlias,
        name: handler.categoryAlias,
        isExported: true,
        docs: docs(
          declared.length === 0
            ? `Handler group ${quoted(group.group)} declares no error categories: every category.`
            : `Error categories handler group ${quoted(group.group)} declares an action for.`,
        ),
        type: unionOf((declared.length === 0 ? allCategories : declared).map(stringLiteral)),
      },
      {
        kind: StructureKind.VariableStatement,
        isExported: true,
        declarationKind: VariableDeclarationKind.Const,
        docs: docs(`Handler group ${quoted(group.group)}: concurrency, timeout (ms), category actions and UI settings.`),
        declarations: [{ name: handler.configConst, initializer: `${tsLiteral(group)} as const` }],
      },
      {
        kind: StructureKind.TypeAlias,
        name: handler.name,
        isExported: true,
        docs: docs(`Handles dead-lettered messages for group ${quoted(group.group)} (concurrency ${group.concurrency}, timeout ${group.timeout} ms).`),
        type: `(letter: TypedDeadLetter, context: ${contextType}) => Promise<void>`,
      },
    );
  }
  statements.push(
    {
      kind: StructureKind.Interface,
      name: "DeadLetterHandlers",
      isExported: true,
      docs: docs("Every dead_letter_queue handler group; an app that misses one does not compile."),
      properties: dl.handlers.map((h) => readonlyProperty(h.name, h.name)),
    },
    {
      kind: StructureKind.TypeAlias,
      name: "WorkQueueEventType",
      isExported: true,
      docs: docs(`Event types the work queue ${quoted(deadLetter.mainQueue.name)} carries.`),
      type: typedWork ? unionOf(dl.workEvents.map((e) => stringLiteral(e.event.eventType))) : "string",
    },
    {
      kind: StructureKind.TypeAlias,
      name: "WorkQueueEnvelope",
      isExported: true,
      type: typedWork ? unionOf(workEnvelopes) : `${rt}.Envelope`,
    },
    {
      kind: StructureKind.TypeAlias,
      name: "WorkQueueHandler",
      isExported: true,
      docs: docs(
        `Processes work queue ${quoted(deadLetter.mainQueue.name)}: after ${deadLetter.mainQueue.max_retries} retries ` +
          `(${deadLetter.mainQueue.retry_delay} ms apart) a message goes to ${quoted(deadLetter.mainQueue.dlq_name)}.`,
      ),
      type: `(envelope: WorkQueueEnvelope, context: ${contextType}) => Promise<void>`,
    },
    {
      kind: StructureKind.Class,
      name: "WorkQueueSender",
      isExported: true,
      docs: docs(`Sends work to queue ${quoted(deadLetter.mainQueue.name)}.`),
      properties: [{ name: "#runtime", isReadonly: true, type: `${rt}.MessagingRuntime` }],
      ctors: [{ parameters: [{ name: "runtime", type: `${rt}.MessagingRuntime` }], statements: ["this.#runtime = runtime;"] }],
      methods: [
        {
          kind: StructureKind.Method,
          name: "enqueue",
          ...(typedWork ? { typeParameters: [{ name: "T", constraint: "WorkQueueEventType" }] } : {}),
          parameters: [
            { name: "eventType", type: typedWork ? "T" : "string" },
            { name: "payload", type: typedWork ? 'EventTypeMap[T]["payload"]' : "unknown" },
            { name: "options", type: `${rt}.PublishOptions`, hasQuestionToken: true },
          ],
          returnType: `Promise<${rt}.PublishResult>`,
          statements: ["return this.#runtime.enqueueWork(eventType, payload, options);"],
        },
      ],
    },
  );
  return statements;
}
