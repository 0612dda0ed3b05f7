// Dev/test helper: compiles the Topology's schemas into validators with ajv at run time. Generated code ships
// ajv *standalone* validators instead (no schema compilation at start-up); this is for tests and tools.
import { createRequire } from "node:module";
import type { Validator, ValidatorMap } from "../api.js";
import { fasterFormats } from "../formats.js";
import type { JsonSchema, Topology } from "../topology.js";

const require = createRequire(import.meta.url);

interface AjvLike {
  compile(schema: object): Validator;
  addFormat(name: string, format: object): void;
}

export function compileValidators(topology: Topology): ValidatorMap {
  // ajv and ajv-formats are CommonJS; require() keeps their default-export shapes simple under NodeNext.
  const Ajv2020 = (require("ajv/dist/2020.js") as { default: new (opts: object) => AjvLike }).default;
  const addFormats = (require("ajv-formats") as { default: (ajv: AjvLike) => void }).default;
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  addFormats(ajv);
  // The date-time and uuid checks generated validators use (same decisions as ajv-formats', faster).
  for (const [name, format] of Object.entries(fasterFormats)) ajv.addFormat(name, format);
  const compile = (schema: JsonSchema): Validator => ajv.compile(schema as object);
  const validators: Record<string, Validator> = {};
  for (const e of topology.events) validators[`event:${e.eventType}`] = compile(e.schema);
  for (const x of topology.requestReply) {
    validators[`request:${x.name}`] = compile(x.requestSchema);
    validators[`reply:${x.name}`] = compile(x.replySchema);
  }
  return validators;
}
