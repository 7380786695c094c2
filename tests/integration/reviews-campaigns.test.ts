import { createHash } from "node:crypto";
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { describe, expect, it } from "vitest";
import type { z } from "zod";
import { getDb, inTransaction } from "@/lib/db";
import { defineReview } from "@/lib/reviews/define";
import { decideItem } from "@/lib/reviews/decide";
import { closeCampaign } from "@/lib/reviews/close-campaign";
import { csvExport, evidenceExport, xlsxExport, type ExportLabels } from "@/lib/reviews/export-evidence";
import type { ReviewDefinitionInput } from "@/lib/reviews/schemas";
import {
  campaignProgress,
  decisionsPerDay,
  getCampaign,
  listCampaigns,
  listDefinitions,
  qualitySignals,
  remediationSummary,
} from "@/lib/reviews/campaign-queries";
import { definitionErrorCodes, definitionInputFromForm } from "@/lib/reviews/campaign-form";
import { countAudit, expectDomainError, FACTORY, lastAuditRow, makeActor, makeOrgUnit, makePerson, uniq } from "../factories";
import { giveGrant, roleOnNewSystem } from "../access-fixtures";
import { setHead } from "../request-factories";

const DAY = 86_400_000;

/** A department with a head, two staff holding a sensitive role on a new system; an officer and the system's account administrator. */
async function scenario() {
  const department = await makeOrgUnit({ name: `Department ${uniq()}` });
  const head = await makePerson({ orgUnitId: department.id, name: `Head ${uniq()}` });
  const staff = await makePerson({ orgUnitId: department.id, name: `Staff ${uniq()}` });
  const other = await makePerson({ orgUnitId: department.id, name: `Other ${uniq()}` });
  await setHead(department.id, head.person.id);
  const sensitive = await roleOnNewSystem({ sensitivity: "EXTREME" });
  const { role: plain } = await (await import("../factories")).makeJobRole(FACTORY, sensitive.system.id, {});
  const staffGrant = await giveGrant(staff.person.id, sensitive.role.id, { endsAt: new Date(Date.now() + 60 * DAY) });
  const otherGrant = await giveGrant(other.person.id, sensitive.role.id, { endsAt: new Date(Date.now() + 60 * DAY) });
  await giveGrant(staff.person.id, plain.id);
  const officer = await makeActor(["SECURITY_OFFICER"]);
  const admin = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: sensitive.system.id }]);
  return { department, head, staff, other, system: sensitive.system, role: sensitive.role, staffGrant, otherGrant, officer, admin };
}
type Scenario = Awaited<ReturnType<typeof scenario>>;

function definition(s: Scenario, over: Partial<z.input<typeof ReviewDefinitionInput>> = {}): z.input<typeof ReviewDefinitionInput> {
  return {
    name: `Sensitive access ${uniq()}`,
    scope: { systemIds: [s.system.id], sensitiveOnly: true },
    stages: [{ strategy: "DEPARTMENT_HEAD" }],
    durationDays: 14,
    ...over,
  };
}

async function start(s: Scenario, over: Partial<z.input<typeof ReviewDefinitionInput>> = {}) {
  const done = await inTransaction((tx) => defineReview(tx, s.officer.actor, definition(s, over)));
  return { ...done, campaignId: done.campaign!.campaignId };
}

function form(fields: Record<string, string | string[]>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) f.append(k, one);
  return f;
}

describe("access review campaigns: list and scoping (issue 12 §8)", () => {
  it("an account administrator sees only campaigns whose systems are all theirs; officers see all", async () => {
    const s = await scenario();
    const mine = await start(s);
    const elsewhere = await roleOnNewSystem({ sensitivity: "EXTREME" });
    await giveGrant(s.staff.person.id, elsewhere.role.id);
    const foreign = await start(s, { scope: { systemIds: [elsewhere.system.id], sensitiveOnly: true } });
    const both = await start(s, { scope: { systemIds: [s.system.id, elsewhere.system.id], sensitiveOnly: true } });

    const adminIds = (await listCampaigns(s.admin.actor)).rows.map((r) => r.id);
    expect(adminIds).toContain(mine.campaignId);
    expect(adminIds).not.toContain(foreign.campaignId);
    expect(adminIds).not.toContain(both.campaignId);
    expect(await getCampaign(s.admin.actor, foreign.campaignId)).toBeNull();
    expect(await getCampaign(s.admin.actor, both.campaignId)).toBeNull();
    expect((await getCampaign(s.admin.actor, mine.campaignId))?.systemIds).toEqual([s.system.id]);
    const adminDefs = (await listDefinitions(s.admin.actor)).map((d) => d.id);
    expect(adminDefs).toContain(mine.definitionId);
    expect(adminDefs).not.toContain(foreign.definitionId);

    const officerIds = (await listCampaigns(s.officer.actor)).rows.map((r) => r.id);
    expect(officerIds.slice(0, 3)).toEqual([both.campaignId, foreign.campaignId, mine.campaignId]);
    const row = (await listCampaigns(s.officer.actor)).rows.find((r) => r.id === mine.campaignId)!;
    expect(row).toMatchObject({ status: "ACTIVE", itemCount: 2, decided: 0 });
  });

  it("pages newest first with a keyset cursor, and garbage cursors give the first page", async () => {
    const s = await scenario();
    for (let i = 0; i < 3; i++) await start(s);
    const first = await listCampaigns(s.officer.actor);
    const garbage = await listCampaigns(s.officer.actor, "not-a-cursor");
    expect(garbage.rows.map((r) => r.id)).toEqual(first.rows.map((r) => r.id));
    const sorted = [...first.rows].sort((a, b) => b.startedAt.getTime() - a.startedAt.getTime() || (a.id < b.id ? 1 : -1));
    expect(first.rows.map((r) => r.id)).toEqual(sorted.map((r) => r.id));
    if (first.nextCursor) {
      const next = await listCampaigns(s.officer.actor, first.nextCursor);
      expect(next.rows[0]!.startedAt.getTime()).toBeLessThanOrEqual(first.rows.at(-1)!.startedAt.getTime());
      expect(next.rows.map((r) => r.id)).not.toContain(first.rows.at(-1)!.id);
    }
  });
});

describe("access review campaigns: the definition form (issue 12 §1, bad input)", () => {
  async function refuse(s: Scenario, fields: Record<string, string | string[]>, actor = s.officer.actor) {
    const before = await getDb().reviewDefinition.count();
    const auditBefore = await countAudit({ action: "review.defined" });
    const error = await inTransaction((tx) => defineReview(tx, actor, definitionInputFromForm(form(fields)))).then(
      () => null,
      (e: unknown) => e,
    );
    expect(error, "the form was accepted").not.toBeNull();
    expect(await getDb().reviewDefinition.count()).toBe(before);
    expect(await countAudit({ action: "review.defined" })).toBe(auditBefore);
    return definitionErrorCodes(error)!;
  }
  const base = (s: Scenario) => ({
    name: `Form ${uniq()}`,
    "scope.systemIds": [s.system.id],
    "scope.sensitiveOnly": "on",
    stageCount: "1",
    "stages.0.strategy": "DEPARTMENT_HEAD",
    durationDays: "14",
  });

  it("accepts the form's fields and starts the campaign", async () => {
    const s = await scenario();
    const done = await inTransaction((tx) =>
      defineReview(tx, s.officer.actor, definitionInputFromForm(form({ ...base(s), escalateAfterDays: "", startOn: "" }))),
    );
    expect(done.campaign?.items).toBe(2);
    const def = await getDb().reviewDefinition.findUniqueOrThrow({ where: { id: done.definitionId } });
    expect(def).toMatchObject({
      inactiveDays: 90,
      remindDaysBefore: 3,
      escalateAfterDays: null,
      defaultDecision: "KEEP",
      riskyDefault: "END",
    });
  });

  it("refuses each bad input with the field's path, and writes nothing", async () => {
    const s = await scenario();
    expect((await refuse(s, { ...base(s), name: "" })).fields).toHaveProperty("name");
    expect((await refuse(s, { ...base(s), durationDays: "0" })).fields).toMatchObject({ durationDays: "too-small" });
    expect((await refuse(s, { ...base(s), durationDays: "abc" })).fields).toHaveProperty("durationDays");
    expect((await refuse(s, { ...base(s), "scope.systemIds": [], "scope.includeOrphans": "on" })).fields).toMatchObject({
      "scope.includeOrphans": "orphans-need-systems",
    });
    expect((await refuse(s, { ...base(s), "scope.includeOrphans": "on", "scope.employmentType": "THIRD_PARTY" })).fields).toMatchObject({
      "scope.includeOrphans": "orphans-contradict-person-scope",
    });
    expect((await refuse(s, { ...base(s), "stages.0.strategy": "NAMED" })).fields).toMatchObject({ "stages.0.reviewerIds": "required" });
    expect((await refuse(s, { ...base(s), stageCount: "2", "stages.1.strategy": "BOGUS" })).fields).toHaveProperty("stages.1.strategy");
    expect((await refuse(s, { ...base(s), "scope.systemIds": ["not-a-uuid"] })).fields).toHaveProperty(["scope.systemIds"]);
    expect((await refuse(s, { ...base(s), durationDays: "5", remindDaysBefore: "5" })).fields).toMatchObject({
      remindDaysBefore: "reminder-after-start",
    });
    expect((await refuse(s, { ...base(s), escalateAfterDays: "20" })).fields).toMatchObject({
      escalateAfterDays: "escalation-after-deadline",
    });
    // Checked by the use case, not the schema: each with its field.
    expect(await refuse(s, { ...base(s), startOn: "2020-01-01" })).toEqual({
      formCode: "DATE_IN_PAST",
      fields: { startOn: "DATE_IN_PAST" },
    });
    const left = await makePerson();
    await getDb().person.update({ where: { id: left.person.id }, data: { status: "LEFT" } });
    expect(await refuse(s, { ...base(s), "stages.0.strategy": "NAMED", "stages.0.reviewerIds": [left.person.id] })).toEqual({
      formCode: "REVIEWER_NOT_ELIGIBLE",
      fields: { "stages.0.reviewerIds": "REVIEWER_NOT_ELIGIBLE" },
    });
    const nobody = await roleOnNewSystem({ sensitivity: "EXTREME" });
    expect((await refuse(s, { ...base(s), "scope.systemIds": [nobody.system.id] })).formCode).toBe("REVIEW_SCOPE_EMPTY");
    // An account administrator over another system's accounts, or over every system.
    expect(await refuse(s, { ...base(s), "scope.systemIds": [nobody.system.id] }, s.admin.actor)).toEqual({
      formCode: "REVIEW_SCOPE_FORBIDDEN",
      fields: { "scope.systemIds": "REVIEW_SCOPE_FORBIDDEN" },
    });
    expect((await refuse(s, { ...base(s), "scope.systemIds": [] }, s.admin.actor)).formCode).toBe("REVIEW_SCOPE_FORBIDDEN");
  });
});

describe("access review campaigns: progress and quality signals (issue 12 §7)", () => {
  it("counts open and decided items by stage and reviewer, and decisions per day", async () => {
    const s = await scenario();
    const { campaignId } = await start(s);
    const items = await getDb().reviewItem.findMany({ where: { campaignId }, orderBy: { id: "asc" } });
    expect(items).toHaveLength(2);
    const headActor = await (await import("../factories")).actorFor(s.head.person.id);
    await inTransaction((tx) => decideItem(tx, headActor, { itemId: items[0]!.id, decision: "END" }));
    const progress = await campaignProgress(campaignId);
    expect(progress).toMatchObject({ open: 1, decided: 1 });
    expect(progress.stages).toEqual([{ stage: 0, open: 1, keep: 0, end: 1, shorten: 0, defaulted: 0 }]);
    expect(progress.reviewers).toEqual([
      {
        reviewerId: s.head.person.id,
        name: s.head.person.name,
        employeeNo: s.head.employeeNo,
        open: 1,
        keep: 0,
        end: 1,
        shorten: 0,
        defaulted: 0,
      },
    ]);
    const days = await decisionsPerDay(campaignId);
    expect(days).toHaveLength(1);
    expect(days[0]).toMatchObject({ end: 1, keep: 0 });
    const listed = (await listCampaigns(s.officer.actor)).rows.find((r) => r.id === campaignId)!;
    expect(listed.decided).toBe(1);
    const remediation = await remediationSummary(campaignId);
    expect(remediation.pending + remediation.applied).toBe(1);
  });

  it("finds bursts of identical decisions, reviewers who never end anything, and time per decision", async () => {
    const s = await scenario();
    const { campaignId } = await start(s);
    const [template] = await getDb().reviewItem.findMany({ where: { campaignId }, take: 1 });
    const fast = await makePerson({ name: `Fast ${uniq()}` });
    const careful = await makePerson({ name: `Careful ${uniq()}` });
    // 30 cloned items: the fast reviewer keeps 25 of them within 25 s (1 s each); the careful one decides 5,
    // ending 2, a minute apart, 40 s each.
    const ids = await getDb().$queryRaw<{ id: string }[]>`
      INSERT INTO review_item (id, campaign_id, slave_account_id, grant_id, person_id, system_id, role_id, is_sensitive, is_third_party,
                               facts, stage, reviewer_id, reviewer_assigned_at, status)
      SELECT gen_random_uuid(), campaign_id, slave_account_id, grant_id, person_id, system_id, role_id, is_sensitive, is_third_party,
             facts, 0, reviewer_id, reviewer_assigned_at, 'DECIDED'
      FROM review_item, generate_series(1, 30) WHERE id = ${template!.id}::uuid
      RETURNING id::text`;
    const t0 = Date.now() - 3_600_000;
    for (const [i, { id }] of ids.entries()) {
      const fastOne = i < 25;
      const decision = fastOne ? "KEEP" : i < 27 ? "END" : "KEEP";
      await getDb().$executeRaw`
        INSERT INTO review_item_decision (id, item_id, campaign_id, stage, reviewer_id, decision, source, spent_ms, created_at)
        VALUES (gen_random_uuid(), ${id}::uuid, ${campaignId}::uuid, 0, ${fastOne ? fast.person.id : careful.person.id}::uuid,
                ${decision}::"ReviewDecision", 'REVIEWER', ${fastOne ? 1000 + i : 40_000},
                ${new Date(fastOne ? t0 + i * 1000 : t0 + i * 60_000)})`;
    }
    const signals = await qualitySignals(campaignId);
    expect(signals.bursts).toEqual([
      expect.objectContaining({ reviewerId: fast.person.id, decision: "KEEP", count: 25, name: fast.person.name }),
    ]);
    expect(signals.neverEnds).toEqual([expect.objectContaining({ reviewerId: fast.person.id, decisions: 25 })]);
    const speed = new Map(signals.speed.map((r) => [r.reviewerId, r]));
    expect(speed.get(fast.person.id)).toMatchObject({ decisions: 25, medianMs: 1012, p90Ms: 1022 });
    expect(speed.get(careful.person.id)).toMatchObject({ decisions: 5, medianMs: 40_000, p90Ms: 40_000 });
    expect(signals.speed[0]!.reviewerId).toBe(fast.person.id);
  });
});

describe("access review campaigns: exports and evidence (issue 12 §7)", () => {
  const labels: ExportLabels = {
    column: (k, n) => (n ? `${k}${n}` : k),
    campaign: (k) => k,
    source: (s) => s,
    result: (s) => s,
    applyState: (s) => s,
    yes: "yes",
    no: "no",
  };

  it("the evidence file's SHA-256 is the one audited with it; it holds the settings and every item with reviewer, decision, time and result", async () => {
    const s = await scenario();
    const { campaignId } = await start(s);
    const items = await getDb().reviewItem.findMany({ where: { campaignId }, orderBy: { id: "asc" } });
    const headActor = await (await import("../factories")).actorFor(s.head.person.id);
    await inTransaction((tx) =>
      decideItem(tx, headActor, { itemId: items[0]!.id, decision: "KEEP", comment: "Needed for the night shift" }),
    );
    await inTransaction((tx) => closeCampaign(tx, s.officer.actor, { campaignId, reason: "Quarter done early" }));

    const done = await inTransaction((tx) => evidenceExport(tx, s.officer.actor, campaignId, labels));
    const bytes = await readFile(done.path);
    await done.cleanup();
    expect(createHash("sha256").update(bytes).digest("hex")).toBe(done.sha256);
    const audit = await lastAuditRow({ action: "review.evidence-exported", targetId: campaignId });
    expect(audit.summary).toMatchObject({ format: "evidence", sha256: done.sha256, rows: 2 });
    const text = bytes.toString("utf8");
    const lines = text.replace(/^\uFEFF/, "").split("\r\n");
    expect(lines[0]).toContain("settings");
    expect(lines[1]).toContain('""sensitiveOnly"":true');
    expect(lines[2]).toBe("");
    const head = lines[3]!.split(",");
    for (const col of ["stageReviewer1", "stageDecision1", "stageTime1", "stageSource1", "result", "decidedAt", "source"])
      expect(head).toContain(col);
    const rows = lines.slice(4).filter(Boolean);
    expect(rows).toHaveLength(2);
    const kept = rows.find((r) => r.startsWith(items[0]!.id))!.split(",");
    expect(kept[head.indexOf("stageReviewer1")]).toBe(`${s.head.person.name} (${s.head.employeeNo})`);
    expect(kept[head.indexOf("stageDecision1")]).toBe("KEEP");
    expect(kept[head.indexOf("stageSource1")]).toBe("REVIEWER");
    expect(kept[head.indexOf("comment")]).toBe("Needed for the night shift");
    expect(kept[head.indexOf("stageTime1")]).toMatch(/^\d{4}-\d\d-\d\dT/);
    // The undecided sensitive item ended by default at the close: applied, its result stated.
    const ended = rows.find((r) => r.startsWith(items[1]!.id))!.split(",");
    expect(ended[head.indexOf("decision")]).toBe("END");
    expect(ended[head.indexOf("source")]).toBe("DEFAULT");
    expect(ended[head.indexOf("applyState")]).toBe("APPLIED");
    expect(ended[head.indexOf("result")]).not.toBe("");
    expect(existsSync(done.path)).toBe(false);
  });

  it("CSV and XLSX exports are audited; another system's account administrator cannot export", async () => {
    const s = await scenario();
    const { campaignId } = await start(s);
    const csv = await inTransaction((tx) => csvExport(tx, s.admin.actor, campaignId, labels));
    const text = await new Response(csv.stream()).text();
    expect(text.split("\r\n").filter(Boolean)).toHaveLength(3);
    expect(await lastAuditRow({ action: "review.evidence-exported", targetId: campaignId })).toMatchObject({
      summary: expect.objectContaining({ format: "csv", rows: 2 }),
    });
    const xlsx = await inTransaction((tx) =>
      xlsxExport(tx, s.officer.actor, campaignId, { ...labels, sheet: "Items", campaignSheet: "Campaign" }),
    );
    expect(createHash("sha256").update(xlsx.file).digest("hex")).toBe(xlsx.sha256);
    expect(xlsx.rows).toBe(2);
    const stranger = await makeActor([{ role: "ACCOUNT_ADMIN", systemId: (await roleOnNewSystem()).system.id }]);
    const before = await countAudit({ action: "review.evidence-exported", targetId: campaignId });
    await expectDomainError(
      inTransaction((tx) => evidenceExport(tx, stranger.actor, campaignId, labels)),
      "NOT_FOUND",
    );
    await expectDomainError(
      inTransaction((tx) => csvExport(tx, stranger.actor, "not-a-uuid", labels)),
      "NOT_FOUND",
    );
    expect(await countAudit({ action: "review.evidence-exported", targetId: campaignId })).toBe(before);
  });
});
