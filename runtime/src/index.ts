export type * from "./topology.js";
export type * from "./transport.js";
export type * from "./api.js";
export type * from "./adapters/context.js";
export * from "./errors.js";
