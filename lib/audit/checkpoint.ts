import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { getDb } from "@/lib/db";
import { auditKey, hmacHex, sameHex, type AuditKey } from "./seal";

/**
 * Signed checkpoints of the audit chain's head, appended to a file outside the database
 * (docs/decisions/0025). Each line is one JSON object; `sig` is an HMAC with AUDIT_SIGNING_KEY over the
 * other fields and `prev` the SHA-256 of the previous line, so lines cannot be edited, reordered or
 * dropped from the middle unnoticed. audit:verify checks the rows against them: a rewritten row changes
 * the hash at the next checkpoint, missing newest rows leave a checkpoint pointing past the end.
 */
export interface AuditCheckpoint {
  v: 1;
  /** The database the chain lives in (current_database()). */
  database: string;
  /** When the checkpoint was written (the `now` given). */
  at: string;
  /** The chain head: the newest row's id and hash (null for an empty trail). */
  lastId: string | null;
  hash: string | null;
  /** SHA-256 of the previous line of the file ("" for the first). */
  prev: string;
  keyId: string;
  sig: string;
}

/** AUDIT_CHECKPOINT_FILE, default `.data/audit-checkpoints.jsonl` under the working directory. */
export function checkpointFile(): string {
  // turbopackIgnore: a file chosen at run time, not a part of the build to trace.
  return path.resolve(/*turbopackIgnore: true*/ process.env.AUDIT_CHECKPOINT_FILE || path.join(".data", "audit-checkpoints.jsonl"));
}

function signedPart(c: Omit<AuditCheckpoint, "sig">): string {
  return JSON.stringify([c.v, c.database, c.at, c.lastId, c.hash, c.prev, c.keyId]);
}

function sha256(text: string): string {
  return createHash("sha256").update(text, "utf8").digest("hex");
}

function lines(file: string): string[] {
  if (!fs.existsSync(file)) return [];
  return fs
    .readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");
}

/**
 * Appends a signed checkpoint of the current chain head. Called at start, after audit:verify and
 * periodically by the jobs. Returns the checkpoint written.
 */
export async function writeAuditCheckpoint(
  now: Date,
  opts: { db?: PrismaClient; file?: string; key?: AuditKey } = {},
): Promise<AuditCheckpoint> {
  const db = opts.db ?? getDb();
  const file = opts.file ?? checkpointFile();
  const key = opts.key ?? auditKey();
  const [head] = await db.$queryRaw<{ id: bigint | null; hash: string | null; database: string }[]>`
    SELECT (SELECT id FROM audit_event ORDER BY id DESC LIMIT 1) AS id,
           (SELECT hash FROM audit_event ORDER BY id DESC LIMIT 1) AS hash,
           current_database() AS database`;
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const fd = fs.openSync(/*turbopackIgnore: true*/ file, "a+", 0o600);
  try {
    // Written by one process at a time (start, audit:verify, the periodic job on one worker); concurrent
    // writers could both link to the same previous line, which the verifier would report as a broken link.
    const previous = lines(file).at(-1);
    const body = {
      v: 1 as const,
      database: head!.database,
      at: now.toISOString(),
      lastId: head!.id === null ? null : head!.id.toString(),
      hash: head!.hash,
      prev: previous ? sha256(previous) : "",
      keyId: key.id,
    };
    const checkpoint: AuditCheckpoint = { ...body, sig: hmacHex(key, signedPart(body)) };
    fs.writeSync(fd, `${JSON.stringify(checkpoint)}\n`);
    fs.fsyncSync(fd);
    return checkpoint;
  } finally {
    fs.closeSync(fd);
  }
}

export type CheckpointProblem = { line: number; problem: "unreadable" | "bad-signature" | "unknown-key" | "broken-link" };

/** Reads and checks a checkpoint file: every line's signature and its link to the line before. */
export function readAuditCheckpoints(file: string, key: AuditKey): { checkpoints: AuditCheckpoint[]; problems: CheckpointProblem[] } {
  const checkpoints: AuditCheckpoint[] = [];
  const problems: CheckpointProblem[] = [];
  let previous = "";
  lines(file).forEach((text, i) => {
    const line = i + 1;
    let c: AuditCheckpoint;
    try {
      c = JSON.parse(text) as AuditCheckpoint;
    } catch {
      problems.push({ line, problem: "unreadable" });
      previous = text;
      return;
    }
    if (c.prev !== (previous ? sha256(previous) : "")) problems.push({ line, problem: "broken-link" });
    previous = text;
    if (c.keyId !== key.id) return void problems.push({ line, problem: "unknown-key" });
    const { sig, ...body } = c;
    if (typeof sig !== "string" || !sameHex(sig, hmacHex(key, signedPart(body))))
      return void problems.push({ line, problem: "bad-signature" });
    checkpoints.push(c);
  });
  return { checkpoints, problems };
}

/** The newest valid checkpoint for `database`, for exports. */
export function latestAuditCheckpoint(database: string, opts: { file?: string; key?: AuditKey } = {}): AuditCheckpoint | null {
  const { checkpoints } = readAuditCheckpoints(opts.file ?? checkpointFile(), opts.key ?? auditKey());
  return checkpoints.filter((c) => c.database === database).at(-1) ?? null;
}
