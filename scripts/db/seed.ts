import { getDb, inTransaction } from "@/lib/db";
import { seedDemo } from "@/lib/seed/seed-demo";
import { loadLocalSecrets } from "../lib/local-env";
import { isMainModule, startDatabase, stopOnSignals } from "../lib/postgres";
import { migrateDatabase } from "./migrate";

/** Seeds the demo organisation when the database has no people yet. Returns whether it seeded. */
export async function seedIfEmpty(): Promise<boolean> {
  const db = getDb();
  if ((await db.person.count()) > 0) return false;
  const started = Date.now();
  const result = await inTransaction((tx) => seedDemo(tx), { timeoutMs: 300_000 });
  console.log(
    `[seed] demo organisation: ${result.units} org units, ${result.people} people, ${result.systems} business systems (${Date.now() - started} ms)`,
  );
  return true;
}

if (isMainModule(import.meta.url)) {
  loadLocalSecrets();
  const database = await startDatabase({ flavour: "app" });
  stopOnSignals(database);
  process.env.DATABASE_URL = database.url;
  try {
    await migrateDatabase(database);
    if (!(await seedIfEmpty())) console.log("[seed] the database already has people; nothing seeded");
  } finally {
    await getDb().$disconnect();
    await database.stop();
  }
}
