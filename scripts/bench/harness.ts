/**
 * Shared by the benchmark scripts: starts the scale database (scripts/bench/scale-db.ts), points the
 * app's env at it, builds the actors the pages would see, and times calls.
 *
 * Import order matters: lib/env.ts validates process.env on first use, so callers import lib modules
 * dynamically after `openScaleBench()`.
 */
import os from "node:os";
import type { PersonActor, RoleGrant } from "@/lib/authz/actor";
import { loadLocalSecrets } from "../lib/local-env";
import { startScaleDatabase, stopScaleOnSignals, type ScaleDatabase } from "./scale-db";

export type BenchOptions = {
  /** Connect with max_parallel_workers_per_gather = 0 (what the proposed setting would do). */
  noParallel?: boolean;
};

export async function openScaleBench(opts: BenchOptions = {}): Promise<ScaleDatabase> {
  // The portal's keys, as seed:scale used them: the pages decrypt personal data (decision 0019).
  loadLocalSecrets();
  process.env.LOG_LEVEL ??= "silent";
  const db = await startScaleDatabase();
  stopScaleOnSignals(db);
  const url = new URL(db.url);
  if (opts.noParallel) url.searchParams.set("options", "-c max_parallel_workers_per_gather=0");
  process.env.DATABASE_URL = url.toString();
  const { getDb } = await import("@/lib/db");
  const people = await getDb().person.count();
  if (people < 10_000) {
    await db.stop();
    throw new Error(`the scale database has ${people} people: run \`npm run seed:scale\` first`);
  }
  return db;
}

export async function closeScaleBench(db: ScaleDatabase): Promise<void> {
  const { getDb } = await import("@/lib/db");
  await getDb().$disconnect();
  await db.stop();
}

export type BenchActors = Awaited<ReturnType<typeof loadActors>>;

/** The portal-role holders the scale seed created, as the actors getActor() would build. */
export async function loadActors() {
  const { getDb } = await import("@/lib/db");
  const db = getDb();
  const assignments = await db.portalRoleAssignment.findMany({
    select: {
      role: true,
      systemId: true,
      orgUnitId: true,
      system: { select: { code: true } },
      orgUnit: { select: { code: true, path: true } },
      person: { select: { id: true, name: true, employeeNo: true, orgUnitId: true, account: { select: { id: true } } } },
    },
  });
  const actorFor = (pick: (a: (typeof assignments)[number]) => boolean, label: string): PersonActor => {
    const a = assignments.find(pick);
    if (!a) throw new Error(`no portal role holder for ${label} in the scale database`);
    const roles: RoleGrant[] = [{ role: a.role, systemId: a.systemId, orgUnitId: a.orgUnitId, orgUnitPath: a.orgUnit?.path ?? null }];
    return {
      kind: "person",
      personId: a.person.id,
      accountId: a.person.account?.id ?? a.person.id,
      name: a.person.name,
      employeeNo: a.person.employeeNo,
      orgUnitId: a.person.orgUnitId,
      sessionId: null,
      roles,
      ctx: { requestId: "bench", ip: null, userAgent: null },
    };
  };
  return {
    /** Global view of people, roster and audit. */
    officer: actorFor((a) => a.role === "SECURITY_OFFICER", "SECURITY_OFFICER"),
    /** ACCOUNT_ADMIN of SYS001, one of the ten large systems (~10,000 accounts). */
    adminLarge: actorFor((a) => a.role === "ACCOUNT_ADMIN" && a.system?.code === "SYS001", "ACCOUNT_ADMIN SYS001"),
    /** ACCOUNT_ADMIN of SYS150, a typical system (~1,000 accounts). */
    adminSmall: actorFor((a) => a.role === "ACCOUNT_ADMIN" && a.system?.code === "SYS150", "ACCOUNT_ADMIN SYS150"),
    /** APPROVER of division U0002 (one of 12 divisions: ~1/12 of the staff). */
    approverDivision: actorFor((a) => a.role === "APPROVER" && a.orgUnit?.code === "U0002", "APPROVER U0002"),
    /** APPROVER of department U0014 (one of 120 departments: ~700 people). */
    approverDepartment: actorFor((a) => a.role === "APPROVER" && a.orgUnit?.code === "U0014", "APPROVER U0014"),
  };
}

export type Stats = { name: string; runs: number; p50: number; p95: number; max: number; mean: number; rows?: number };

/** Times `fn` `runs` times after `warmup` untimed calls, one call at a time. */
export async function measure(
  name: string,
  fn: (i: number) => Promise<unknown>,
  opts: { runs?: number; warmup?: number } = {},
): Promise<Stats> {
  const runs = opts.runs ?? 30;
  const warmup = opts.warmup ?? 3;
  let rows: number | undefined;
  for (let i = 0; i < warmup; i++) rows = countRows(await fn(i));
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    const result = await fn(i);
    times.push(performance.now() - started);
    if (i === 0) rows = countRows(result);
  }
  times.sort((a, b) => a - b);
  const pct = (p: number) => times[Math.min(times.length - 1, Math.max(0, Math.ceil(p * times.length) - 1))] ?? NaN;
  return {
    name,
    runs,
    p50: pct(0.5),
    p95: pct(0.95),
    max: times[times.length - 1] ?? NaN,
    mean: times.reduce((s, t) => s + t, 0) / times.length,
    rows,
  };
}

function countRows(result: unknown): number | undefined {
  if (Array.isArray(result)) return result.length;
  if (result && typeof result === "object" && Array.isArray((result as { rows?: unknown }).rows))
    return (result as { rows: unknown[] }).rows.length;
  return undefined;
}

export function machineLine(): string {
  const cpu = os.cpus()[0]?.model ?? "unknown CPU";
  return `${os.cpus().length} × ${cpu}, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB RAM, Node ${process.version}, load average ${os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ")}`;
}

export function ms(value: number): string {
  return value >= 100 ? value.toFixed(0) : value.toFixed(1);
}
