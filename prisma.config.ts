import { defineConfig } from "prisma/config";

// The datasource URL is only needed by CLI commands that talk to a database; `prisma generate`
// runs without one. Migrations are applied by scripts/db/migrate.ts (see docs/decisions/0002).
export default defineConfig({
  schema: "prisma/schema",
  migrations: { path: "prisma/migrations" },
  datasource: { url: process.env.DATABASE_URL ?? "postgresql://localhost:5432/unused" },
});
