// The formats generated validators check with: ajv-formats' full formats, with date-time and uuid replaced by
// equivalent faster checks (./formats/date-time.ts, ./formats/uuid.ts). Generated validators.ts imports this module as `ajvFormats`
// and reads `ajvFormats.fullFormats[name]`, as ajv's standalone code does with ajv-formats itself.
import { createRequire } from "node:module";
import { isDateTime } from "./formats/date-time.js";
import { isUuid } from "./formats/uuid.js";

interface FormatDefinition {
  readonly validate: ((value: string) => boolean) | RegExp;
  readonly compare?: (a: string, b: string) => number | undefined;
}
type Format = FormatDefinition | RegExp | ((value: string) => boolean);

// ajv-formats is CommonJS; require() keeps its export shape under NodeNext.
const require = createRequire(import.meta.url);
const ajvFormats = require("ajv-formats/dist/formats.js") as { fullFormats: Record<string, Format> };
const dateTime = ajvFormats.fullFormats["date-time"] as FormatDefinition;

export const fullFormats: Record<string, Format> = {
  ...ajvFormats.fullFormats,
  "date-time": { validate: isDateTime, ...(dateTime.compare === undefined ? {} : { compare: dateTime.compare }) },
  uuid: { validate: isUuid },
};

/**
 * The formats whose checks differ from ajv-formats' (as objects, so ajv standalone code references them through
 * `ajvFormats.fullFormats[name]` instead of inlining ajv-formats' regular expression). The compiler and
 * compileValidators add these to their ajv instance.
 */
export const fasterFormats = { "date-time": fullFormats["date-time"] as FormatDefinition, uuid: fullFormats["uuid"] as FormatDefinition };

export { isDateTime, isUuid };

export default { fullFormats };
