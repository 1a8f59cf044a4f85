import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

// Tests live in test/ only: fixtures/ holds scanned code, which may contain *.test.ts files of its own.
export default defineConfig({
  root: fileURLToPath(new URL("..", import.meta.url)),
  test: {
    include: ["test/**/*.test.ts"],
    globalSetup: ["test/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
  },
});
