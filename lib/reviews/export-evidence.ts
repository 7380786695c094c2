import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { open, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { randomUUID } from "node:crypto";
import ExcelJS from "exceljs";
import { getDb, type Tx } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { assertCan } from "@/lib/authz/can";
import { DomainError } from "@/lib/errors";
import { recordAuditEvent } from "@/lib/audit/record-audit-event";
import { csvCell, csvStream, type CsvPage } from "@/lib/csv";
import { isoInZone } from "@/lib/time/calendar";
import type { PrismaClient } from "@/lib/generated/prisma/client";
import { getCampaign, type CampaignHeader } from "./campaign-queries";
import { remediationOf } from "./remediation";
import { formatCampaignNumber } from "./schemas";

// What auditors ask for (issue 12 §7): per item the person, system, role, each stage's reviewer and
// decision (time, source, comment, time spent), the final decision and what applying it did, with its
// confirmation (remediation). Three forms: CSV (streamed), XLSX, and one evidence file (CSV with the
// campaign's frozen settings first) whose SHA-256 is recorded in the audit trail in the transaction
// that produced it. Every export is audited ("review.evidence-exported" {format, sha256?, rows}).

type Db = Tx | PrismaClient;

export const EXPORT_PAGE = 1000;
const STAGES = 3;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Column titles and value names in the reader's language (the route passes its translations). */
export type ExportLabels = {
  column: (key: string, stage?: number) => string;
  campaign: (key: string) => string;
  source: (source: string) => string;
  result: (state: string) => string;
  applyState: (state: string) => string;
  yes: string;
  no: string;
};

const ITEM_COLUMNS = [
  "item",
  "employeeNo",
  "person",
  "department",
  "employmentType",
  "system",
  "account",
  "role",
  "sensitive",
  "recommendation",
];
const STAGE_COLUMNS = ["stageReviewer", "stageDecision", "stageTime", "stageSource", "stageComment", "stageSpentMs"];
const FINAL_COLUMNS = [
  "decision",
  "newEndsAt",
  "comment",
  "decidedBy",
  "decidedAt",
  "source",
  "applyState",
  "appliedAt",
  "applyError",
  "result",
  "confirmedAt",
];

export function exportHead(labels: ExportLabels): string[] {
  return [
    ...ITEM_COLUMNS.map((k) => labels.column(k)),
    ...Array.from({ length: STAGES }, (_, s) => STAGE_COLUMNS.map((k) => labels.column(k, s + 1))).flat(),
    ...FINAL_COLUMNS.map((k) => labels.column(k)),
  ];
}

type StageDecision = {
  stage: number;
  reviewer: string | null;
  decision: string;
  at: string;
  source: string;
  comment: string | null;
  spentMs: number | null;
};

type ExportRow = {
  id: string;
  facts: {
    person?: { employeeNo?: string; name?: string; orgUnit?: string; employmentType?: string } | null;
    account?: { loginName?: string } | null;
    system?: { code?: string } | null;
    grant?: { code?: string; roles?: { code?: string }[] } | null;
  };
  isSensitive: boolean;
  recommendation: string | null;
  decision: string | null;
  newEndsAt: Date | null;
  comment: string | null;
  decidedBy: string | null;
  decidedAt: Date | null;
  source: string | null;
  applyState: string;
  appliedAt: Date | null;
  applyError: string | null;
  stages: StageDecision[] | null;
};

const iso = (d: Date | string | null | undefined) => (d ? isoInZone(typeof d === "string" ? new Date(d) : d) : "");

/** One page of items (keyset on id) as cells, with their remediation; `next` is the last id, or null at the end. */
export async function exportPage(
  campaignId: string,
  after: string | null,
  labels: ExportLabels,
  db: Db = getDb(),
): Promise<CsvPage<string>> {
  const rows = await db.$queryRaw<ExportRow[]>`
    SELECT i.id::text, i.facts, i.is_sensitive AS "isSensitive", i.recommendation, i.decision::text, i.new_ends_at AS "newEndsAt",
           i.comment, CASE WHEN db.id IS NULL THEN NULL ELSE db.name || ' (' || db.employee_no || ')' END AS "decidedBy",
           i.decided_at AS "decidedAt", i.decision_source::text AS source, i.apply_state::text AS "applyState",
           i.applied_at AS "appliedAt", i.apply_error AS "applyError",
           (SELECT jsonb_agg(jsonb_build_object(
                     'stage', d.stage,
                     'reviewer', CASE WHEN p.id IS NULL THEN NULL ELSE p.name || ' (' || p.employee_no || ')' END,
                     'decision', d.decision, 'at', d.created_at, 'source', d.source, 'comment', d.comment, 'spentMs', d.spent_ms)
                   ORDER BY d.stage)
            FROM review_item_decision d LEFT JOIN person p ON p.id = d.reviewer_id
            WHERE d.item_id = i.id) AS stages
    FROM review_item i
    LEFT JOIN person db ON db.id = i.decided_by_id
    WHERE i.campaign_id = ${campaignId}::uuid AND (${after}::uuid IS NULL OR i.id > ${after}::uuid)
    ORDER BY i.id
    LIMIT ${EXPORT_PAGE}`;
  const remediation = await remediationOf(
    rows.filter((r) => r.applyState === "APPLIED").map((r) => r.id),
    db,
  );
  const cells = rows.map((r) => {
    const f = r.facts ?? {};
    const role = f.grant?.code ?? (f.grant?.roles ?? []).map((x) => x.code).join(", ");
    const byStage = new Map((r.stages ?? []).map((s) => [s.stage, s]));
    const stageCells = Array.from({ length: STAGES }, (_, s) => {
      const d = byStage.get(s);
      return d
        ? [d.reviewer ?? "", d.decision, iso(d.at), labels.source(d.source), d.comment ?? "", d.spentMs ?? ""]
        : ["", "", "", "", "", ""];
    }).flat();
    const rem = remediation.get(r.id);
    return [
      r.id,
      f.person?.employeeNo ?? "",
      f.person?.name ?? "",
      f.person?.orgUnit ?? "",
      f.person?.employmentType ?? "",
      f.system?.code ?? "",
      f.account?.loginName ?? "",
      role,
      r.isSensitive ? labels.yes : labels.no,
      r.recommendation ?? "",
      ...stageCells,
      r.decision ?? "",
      iso(r.newEndsAt),
      r.comment ?? "",
      r.decidedBy ?? "",
      iso(r.decidedAt),
      r.source ? labels.source(r.source) : "",
      labels.applyState(r.applyState),
      iso(r.appliedAt),
      r.applyError ?? "",
      labels.result(rem?.state ?? "NONE"),
      iso(rem?.at ?? null),
    ];
  });
  return { cells, next: rows.length === EXPORT_PAGE ? rows[rows.length - 1]!.id : null };
}

/** The campaign the actor may export (reviews:manage over all its systems), or NOT_FOUND. */
async function campaignFor(actor: Actor, campaignId: string, db: Db): Promise<CampaignHeader> {
  assertCan(actor, "reviews:manage");
  const campaign = UUID.test(campaignId) ? await getCampaign(actor, campaignId, db) : null;
  if (!campaign) throw new DomainError("NOT_FOUND");
  return campaign;
}

function campaignBlock(c: CampaignHeader, labels: ExportLabels, actorName: string, now: Date) {
  return [
    ["number", "name", "status", "startedAt", "deadlineAt", "closedAt", "items", "settings", "exportedAt", "exportedBy"].map((k) =>
      labels.campaign(k),
    ),
    [
      formatCampaignNumber(c.number),
      c.name,
      c.status,
      iso(c.startedAt),
      iso(c.deadlineAt),
      iso(c.closedAt),
      c.itemCount,
      JSON.stringify(c.settings),
      iso(now),
      actorName,
    ],
  ];
}

const actorName = (actor: Actor) => (actor.kind === "person" ? `${actor.name} (${actor.employeeNo})` : actor.name);

/** The CSV export, audited before the first byte, then streamed page by page (flat memory). */
export async function csvExport(tx: Tx, actor: Actor, campaignId: string, labels: ExportLabels) {
  const campaign = await campaignFor(actor, campaignId, tx);
  await recordAuditEvent(tx, actor, {
    action: "review.evidence-exported",
    target: { type: "review-campaign", id: campaign.id },
    summary: { number: formatCampaignNumber(campaign.number), format: "csv", rows: campaign.itemCount },
  });
  return {
    campaign,
    stream: () => csvStream<string>(exportHead(labels), (after) => exportPage(campaign.id, after, labels)),
  };
}

/** The XLSX export (a campaign sheet and an items sheet), hashed and audited in one transaction. */
export async function xlsxExport(
  tx: Tx,
  actor: Actor,
  campaignId: string,
  labels: ExportLabels & { sheet: string; campaignSheet: string },
  now = new Date(),
) {
  const campaign = await campaignFor(actor, campaignId, tx);
  const wb = new ExcelJS.Workbook();
  const info = wb.addWorksheet(labels.campaignSheet);
  const [keys, values] = campaignBlock(campaign, labels, actorName(actor), now);
  keys!.forEach((k, i) => info.addRow([k, values![i]]));
  info.getColumn(1).width = 28;
  info.getColumn(2).width = 60;
  const sheet = wb.addWorksheet(labels.sheet);
  sheet.addRow(exportHead(labels));
  let after: string | null = null;
  let rows = 0;
  for (;;) {
    const page: CsvPage<string> = await exportPage(campaign.id, after, labels, tx);
    for (const cells of page.cells) sheet.addRow(cells.map((c) => (typeof c === "number" ? c : String(c ?? ""))));
    rows += page.cells.length;
    if (page.next === null) break;
    after = page.next;
  }
  const file = Buffer.from(await wb.xlsx.writeBuffer());
  const sha256 = createHash("sha256").update(file).digest("hex");
  await recordAuditEvent(tx, actor, {
    action: "review.evidence-exported",
    target: { type: "review-campaign", id: campaign.id },
    summary: { number: formatCampaignNumber(campaign.number), format: "xlsx", sha256, rows },
  });
  return { campaign, file, sha256, rows };
}

/**
 * The evidence file: one CSV (the campaign's record with its frozen settings, a blank line, then every
 * item with each stage's decision and the result), written to a temporary file page by page while it
 * is hashed, and its SHA-256 recorded in the audit trail in the same transaction. The caller streams
 * the file and removes it (`cleanup`).
 */
export async function evidenceExport(tx: Tx, actor: Actor, campaignId: string, labels: ExportLabels, now = new Date()) {
  const campaign = await campaignFor(actor, campaignId, tx);
  const path = join(tmpdir(), `review-evidence-${randomUUID()}.csv`);
  const hash = createHash("sha256");
  const handle = await open(path, "w", 0o600);
  let rows = 0;
  try {
    const write = async (lines: readonly (readonly unknown[])[]) => {
      const text = lines.map((cells) => `${cells.map(csvCell).join(",")}\r\n`).join("");
      const bytes = Buffer.from(text, "utf8");
      hash.update(bytes);
      await handle.write(bytes);
    };
    const bom = Buffer.from("\uFEFF", "utf8");
    hash.update(bom);
    await handle.write(bom);
    await write([...campaignBlock(campaign, labels, actorName(actor), now), [], exportHead(labels)]);
    let after: string | null = null;
    for (;;) {
      const page: CsvPage<string> = await exportPage(campaign.id, after, labels, tx);
      await write(page.cells);
      rows += page.cells.length;
      if (page.next === null) break;
      after = page.next;
    }
  } catch (error) {
    await handle.close();
    await rm(path, { force: true });
    throw error;
  }
  await handle.close();
  const sha256 = hash.digest("hex");
  try {
    await recordAuditEvent(tx, actor, {
      action: "review.evidence-exported",
      target: { type: "review-campaign", id: campaign.id },
      summary: { number: formatCampaignNumber(campaign.number), format: "evidence", sha256, rows },
    });
  } catch (error) {
    await rm(path, { force: true });
    throw error;
  }
  return {
    campaign,
    path,
    sha256,
    rows,
    cleanup: () => rm(path, { force: true }),
    /** The file as a web stream that removes it once read (or cancelled). */
    stream: (): ReadableStream<Uint8Array> => {
      const node = createReadStream(path);
      node.on("close", () => void rm(path, { force: true }));
      return Readable.toWeb(node) as ReadableStream<Uint8Array>;
    },
  };
}
