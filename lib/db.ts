import { PrismaPg } from "@prisma/adapter-pg";
import { Prisma, PrismaClient } from "@/lib/generated/prisma/client";
import { env } from "./env";

const globalForDb = globalThis as unknown as { portalDb?: PrismaClient };

// One client per process (kept on globalThis so dev hot reloads don't open new pools).
export function getDb(): PrismaClient {
  if (!globalForDb.portalDb) {
    const adapter = new PrismaPg({ connectionString: env().DATABASE_URL, max: env().DB_POOL_MAX });
    globalForDb.portalDb = new PrismaClient({ adapter });
  }
  return globalForDb.portalDb;
}

declare const txBrand: unique symbol;
// A transaction client. The brand makes the full client unassignable, so writers that demand a Tx
// (the audit writer, every use case) cannot be handed a connection outside a transaction.
export type Tx = Prisma.TransactionClient & { readonly [txBrand]: true };

const liveTransactions = new WeakSet<object>();

export function isTx(value: unknown): value is Tx {
  return typeof value === "object" && value !== null && liveTransactions.has(value);
}

export async function inTransaction<T>(
  fn: (tx: Tx) => Promise<T>,
  opts: { isolationLevel?: Prisma.TransactionIsolationLevel; timeoutMs?: number } = {},
): Promise<T> {
  return getDb().$transaction(
    async (tx) => {
      liveTransactions.add(tx);
      try {
        return await fn(tx as Tx);
      } finally {
        liveTransactions.delete(tx);
      }
    },
    { isolationLevel: opts.isolationLevel, timeout: opts.timeoutMs ?? 20_000, maxWait: 10_000 },
  );
}

export { Prisma };
