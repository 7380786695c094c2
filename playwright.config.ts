import { defineConfig } from "@playwright/test";
import { resolveChromium } from "./scripts/lib/chromium";
import { loadLocalSecrets } from "./scripts/lib/local-env";

// The tests write setup data through the use cases, with the same secrets as the server they start.
loadLocalSecrets();

// `npx playwright install` cannot download browsers here: use CHROMIUM_PATH, a system Chromium, or the one
// shipped in the npm package @sparticuz/chromium (see scripts/lib/chromium.ts). Resolved once per process;
// the first run on a machine unpacks the npm Chromium (~2 s), later runs reuse it.
const chromium = await resolveChromium();

const isCI = !!process.env.CI;
const port = process.env.E2E_PORT ?? "3100";
const baseURL = process.env.E2E_BASE_URL ?? `http://127.0.0.1:${port}`;

export default defineConfig({
  testDir: "e2e",
  workers: isCI ? 1 : undefined,
  retries: isCI ? 1 : 0,
  forbidOnly: isCI,
  reporter: "list",
  // Sign-in with a second factor may wait up to one TOTP period for a fresh code.
  timeout: 60_000,
  use: {
    baseURL,
    locale: "en-US",
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
  },
  projects: [
    {
      name: "chromium",
      use: {
        browserName: "chromium",
        launchOptions: {
          executablePath: chromium.executablePath,
          args: chromium.args,
        },
      },
    },
  ],
  // E2E_NO_SERVER=1: run against a server you started yourself (or tests that need none).
  webServer: process.env.E2E_NO_SERVER
    ? undefined
    : {
        command: "npx tsx scripts/e2e-server.ts",
        url: `http://127.0.0.1:${port}/api/health`,
        reuseExistingServer: !isCI,
        timeout: 300_000,
        stdout: "pipe",
        stderr: "pipe",
      },
});
