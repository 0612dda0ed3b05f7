export type * from "./topology.js";
export type * from "./transport.js";
export type * from "./api.js";
