import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "runtime/test/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Broker suites share real servers; files run in parallel workers, tests inside a file in order.
    pool: "forks",
  },
});
