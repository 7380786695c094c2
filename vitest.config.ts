import path from "node:path";
import { defineConfig } from "vitest/config";

const root = import.meta.dirname;

// tests/setup-clock.ts comes first: a pinned clock (PORTAL_CLOCK_AT / PORTAL_CLOCK_OFFSET_MS, decision
// 0018) shifts Date in each worker before any test or portal module reads it.
const setupFiles = [path.join(root, "tests/setup-clock.ts"), path.join(root, "tests/setup-env.ts")];

export default defineConfig({
  resolve: { alias: { "@": root } },
  test: {
    projects: [
      {
        extends: true,
        test: {
          name: "unit",
          include: ["tests/unit/**/*.test.ts"],
          environment: "node",
          setupFiles,
        },
      },
      {
        extends: true,
        test: {
          name: "integration",
          include: ["tests/integration/**/*.test.ts"],
          environment: "node",
          setupFiles,
          // Files share one database; factories make unique rows, but security settings are global.
          fileParallelism: false,
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});
