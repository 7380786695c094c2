import ExcelJS from "exceljs";
import type { Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { isoInZone } from "@/lib/time/calendar";
import { isoDay } from "@/lib/time/calendar-input";
import { getReceipt, type Receipt } from "./queries";
import { formatCaseNumber } from "./offboard-person";

/** Labels for the file, in the reader's language (the route passes the translator's strings). */
export type ReceiptLabels = {
  caseSheet: string;
  systemsSheet: string;
  field: (key: string) => string;
  state: (state: string) => string;
  columns: string[];
};

/** Exporting a receipt is audited, like every export of the trail's evidence. */
export async function recordReceiptExport(tx: Tx, actor: Actor, caseId: string): Promise<Receipt> {
  assertCan(actor, "offboarding:read");
  const receipt = await getReceipt(caseId);
  if (!receipt) throw new DomainError("NOT_FOUND");
  await recordAuditEvent(tx, actor, {
    action: "offboarding.exported",
    target: { type: "offboarding-case", id: receipt.id },
    summary: { personId: receipt.person.id, format: "xlsx" },
  });
  return receipt;
}

const iso = (d: Date | null) => (d ? isoInZone(d) : "");

/**
 * The receipt as an .xlsx: a "case" sheet (who, why, when, what the portal ended, the two times) and
 * a "systems" sheet (one row per account: what was asked, its state and when). Every cell a string
 * or a number, never a formula; times ISO 8601 in the portal's time zone.
 */
export async function receiptWorkbook(r: Receipt, labels: ReceiptLabels): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  const info = wb.addWorksheet(labels.caseSheet);
  const rows: [string, string | number][] = [
    ["number", formatCaseNumber(r.number)],
    ["person", `${r.person.name} (${r.person.employeeNo})`],
    ["department", r.person.orgUnit],
    ["status", r.status],
    ["source", r.source],
    ["vendor", r.vendorName ?? ""],
    ["reason", r.reason],
    ["requestedBy", r.requestedBy ?? ""],
    ["requestedAt", iso(r.requestedAt)],
    ["lastWorkingDay", isoDay(r.lastWorkingDay) ?? ""],
    ["effective", iso(r.effectiveAt)],
    ["executed", iso(r.executedAt)],
    ["timeToZeroMs", r.portalMs ?? ""],
    ["lastConfirmedAt", iso(r.lastConfirmedAt)],
    ["timeToConfirmedMs", r.allConfirmedMs ?? ""],
    ...(r.counts ? (Object.entries(r.counts) as [string, number][]) : []),
  ];
  for (const [k, v] of rows) info.addRow([labels.field(k), v]);
  info.getColumn(1).width = 36;
  info.getColumn(2).width = 48;
  const systems = wb.addWorksheet(labels.systemsSheet);
  systems.addRow(labels.columns);
  for (const l of r.lines) {
    systems.addRow([
      l.systemCode,
      l.systemName,
      l.loginName,
      l.connector ?? "",
      Object.entries(l.asked)
        .map(([op, n]) => `${op} ×${n}`)
        .join(", "),
      labels.state(l.state),
      l.attempts,
      iso(l.sentAt),
      iso(l.taskDoneAt),
      iso(l.confirmedAt),
      l.lastError ?? "",
      l.taskNote ?? "",
    ]);
  }
  return Buffer.from(await wb.xlsx.writeBuffer());
}
