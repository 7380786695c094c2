import { readdirSync } from "node:fs";
import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

// Layers run one way: app → components → lib/<domain> → lib/policy → lib/settings → lib/authz → lib/db
// (docs/decisions/0026). Shared plumbing below every layer: lib/db.ts, lib/sql.ts, lib/csv.ts, lib/errors.ts,
// lib/validation.ts, lib/time/, lib/audit/ (the one audit writer), lib/generated/.
const FRAMEWORK = {
  group: ["next/*", "next", "next-auth", "next-auth/*", "next-intl/*"],
  message: "Use cases must not depend on Next.js; keep framework code in app/ or lib/http.",
};
const BELOW_DOMAINS = new Set(["policy", "settings", "authz", "audit", "time", "generated"]);
const DOMAINS = readdirSync(new URL("./lib", import.meta.url), { withFileTypes: true })
  .filter((d) => d.isDirectory() && !BELOW_DOMAINS.has(d.name))
  .map((d) => d.name);
const upward = (layer, above) => ({
  group: [...above.map((d) => `@/lib/${d}/*`), "@/components/*", "@/app/*", "../*"],
  message: `${layer} must not import a layer above it: app → components → lib/<domain> → lib/policy → lib/settings → lib/authz → lib/db (import what is below as @/lib/…).`,
});
// The cursor helper is plain data (no framework); ReasonInput moves out of lib/people (issue 10 §2).
const SHARED_HELPERS = ["!@/lib/http/cursor", "!@/lib/people/schemas"];
const REASON_ONLY = {
  group: ["@/lib/people/schemas"],
  allowImportNames: ["ReasonInput"],
  message: "Only ReasonInput, until it moves to lib/validation.ts.",
};
const layer = (files, name, above, ignores = []) => ({
  files,
  ignores,
  rules: {
    "no-restricted-imports": [
      "error",
      { patterns: [FRAMEWORK, { ...upward(name, above), group: [...upward(name, above).group, ...SHARED_HELPERS] }, REASON_ONLY] },
    ],
  },
});

const config = [
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    ignores: [
      "tmp/**",
      "node_modules/**",
      ".next/**",
      ".next-*/**",
      ".data/**",
      "lib/generated/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
    },
  },
  {
    // Use cases never import the framework: server actions, jobs, the seed and tests share them.
    files: ["lib/**/*.ts"],
    ignores: ["lib/auth/get-actor.ts", "lib/auth/auth-config.ts", "lib/auth/sign-out-current.ts", "lib/http/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["next/*", "next", "next-auth", "next-auth/*", "next-intl/*"],
              message: "Use cases must not depend on Next.js; keep framework code in app/ or lib/http.",
            },
          ],
        },
      ],
    },
  },
  layer(["lib/policy/**/*.ts"], "lib/policy", DOMAINS),
  layer(["lib/settings/**/*.ts"], "lib/settings", ["policy", ...DOMAINS]),
  layer(["lib/authz/**/*.ts"], "lib/authz", ["policy", "settings", "audit", ...DOMAINS]),
  {
    // Domains never reach up into the UI.
    files: ["lib/**/*.ts"],
    ignores: [
      "lib/policy/**",
      "lib/settings/**",
      "lib/authz/**",
      "lib/auth/get-actor.ts",
      "lib/auth/auth-config.ts",
      "lib/auth/sign-out-current.ts",
      "lib/http/**",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [FRAMEWORK, { group: ["@/components/*", "@/app/*"], message: "lib/ sits below components/ and app/." }] },
      ],
    },
  },
  {
    // One text schema for every input (issue 9 §4): lib/validation.ts text() refuses control characters.
    files: ["lib/**/*.ts", "app/**/*.ts", "app/**/*.tsx", "components/**/*.tsx"],
    ignores: ["lib/validation.ts", "lib/env.ts", "lib/generated/**"],
    rules: {
      "no-restricted-syntax": [
        "error",
        {
          selector: "CallExpression[callee.object.name='z'][callee.property.name='string']",
          message: "Use text() from @/lib/validation (it refuses NUL and other control characters) instead of z.string().",
        },
      ],
    },
  },
];

export default config;
