import { getDb, inTransaction, type Tx } from "@/lib/db";

/**
 * A deterministic overlap: the first transaction does its work and stays open until the second is
 * seen waiting for a lock (pg_stat_activity), then commits. Without that lock the second would not
 * wait, and the first commits after a few seconds anyway.
 */
export function staggered<A, B>(first: (tx: Tx) => Promise<A>, second: (tx: Tx) => Promise<B>): [Promise<A>, Promise<B>] {
  let firstDone!: () => void;
  const firstDidItsWork = new Promise<void>((resolve) => (firstDone = resolve));
  const a = inTransaction(async (tx) => {
    const result = await first(tx);
    firstDone();
    await someoneWaitsForALock();
    return result;
  });
  const b = (async () => {
    await firstDidItsWork.catch(() => {});
    return inTransaction(second);
  })();
  a.catch(() => firstDone());
  return [a, b];
}

export async function someoneWaitsForALock(timeoutMs = 5000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const [row] = await getDb().$queryRaw<{ n: number }[]>`
      SELECT count(*)::int AS n FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'`;
    if (row && row.n > 0) return true;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return false;
}
