import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { seedDemo } from "@/lib/seed/seed-demo";
import { verifyAuditChain } from "@/lib/audit/verify-chain";
import { DEMO_SIGN_INS } from "@/lib/seed/demo-data";

describe("demo seed", () => {
  it("builds the demo organisation through the use cases, with a verifiable audit trail", async () => {
    const before = await getDb().auditEvent.count();
    const result = await inTransaction((tx) => seedDemo(tx), { timeoutMs: 120_000 });
    expect(result).toEqual({ people: 47, units: 11, systems: 6 });

    const db = getDb();
    const thirdParties = await db.person.findMany({
      where: { employmentType: "THIRD_PARTY", employeeNo: { startsWith: "V" } },
      select: {
        vendorName: true,
        contractEndsOn: true,
        vendor: { select: { name: true, contractEndsOn: true } },
        sponsor: { select: { status: true, employmentType: true } },
      },
    });
    expect(thirdParties).toHaveLength(8);
    // R10: every third party has a vendor, an active-employee sponsor and a contract end within the vendor's.
    for (const p of thirdParties) {
      expect(p.vendor?.name).toBeDefined();
      expect(p.vendorName).toBe(p.vendor!.name);
      expect(p.sponsor).toEqual({ status: "ACTIVE", employmentType: "EMPLOYEE" });
      expect(p.contractEndsOn!.getTime()).toBeLessThanOrEqual(p.vendor!.contractEndsOn.getTime());
      expect(p.contractEndsOn!.getTime()).toBeGreaterThan(Date.now());
    }
    for (const p of DEMO_SIGN_INS) {
      const account = await db.masterAccount.findFirstOrThrow({
        where: { person: { employeeNo: p.employeeNo } },
        select: { passwordHash: true, totpEnrolledAt: true },
      });
      expect(account.passwordHash).toMatch(/^\$argon2id\$/);
      expect(account.totpEnrolledAt !== null).toBe(!!p.portalRoles?.length);
    }
    // Access reviews (issue 12): the quarterly review of sensitive access is under way, and the head of
    // Marketing has items to decide, none of them his own.
    const review = await db.reviewCampaign.findFirstOrThrow({
      where: { name: "Quarterly review of sensitive access" },
      select: { id: true, status: true },
    });
    expect(review.status).toBe("ACTIVE");
    const e0003 = await db.person.findUniqueOrThrow({ where: { employeeNo: "E0003" }, select: { id: true } });
    const inbox = await db.reviewItem.findMany({
      where: { campaignId: review.id, reviewerId: e0003.id },
      select: { personId: true, isSensitive: true },
    });
    expect(inbox.length).toBeGreaterThan(0);
    expect(inbox.every((i) => i.personId !== e0003.id && i.isSensitive)).toBe(true);
    const marketing = await db.orgUnit.findUniqueOrThrow({ where: { code: "MKT" }, select: { head: { select: { employeeNo: true } } } });
    expect(marketing.head?.employeeNo).toBe("E0003");

    // Every change the seed made is in the trail: units, systems, people, accounts, roles, heads.
    const seeded = await db.auditEvent.groupBy({ by: ["action"], where: { actorName: "seed" }, _count: true });
    const counts = Object.fromEntries(seeded.map((r) => [r.action, r._count]));
    expect(counts["org-unit.created"]).toBe(11);
    expect(counts["vendor.created"]).toBe(2);
    expect(counts["system.created"]).toBe(6);
    expect(counts["person.created"]).toBe(47);
    expect(counts["account.created"]).toBe(47);
    expect(counts["org-unit.head-changed"]).toBe(7);
    expect(await db.auditEvent.count()).toBeGreaterThan(before + 120);

    // Access requests: some waiting in the head of Marketing's inbox, one approved into a grant.
    expect(await db.stageApprover.count({ where: { approverId: e0003.id, isOpen: true } })).toBe(3);
    const approved = await db.accessRequest.findFirstOrThrow({
      where: { status: "APPROVED", subject: { employeeNo: "E0105" } },
      select: { grantId: true },
    });
    expect(approved.grantId).not.toBeNull();

    // Time-bound access: every sensitive or third-party grant has an end; E0100's ends within the week.
    const grants = await db.accessGrant.findMany({
      where: { revokedAt: null },
      select: {
        endsAt: true,
        role: { select: { code: true } },
        slaveAccount: { select: { person: { select: { employeeNo: true, employmentType: true } } } },
      },
    });
    for (const g of grants.filter((x) => x.slaveAccount.person?.employmentType === "THIRD_PARTY" || x.role.code === "FRONT_LINE"))
      expect(g.endsAt).not.toBeNull();
    const e0100 = grants.find((g) => g.slaveAccount.person?.employeeNo === "E0100")!;
    expect(e0100.endsAt!.getTime() - Date.now()).toBeLessThan(6 * 86_400_000);

    // Out of office: E0106's delegation to E0108 is in force, E0003's to E0103 is still to come.
    const delegations = await db.approvalDelegation.findMany({
      where: { delegator: { employeeNo: { in: ["E0003", "E0106"] } } },
      select: {
        id: true,
        startsAt: true,
        endsAt: true,
        delegator: { select: { employeeNo: true } },
        delegate: { select: { employeeNo: true } },
      },
      orderBy: { startsAt: "asc" },
    });
    expect(delegations.map((d) => [d.delegator.employeeNo, d.delegate.employeeNo, d.startsAt.getTime() <= Date.now()])).toEqual([
      ["E0106", "E0108", true],
      ["E0003", "E0103", false],
    ]);
    expect(await db.auditEvent.count({ where: { action: "delegation.created", targetId: { in: delegations.map((d) => d.id) } } })).toBe(2);

    // Offboarding: BOSS is changed by hand, and E0130 has left with a receipt whose BOSS change waits for a task.
    expect(await db.systemConnector.findFirst({ where: { system: { code: "BOSS" } }, select: { kind: true } })).toEqual({ kind: "MANUAL" });
    const leaver = await db.person.findUniqueOrThrow({ where: { employeeNo: "E0130" }, select: { id: true, status: true } });
    expect(leaver.status).toBe("LEFT");
    const demoCase = await db.offboardingCase.findFirstOrThrow({ where: { personId: leaver.id } });
    expect(demoCase).toMatchObject({ status: "COMPLETED", source: "HR" });
    expect(await db.provisioningOutbox.count({ where: { offboardingCaseId: demoCase.id } })).toBe(2);

    const chain = await verifyAuditChain(db);
    expect(chain.ok).toBe(true);
  });
});
