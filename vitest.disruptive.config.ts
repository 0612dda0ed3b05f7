import { defineConfig } from "vitest/config";

// Tests that restart a broker every other suite shares: run alone, one file at a time.
export default defineConfig({
  test: {
    include: ["**/*.disruptive.test.ts"],
    exclude: ["**/node_modules/**", "**/dist/**"],
    testTimeout: 180_000,
    hookTimeout: 120_000,
    pool: "forks",
    fileParallelism: false,
  },
});
