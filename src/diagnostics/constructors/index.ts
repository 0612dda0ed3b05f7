// Every diagnostic constructor, one function per code (see ../codes.ts), grouped by the stage that reports it.
export * from "./syntax.js";
export * from "./structure.js";
export * from "./semantic.js";
export * from "./cli.js";
export * from "./emit.js";
