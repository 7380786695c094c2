// Access reviews over the REST API (issue 12 §9): campaigns and items readable in the token's systems,
// decisions writable as the item's reviewer, refusals as JSON codes with nothing written.
import { describe, expect, it } from "vitest";
import { getDb, inTransaction } from "@/lib/db";
import { defineReview } from "@/lib/reviews/define";
import { CampaignsPage, ItemsPage, ItemView } from "@/lib/api/review-schemas";
import { GET as campaignsRoute } from "@/app/api/v1/reviews/campaigns/route";
import { GET as itemsRoute } from "@/app/api/v1/reviews/campaigns/[id]/items/route";
import { POST as decideRoute } from "@/app/api/v1/reviews/items/[id]/decisions/route";
import { lastAuditRow, makeActor, makeOrgUnit, makePerson, makeSystem, uniq } from "../factories";
import { giveGrant, roleOnNewSystem } from "../access-fixtures";
import { setHead } from "../request-factories";
import { callApi, makeApiToken } from "../api-helpers";

async function scene() {
  const unit = await makeOrgUnit({ name: `Unit ${uniq()}` });
  const head = await makePerson({ orgUnitId: unit.id });
  const staff = await makePerson({ orgUnitId: unit.id });
  await setHead(unit.id, head.person.id);
  const { system, role } = await roleOnNewSystem({ sensitivity: "EXTREME" });
  const grant = await giveGrant(staff.person.id, role.id, { endsAt: new Date(Date.now() + 30 * 86_400_000) });
  const officer = await makeActor(["SECURITY_OFFICER"]);
  const started = await inTransaction((tx) =>
    defineReview(tx, officer.actor, {
      name: `API review ${uniq()}`,
      scope: { systemIds: [system.id] },
      stages: [{ strategy: "DEPARTMENT_HEAD" }],
      durationDays: 7,
    }),
  );
  const token = await makeApiToken([system.id], ["reviews:read", "reviews:write"]);
  return { head, staff, system, grant, campaignId: started.campaign!.campaignId, token };
}

describe("REST API: access reviews", () => {
  it("lists campaigns and items in the token's systems, and a reviewer decides an item", async () => {
    const s = await scene();
    const campaigns = await callApi(campaignsRoute, "GET", "/reviews/campaigns?status=ACTIVE", { token: s.token.secret });
    expect(campaigns.status).toBe(200);
    const page = CampaignsPage.parse(campaigns.json);
    expect(page.data.find((c) => c.id === s.campaignId)).toMatchObject({ items: 1, decided: 0, status: "ACTIVE" });

    const items = await callApi(itemsRoute, "GET", `/reviews/campaigns/${s.campaignId}/items`, {
      token: s.token.secret,
      params: { id: s.campaignId },
    });
    expect(items.status).toBe(200);
    const [item] = ItemsPage.parse(items.json).data;
    expect(item).toMatchObject({
      person: { employeeNo: s.staff.employeeNo },
      sensitive: true,
      status: "OPEN",
      reviewer: { employeeNo: s.head.employeeNo },
    });

    const noComment = await callApi(decideRoute, "POST", `/reviews/items/${item!.id}/decisions`, {
      token: s.token.secret,
      actingAs: s.head.employeeNo,
      body: { decision: "KEEP" },
      params: { id: item!.id },
    });
    expect(noComment.status).toBe(400);
    expect(noComment.json.error.code).toBe("REVIEW_COMMENT_REQUIRED");
    const self = await callApi(decideRoute, "POST", `/reviews/items/${item!.id}/decisions`, {
      token: s.token.secret,
      actingAs: s.staff.employeeNo,
      body: { decision: "KEEP", comment: "mine" },
      params: { id: item!.id },
    });
    expect(self.status).toBe(403);
    expect(self.json.error.code).toBe("REVIEW_SELF");
    const bad = await callApi(decideRoute, "POST", `/reviews/items/${item!.id}/decisions`, {
      token: s.token.secret,
      actingAs: s.head.employeeNo,
      body: { decision: "SHORTEN", newEndOn: "2026-02-30" },
      params: { id: item!.id },
    });
    expect(bad.status).toBe(400);
    expect(await getDb().reviewItemDecision.count({ where: { itemId: item!.id } })).toBe(0);

    const ok = await callApi(decideRoute, "POST", `/reviews/items/${item!.id}/decisions`, {
      token: s.token.secret,
      actingAs: s.head.employeeNo,
      body: { decision: "END", comment: "Moved to another project" },
      params: { id: item!.id },
    });
    expect(ok.status).toBe(200);
    expect(ItemView.parse(ok.json)).toMatchObject({
      status: "DECIDED",
      decision: "END",
      decidedBy: { employeeNo: s.head.employeeNo },
      applied: "PENDING",
    });
    const audit = await lastAuditRow({ action: "review.item-decided", targetId: item!.id });
    expect(audit.summary).toMatchObject({ via: `api-token:${s.token.prefix}` });
    const again = await callApi(decideRoute, "POST", `/reviews/items/${item!.id}/decisions`, {
      token: s.token.secret,
      actingAs: s.head.employeeNo,
      body: { decision: "KEEP", comment: "changed my mind" },
      params: { id: item!.id },
    });
    expect(again.status).toBe(409);
    expect(again.json.error.code).toBe("REVIEW_ITEM_DECIDED");
  });

  it("keeps other systems' items out and refuses tokens without the operation", async () => {
    const s = await scene();
    const other = await makeApiToken([(await makeSystem()).id], ["reviews:read", "reviews:write"]);
    const items = await callApi(itemsRoute, "GET", `/reviews/campaigns/${s.campaignId}/items`, {
      token: other.secret,
      params: { id: s.campaignId },
    });
    expect(ItemsPage.parse(items.json).data).toEqual([]);
    const campaigns = await callApi(campaignsRoute, "GET", "/reviews/campaigns", { token: other.secret });
    expect(CampaignsPage.parse(campaigns.json).data.some((c) => c.id === s.campaignId)).toBe(false);
    const itemId = (await getDb().reviewItem.findFirstOrThrow({ where: { campaignId: s.campaignId } })).id;
    const foreign = await callApi(decideRoute, "POST", `/reviews/items/${itemId}/decisions`, {
      token: other.secret,
      actingAs: s.head.employeeNo,
      body: { decision: "END", comment: "x" },
      params: { id: itemId },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.json.error.code).toBe("TOKEN_SCOPE");
    const readOnly = await makeApiToken([s.system.id], ["reviews:read"]);
    const refused = await callApi(decideRoute, "POST", `/reviews/items/${itemId}/decisions`, {
      token: readOnly.secret,
      actingAs: s.head.employeeNo,
      body: { decision: "END", comment: "x" },
      params: { id: itemId },
    });
    expect(refused.status).toBe(403);
    const garbage = await callApi(itemsRoute, "GET", `/reviews/campaigns/${s.campaignId}/items?cursor=nope`, {
      token: s.token.secret,
      params: { id: s.campaignId },
    });
    expect(garbage.status).toBe(400);
    const missing = await callApi(itemsRoute, "GET", `/reviews/campaigns/00000000-0000-4000-8000-000000000000/items`, {
      token: s.token.secret,
      params: { id: "00000000-0000-4000-8000-000000000000" },
    });
    expect(missing.status).toBe(404);
  });
});
