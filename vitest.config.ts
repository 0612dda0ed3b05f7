import { configDefaults, defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "runtime/test/**/*.test.ts"],
    // Tests that stop a shared broker for everyone run alone: `npm run test:disruptive` (CI runs it after npm test).
    exclude: [...configDefaults.exclude, "**/*.disruptive.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Broker suites share real servers; files run in parallel workers, tests inside a file in order.
    pool: "forks",
  },
});
