/** Every file `hypc build` writes, always the same set (so `--check` can tell extra and missing files). */
export const generatedFileNames = [
  "events.ts",
  "topology.ts",
  "validators.ts",
  "producers.ts",
  "consumers.ts",
  "request-reply.ts",
  "pub-sub.ts",
  "dead-letter.ts",
  "index.ts",
] as const;
