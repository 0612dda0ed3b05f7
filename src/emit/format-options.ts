// Prettier settings shared by the in-thread formatter and the worker, so both give identical output.
import type { Options } from "prettier";

export const prettierOptions: Options = { parser: "typescript", printWidth: 120 };

/** A small module with the constructs the generator emits, formatted once to warm prettier up. */
export const warmUpSample = [
  'import type * as hypc from "@hypc/runtime";',
  'import type { A, B } from "./events.js";',
  "/** Doc. */",
  "export interface P { readonly a: string; readonly b?: number; readonly c: readonly (string)[] }",
  'export type H = (envelope: A | B, context: hypc.HandlerContext) => Promise<void>;',
  "export class C { static readonly n = \"x\"; readonly #r: hypc.MessagingRuntime; constructor(r: hypc.MessagingRuntime) { this.#r = r; }",
  '  m<T extends "a" | "b">(t: T, p: unknown, o?: hypc.PublishOptions): Promise<hypc.PublishResult> { return this.#r.publish("x", t, p, o); } }',
  "export function f(o: { readonly h: H }): void { const x = { a: (e: A, c: hypc.HandlerContext) => o.h(e as A, c) }; void x; }",
].join("\n");
