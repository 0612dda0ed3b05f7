// The ES module source of many ajv validators, as ajv's `standaloneCode(ajv, refs)` writes it, built in linear
// time. ajv's own multiExportsCode appends each export to one growing code object, copying every item written
// so far (`code.push(...items)`) per export: quadratic, and at a few thousand events the spread exceeds the call
// stack (RangeError). This is that function (ajv 8, MIT licence) with the exports' code collected in an array
// and joined once; each validator's own code and the shared definitions (written once, tracked in
// `usedValues`) are exactly ajv's.
import { createRequire } from "node:module";
type Ajv = InstanceType<typeof import("ajv/dist/2020.js").default>;
import type { SourceCode } from "ajv/dist/types/index.js";
import type { UsedScopeValues, UsedValueState, ValueScopeName } from "ajv/dist/compile/codegen/scope.js";

const require = createRequire(import.meta.url);
const code = require("ajv/dist/compile/codegen/code") as typeof import("ajv/dist/compile/codegen/code.js");
const scope = require("ajv/dist/compile/codegen/scope") as typeof import("ajv/dist/compile/codegen/scope.js");

type Code = InstanceType<typeof code._Code>;

/** `refs`: export name -> schema id, as for standaloneCode. The ajv instance must have code.source and code.esm. */
export function standaloneModule(ajv: Ajv, refs: Readonly<Record<string, string>>): string {
  const { _n } = ajv.scope.opts;
  const usedValues: UsedScopeValues = {};
  const parts: string[] = ['"use strict";'];
  for (const name in refs) {
    const v = ajv.getSchema(refs[name]!);
    if (!v) throw new Error(`moduleCode: no schema with id ${refs[name]}`);
    const source = v.source;
    if (source === undefined) throw new Error('moduleCode: function does not have "source" property');
    const vCode = validateCode(source);
    parts.push(`${_n}export const ${code.getEsmExportName(name)} = ${source.validateName};${_n}${vCode}`);
  }
  return parts.join("");

  function validateCode(s: SourceCode): Code {
    if (usedState(s.validateName) === scope.UsedValueState.Completed) return code.nil;
    setUsedState(s.validateName, scope.UsedValueState.Started);
    const scopeCode = ajv.scope.scopeCode(s.scopeValues, usedValues, refValidateCode);
    const validate = new code._Code(`${scopeCode}${_n}${s.validateCode}`);
    return s.evaluated ? code._`${validate}${s.validateName}.evaluated = ${s.evaluated};${_n}` : validate;
  }

  function refValidateCode(n: ValueScopeName): Code | undefined {
    const vRef = n.value?.ref as unknown;
    if (n.prefix === "validate" && typeof vRef == "function") {
      return validateCode((vRef as unknown as { source: SourceCode }).source);
    }
    if ((n.prefix === "root" || n.prefix === "wrapper") && typeof vRef == "object" && vRef !== null) {
      const { validate, validateName } = vRef as { validate?: { source?: SourceCode }; validateName?: ValueScopeName };
      if (!validateName) throw new Error("ajv internal error");
      const def = ajv.opts.code.es5 ? scope.varKinds.var : scope.varKinds.const;
      const wrapper = code._`${def} ${n} = {validate: ${validateName}};`;
      if (usedState(validateName) === scope.UsedValueState.Started) return wrapper;
      const source = validate?.source;
      if (source === undefined) throw new Error('moduleCode: function does not have "source" property');
      return code._`${wrapper}${_n}${validateCode(source)}`;
    }
    return undefined;
  }

  function usedState(name: ValueScopeName): UsedValueState | undefined {
    return usedValues[name.prefix]?.get(name);
  }

  function setUsedState(name: ValueScopeName, state: UsedValueState): void {
    const names = (usedValues[name.prefix] ??= new Map());
    names.set(name, state);
  }
}
