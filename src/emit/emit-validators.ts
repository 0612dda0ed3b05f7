// validators.ts: ajv standalone code for every event envelope and request/reply body, compiled now so that
// no schema is compiled and no `new Function` runs at run time. Ajv's ids are generated (`s0`, `s1`, …) and
// never user strings: ajv writes ids into comments, where a `*/` in an event type would end the comment.
import { createRequire } from "node:module";
import type { Diagnostic } from "../diagnostics/diagnostic.js";
import { schemaNotCompilable } from "../diagnostics/constructors/emit.js";
import type { EmitModel } from "./model.js";
import type { Locator } from "./locate.js";
import { standaloneModule } from "./standalone.js";
import { propertyName, stringLiteral } from "./text.js";

// ajv and ajv-formats are CommonJS; createRequire keeps their typings and avoids ESM default-export quirks.
const require = createRequire(import.meta.url);
const Ajv2020 = (require("ajv/dist/2020") as typeof import("ajv/dist/2020.js")).default;
const { _ } = require("ajv") as typeof import("ajv");
const addFormats = (require("ajv-formats") as typeof import("ajv-formats")).default;
const ajvFormatsUuid = (require("ajv-formats/dist/formats.js") as { fullFormats: { uuid: RegExp } }).fullFormats.uuid;

interface SchemaEntry {
  readonly key: string;
  readonly schema: object;
  /** Where to point a diagnostic: the event, exchange… as named in the configuration. */
  readonly owner: string;
}

export interface ValidatorsOutput {
  readonly code: string;
  readonly keys: readonly string[];
}

const formatsBinding = "ajvFormats";

export function emitValidators(model: EmitModel, locate: Locator, diagnostics: Diagnostic[]): ValidatorsOutput {
  const entries: SchemaEntry[] = [
    ...model.events.map((e) => ({ key: `event:${e.event.eventType}`, schema: e.event.schema, owner: e.event.name })),
    ...model.topology.requestReply.flatMap((x) => [
      { key: `request:${x.name}`, schema: x.requestSchema, owner: x.name },
      { key: `reply:${x.name}`, schema: x.replySchema, owner: x.name },
    ]),
  ];
  const ajv = new Ajv2020({
    code: { source: true, esm: true, formats: _`ajvFormats.fullFormats` },
    allErrors: true,
    strict: false,
  });
  addFormats(ajv);
  referenceFormatsByName(ajv);
  const exports: Record<string, string> = {};
  const compiled: { key: string; binding: string }[] = [];
  const shared = new SharedSubschemas(ajv);
  entries.forEach((entry, index) => {
    const id = `s${index}`;
    const { $id: _ignored, $schema: _dialect, ...whole } = entry.schema as Record<string, unknown>;
    const schema = shared.factorMetadata(whole);
    try {
      ajv.addSchema(schema, id);
      ajv.getSchema(id); // compiles now, so a broken schema is reported here and left out
      exports[`v${index}`] = id;
      compiled.push({ key: entry.key, binding: `v${index}` });
    } catch (error) {
      ajv.removeSchema(id);
      diagnostics.push(schemaNotCompilable(entry.key, conciseReason(error), locate(entry.owner)));
    }
  });
  const ajvCode = compiled.length === 0 ? "" : standaloneModule(ajv, exports);
  return { code: toEsm(ajvCode, compiled), keys: compiled.map((c) => c.key) };
}

/**
 * ajv standalone code inlines a format given as a regular expression and references a format given as an object
 * (`ajvFormats.fullFormats[name].validate`). The runtime's formats module (runtime/src/formats.ts) replaces
 * ajv-formats' uuid regular expression with a faster equivalent check, so uuid is registered here as an object
 * with the same decisions: the generated code then calls the runtime's check. (date-time is an object already.)
 */
function referenceFormatsByName(ajv: InstanceType<typeof Ajv2020>): void {
  ajv.addFormat("uuid", { validate: (s: string) => ajvFormatsUuid.test(s) });
}

/** Ajv lists one problem per failing branch, often the same one many times: keep each once, and keep it short. */
function conciseReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  const prefix = /^schema is invalid: /.exec(message)?.[0] ?? "";
  const unique = prefix + [...new Set(message.slice(prefix.length).split(/,\s+(?=data)/))].join("; ");
  return unique.length > 300 ? unique.slice(0, 297) + "..." : unique;
}

/**
 * Every event envelope repeats the same metadata schema; compiled inline it would be repeated in the output
 * for every event (about a third of the code). Identical metadata subschemas are registered once and
 * referenced, so ajv emits one function for them.
 */
class SharedSubschemas {
  private readonly ids = new Map<string, string>();
  constructor(private readonly ajv: InstanceType<typeof Ajv2020>) {}

  factorMetadata(schema: Record<string, unknown>): Record<string, unknown> {
    const properties = schema["properties"];
    if (typeof properties !== "object" || properties === null) return schema;
    const metadata = (properties as Record<string, unknown>)["metadata"];
    if (typeof metadata !== "object" || metadata === null || "$id" in metadata) return schema;
    const key = JSON.stringify(metadata);
    let id = this.ids.get(key);
    if (id === undefined) {
      id = `m${this.ids.size}`;
      try {
        this.ajv.addSchema(metadata, id);
      } catch {
        return schema; // compiled inline instead, where a problem is reported against the event
      }
      this.ids.set(key, id);
    }
    return { ...schema, properties: { ...(properties as Record<string, unknown>), metadata: { $ref: id } } };
  }
}

/**
 * Ajv's `esm: true` still writes `require(...)` for its runtime helpers (ajv issue #2209). Each such call
 * becomes a default import of the CommonJS module (its module.exports), which is what require returned.
 */
function toEsm(ajvCode: string, compiled: readonly { key: string; binding: string }[]): string {
  const imports = new Map<string, string>();
  let body = ajvCode.replace(/^"use strict";/, "").replace(/export const (v\d+) = /g, "const $1 = ");
  body = body.replace(/require\("([^"]+)"\)/g, (_match, module: string) => {
    const specifier = module.endsWith(".js") ? module : `${module}.js`;
    let binding = imports.get(specifier);
    if (binding === undefined) {
      binding = `ajvRuntime${imports.size}`;
      imports.set(specifier, binding);
    }
    return binding;
  });
  const importLines = [
    `import type { ValidatorMap } from "@hypc/runtime";`,
    // ajv-formats' full formats, with faster equivalent date-time and uuid checks (runtime/src/formats.ts).
    ...(body.includes(formatsBinding) ? [`import ${formatsBinding} from "@hypc/runtime/formats";`] : []),
    ...[...imports].map(([specifier, binding]) => `import ${binding} from ${stringLiteral(specifier)};`),
  ];
  const map = compiled.map((c) => `  ${propertyName(c.key)}: ${c.binding},`).join("\n");
  return [
    ...importLines,
    "",
    body,
    "",
    "/** Validators by schema id: `event:<event_type>`, `request:<exchange>`, `reply:<exchange>`. */",
    `export const validators: ValidatorMap = {\n${map}\n};`,
    "",
  ].join("\n");
}
