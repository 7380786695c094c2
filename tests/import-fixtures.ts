/**
 * Shared by the per-system import tests (slave accounts, last logins, grants): a preview's errors,
 * reading an export, and the checks every system import makes the same way. Built on tests/factories.ts.
 */
import { expect } from "vitest";
import { inTransaction } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import type { Table } from "@/lib/imports/read-table";
import { SystemImportInvalidError, type SystemImportPreview } from "@/lib/imports/system-import";
import { recordSystemExport, systemExportStream, type ExportFormat, type ExportWhat } from "@/lib/imports/system-export";
import { auditMark, auditSince, expectDomainError, makeActor, makeSystem, rejectionOf } from "./factories";

/** A preview's or a commit's step of one import, as the tests call it. */
export type ImportStep = (actor: Actor, systemId: string, table: Table) => Promise<unknown>;

/** A preview's errors, one `{ line, field, code }` each, in row order. */
export const errorsOf = (p: SystemImportPreview) =>
  p.rows.flatMap((r) => r.errors.map((e) => ({ line: r.line, field: e.field, code: e.code })));

export async function streamBytes(stream: ReadableStream<Uint8Array>): Promise<Buffer> {
  const chunks: Uint8Array[] = [];
  const reader = stream.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}

/**
 * An export as the route makes it: recorded (authorized and audited) as `actor`, then streamed.
 * Returns the audit rows the recording wrote and the file's bytes.
 */
export async function exportFile(actor: Actor, systemId: string, what: ExportWhat, format: ExportFormat) {
  const mark = await auditMark();
  await inTransaction((tx) => recordSystemExport(tx, actor, { systemId, what, format }));
  const audit = await auditSince(mark);
  return { audit, bytes: await streamBytes(systemExportStream(systemId, what, format)) };
}

/** Committing a file the preview found invalid: refused with the preview's errors, and no audit row. */
export async function expectCommitRefused(commit: () => Promise<unknown>, checked: SystemImportPreview): Promise<void> {
  const mark = await auditMark();
  const error = await rejectionOf(commit());
  expect(error).toBeInstanceOf(SystemImportInvalidError);
  expect(errorsOf((error as SystemImportInvalidError).preview)).toEqual(errorsOf(checked));
  expect(await auditSince(mark)).toEqual([]);
}

/** Another system's account administrator and a security officer are refused (FORBIDDEN) both steps. */
export async function expectOutsidersRefused(systemId: string, table: Table, preview: ImportStep, commit: ImportStep): Promise<void> {
  const { actor: otherAdmin } = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: (await makeSystem()).id }]);
  const { actor: officer } = await makeActor(["SECURITY_OFFICER"]);
  for (const actor of [otherAdmin, officer]) {
    await expectDomainError(preview(actor, systemId, table), "FORBIDDEN");
    await expectDomainError(commit(actor, systemId, table), "FORBIDDEN");
  }
}
