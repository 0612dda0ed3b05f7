// The one declarative spec of every block and key (see ./types.ts for its shape, ./blocks/* for content).
export type * from "./types.js";
export { rootSpec, blockNames } from "./root.js";
export { keysAt, lookupSpec, specPaths, type SpecPath } from "./lookup.js";
export { materialize, materializeProgram, fromDefault, type Json } from "./materialize.js";
export { mergeBlocks, type MergedBlock } from "./merge-blocks.js";
export * from "./field-types.js";
export { brokerKinds } from "./define.js";
