import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

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
];

export default config;
