// Issue 14 §3: a bulk action is one audit event with an item per grant, account or person it touched.
// The trail's filter finds the event by any of them, a bulk event's items are keyset-paged, and the CSV
// export carries the items and the newest signed checkpoint.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { recordAuditEvent, recordBulkAuditEvent } from "@/lib/audit/record-audit-event";
import {
  AUDIT_ITEMS_PAGE_SIZE,
  AUDIT_PAGE_SIZE,
  auditPage,
  AuditFilter,
  listAuditEvents,
  listAuditItems,
  listPersonHistory,
} from "@/lib/audit/queries";
import { auditCsvStream } from "@/lib/audit/export-csv";
import { writeAuditCheckpoint } from "@/lib/audit/checkpoint";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import type { AuditItemInput } from "@/lib/audit/items";
import { FACTORY, makePerson } from "../factories";

const TZ = "Asia/Shanghai";

async function bulk(items: AuditItemInput[], action: "grant.revoked" | "slave-account.disabled" = "grant.revoked"): Promise<bigint> {
  return inTransaction((tx) =>
    recordBulkAuditEvent(
      tx,
      FACTORY,
      { action, target: { type: "person", id: null }, summary: { cause: "test", count: items.length } },
      items,
    ),
  );
}

function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(cell);
      cell = "";
    } else if (c === "\r" && text[i + 1] === "\n") {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = "";
      i++;
    } else cell += c;
  }
  return rows;
}

async function csvOf(filter: AuditFilter): Promise<string[][]> {
  const text = await new Response(auditCsvStream(AuditFilter.parse(filter), TZ, 3)).text();
  return parseCsv(text.replace(/^\uFEFF/, ""));
}

describe("bulk audit events and their items", () => {
  const checkpointDir = fs.mkdtempSync(path.join(os.tmpdir(), "audit-items-"));
  const previousFile = process.env.AUDIT_CHECKPOINT_FILE;
  beforeAll(() => {
    process.env.AUDIT_CHECKPOINT_FILE = path.join(checkpointDir, "checkpoints.jsonl");
  });
  afterAll(() => {
    if (previousFile === undefined) delete process.env.AUDIT_CHECKPOINT_FILE;
    else process.env.AUDIT_CHECKPOINT_FILE = previousFile;
  });

  it("are found by any grant, account or person they touched, an employee number included, with the other filters", async () => {
    const holder = await makePerson();
    const [g1, g2, account] = [randomUUID(), randomUUID(), randomUUID()];
    const revoked = await bulk([
      { kind: "grant", subjectId: g1, personId: holder.person.id, detail: { roleCode: "R1" } },
      { kind: "grant", subjectId: g2, personId: holder.person.id, detail: { roleCode: "R2" } },
    ]);
    const disabled = await bulk([{ kind: "slave-account", subjectId: account, personId: holder.person.id }], "slave-account.disabled");
    // An ordinary event about the grant itself (its target).
    const direct = await inTransaction((tx) =>
      recordAuditEvent(tx, FACTORY, { action: "grant.created", target: { type: "grant", id: g1 } }),
    );

    const ids = async (filter: AuditFilter) => (await listAuditEvents(AuditFilter.parse(filter), TZ)).rows.map((r) => r.id);
    expect(await ids({ subject: g1 })).toEqual([direct, revoked]);
    expect(await ids({ subject: g2 })).toEqual([revoked]);
    expect(await ids({ subject: account })).toEqual([disabled]);
    // The person's own events (person.created…) are about them too, older than these.
    expect((await ids({ subject: holder.person.id })).slice(0, 2)).toEqual([disabled, revoked]);
    expect((await ids({ subject: holder.employeeNo })).slice(0, 2)).toEqual([disabled, revoked]);
    expect(await ids({ subject: g1, action: "grant.revoked" })).toEqual([revoked]);
    expect(await ids({ subject: randomUUID() })).toEqual([]);
    // The person's page lists the bulk events that name them in an item.
    expect((await listPersonHistory(holder.person.id)).map((r) => r.id)).toEqual(expect.arrayContaining([revoked, disabled]));

    // Keyset pages of one.
    const first = await auditPage(AuditFilter.parse({ subject: g1 }), TZ, { size: 1 });
    expect(first).toMatchObject({ rows: [{ id: direct }], more: true });
    const second = await auditPage(AuditFilter.parse({ subject: g1 }), TZ, { size: 1, cursor: direct });
    expect(second).toMatchObject({ rows: [{ id: revoked }], more: false });
  });

  it("finds an older matching event past a round of 500 newer candidates that the other filters reject", async () => {
    const grant = randomUUID();
    const older = await bulk([{ kind: "grant", subjectId: grant, personId: null }]);
    await inTransaction(async (tx) => {
      for (let i = 0; i < 520; i++)
        await recordAuditEvent(tx, FACTORY, { action: "settings.updated", target: { type: "grant", id: grant } });
    });
    const page = await listAuditEvents(AuditFilter.parse({ subject: grant, action: "grant.revoked" }), TZ);
    expect(page).toEqual({ rows: [expect.objectContaining({ id: older })], nextCursor: null });
    expect((await listAuditEvents(AuditFilter.parse({ subject: grant }), TZ)).rows).toHaveLength(AUDIT_PAGE_SIZE);
  });

  it("pages a bulk event's items by position, and the summary stays bounded however many there are", async () => {
    const items: AuditItemInput[] = Array.from({ length: 120 }, (_, i) => ({
      kind: "grant",
      subjectId: randomUUID(),
      personId: null,
      detail: { n: i },
    }));
    const id = await bulk(items);
    const event = await getDb().auditEvent.findUniqueOrThrow({ where: { id } });
    expect(JSON.stringify(event.summary).length).toBeLessThan(300);
    const p1 = await listAuditItems(id);
    expect(p1.items.map((i) => i.subjectId)).toEqual(items.slice(0, AUDIT_ITEMS_PAGE_SIZE).map((i) => i.subjectId));
    const seen = [...p1.items];
    let after = p1.nextAfter;
    let pages = 1;
    while (after !== null) {
      const next = await listAuditItems(id, after);
      seen.push(...next.items);
      after = next.nextAfter;
      pages++;
    }
    expect(seen.map((i) => i.subjectId)).toEqual(items.map((i) => i.subjectId));
    expect(pages).toBe(Math.ceil(120 / AUDIT_ITEMS_PAGE_SIZE));
    // Nonsense cursors start from the first item rather than failing.
    expect((await listAuditItems(id, "x'; DROP")).items[0]!.subjectId).toBe(items[0]!.subjectId);
    expect(await verifyAuditChain(getDb())).toMatchObject({ ok: true });
  });

  it("the CSV export has a line per item after its event and ends with the newest signed checkpoint", async () => {
    const holder = await makePerson();
    const grants = Array.from({ length: 7 }, () => randomUUID());
    const id = await bulk(grants.map((g) => ({ kind: "grant", subjectId: g, personId: holder.person.id, detail: { roleCode: "R" } })));
    const checkpoint = await writeAuditCheckpoint(new Date());
    const lines = await csvOf({ subject: grants[3]! });
    const header = lines[0]!;
    const col = (name: string) => header.indexOf(name);
    expect(header.slice(-6)).toEqual(["record", "item_position", "item_kind", "item_subject_id", "item_person_id", "item_detail"]);
    expect(lines.slice(1).map((l) => l[col("record")])).toEqual(["event", ...grants.map(() => "item"), "checkpoint"]);
    expect(lines[1]![col("id")]).toBe(id.toString());
    const itemLines = lines.slice(2, 2 + grants.length);
    expect(itemLines.map((l) => [l[col("id")], l[col("item_kind")], l[col("item_subject_id")], l[col("item_person_id")]])).toEqual(
      grants.map((g) => [id.toString(), "grant", g, holder.person.id]),
    );
    const last = lines.at(-1)!;
    expect(JSON.parse(last[col("summary")]!)).toEqual(checkpoint);
    expect(last[col("hash")]).toBe(checkpoint.hash);
  });
});
