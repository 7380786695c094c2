import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { getDb, inTransaction } from "@/lib/db";
import { defineReview } from "@/lib/reviews/define";
import { decideItem } from "@/lib/reviews/decide";
import { actorOf } from "@/lib/seed/demo-requests";
import { signIn } from "./support/auth";
import { createTestPerson, holdRoles } from "./support/data";

// The reviewer's side of access reviews (issue 12 §4, §8): the head of Marketing (E0003) opens his
// review inbox, is refused keeping sensitive access without a comment, keeps one item with a comment
// and ends another. The items come from a campaign of their own (two fresh people with sensitive CRM
// access, E0003 named as reviewer), so the demo campaign's items stay as the seed left them.

async function reviewForE0003() {
  const a = await createTestPerson();
  const b = await createTestPerson();
  const c = await createTestPerson();
  for (const p of [a, b, c]) await holdRoles(p.id, [["CRM", "QUERY_ONLY"]]);
  await inTransaction(async (tx) => {
    const officer = await actorOf(tx, "E0005");
    const reviewer = await actorOf(tx, "E0003");
    const crm = await tx.businessSystem.findUniqueOrThrow({ where: { code: "CRM" }, select: { id: true } });
    const cs = await tx.orgUnit.findUniqueOrThrow({ where: { code: "CS" }, select: { id: true } });
    await defineReview(tx, officer, {
      name: `E2E review ${randomBytes(3).toString("hex")}`,
      scope: { systemIds: [crm.id], sensitiveOnly: true, orgUnitId: cs.id },
      stages: [{ strategy: "NAMED", reviewerIds: [reviewer.personId] }],
      // Longer than the demo's and the journey's 14 days: their deadline job run never closes this one.
      durationDays: 30,
    });
  });
  return { a, b, c };
}

test("the head of Marketing reviews: keep without a comment is refused on sensitive access, then keeps one and ends one", async ({
  page,
}) => {
  const { a, b, c } = await reviewForE0003();
  await signIn(page, "E0003");
  await expect(page.getByTestId("sidebar").getByRole("link", { name: /^Reviews to do/ })).toBeVisible();
  await page
    .getByTestId("sidebar")
    .getByRole("link", { name: /^Reviews to do/ })
    .click();
  await expect(page.getByRole("heading", { name: "Reviews to do" })).toBeVisible();
  await page.getByLabel("Person or account").fill(a.employeeNo);
  await page.getByRole("button", { name: "Filter" }).click();
  await expect(page.getByTestId("review-row")).toHaveCount(1);
  await expect(page.getByTestId("review-row")).toContainText(a.name);
  await page.getByTestId("review-open").click();

  // Keep (the default choice) without a comment: the form said it is required, and the server refuses.
  await expect(page.getByText("Required to keep this access: it is sensitive.")).toBeVisible();
  await page.getByTestId("review-submit").click();
  await expect(page.getByRole("alert").first()).toContainText("Keeping sensitive access needs a comment saying why.");
  await page.getByLabel("Comment").fill("Still handles customer queries");
  await page.getByTestId("review-submit").click();
  await expect(page.getByText("Your decision was recorded.")).toBeVisible();
  await expect(page.getByTestId("review-outcome")).toContainText("Keep by 张伟");
  await expect(page.getByTestId("review-history")).toContainText("Still handles customer queries");

  // The other one ends.
  await page.goto(`/reviews/inbox?q=${b.employeeNo}`);
  await page.getByTestId("review-open").click();
  await page.getByLabel("End the access").check();
  await page.getByLabel("Comment").fill("Moved to another team");
  await page.getByTestId("review-submit").click();
  await expect(page.getByTestId("review-outcome")).toContainText("End by 张伟");

  const items = await getDb().reviewItem.findMany({
    where: { personId: { in: [a.id, b.id] }, campaign: { name: { startsWith: "E2E review" } } },
    select: { personId: true, decision: true, comment: true, status: true },
  });
  expect(items.find((i) => i.personId === a.id)).toMatchObject({ decision: "KEEP", status: "DECIDED" });
  expect(items.find((i) => i.personId === b.id)).toMatchObject({ decision: "END", status: "DECIDED" });

  // Both are listed under "Decided by me".
  await page.goto(`/reviews/inbox?view=decided&q=${a.employeeNo}`);
  await expect(page.getByTestId("review-row")).toContainText("Keep");

  // The bulk bar: a ticked item, one justification (required), kept.
  await page.goto(`/reviews/inbox?q=${c.employeeNo}`);
  await expect(page.getByTestId("review-row")).toHaveCount(1);
  await page.getByTestId("review-row").getByRole("checkbox").check();
  await page.getByTestId("bulk-keep").click();
  await expect(page.getByTestId("review-bulk").getByRole("alert").first()).toBeVisible();
  // The refusal keeps the ticks: the second try needs only the justification.
  await expect(page.getByTestId("review-row").getByRole("checkbox")).toBeChecked();
  await page.getByLabel("Justification (one for all)").fill("Quarterly check: still on the customer desk");
  await page.getByTestId("bulk-keep").click();
  await expect(page.getByTestId("bulk-done")).toHaveText("1 item decided.");
  await expect(page.getByTestId("review-row")).toHaveCount(0);
  const bulk = await getDb().reviewItem.findFirstOrThrow({
    where: { personId: c.id, campaign: { name: { startsWith: "E2E review" } } },
    select: { decision: true, decisionSource: true },
  });
  expect(bulk).toEqual({ decision: "KEEP", decisionSource: "BULK" });
});

// Issue 12: per-row Keep / End in "Reviews to do", through the same decideItem as the item page. A
// sensitive item's Keep opens the item page (a comment is required), and the server refuses a keep
// without one even when asked straight from the row; the loser of a race gets REVIEW_ITEM_DECIDED.
test("quick decisions on the rows: keep, end, a sensitive keep refused, a race lost", async ({ page }) => {
  const [sensitive, kept, ended, raced] = [
    await createTestPerson(),
    await createTestPerson(),
    await createTestPerson(),
    await createTestPerson(),
  ];
  await holdRoles(sensitive.id, [["CRM", "QUERY_ONLY"]]);
  for (const p of [kept, ended, raced]) await holdRoles(p.id, [["CRM", "STATS_ANALYST"]]);
  const campaignId = await inTransaction(async (tx) => {
    const officer = await actorOf(tx, "E0005");
    const reviewer = await actorOf(tx, "E0003");
    const crm = await tx.businessSystem.findUniqueOrThrow({ where: { code: "CRM" }, select: { id: true } });
    const cs = await tx.orgUnit.findUniqueOrThrow({ where: { code: "CS" }, select: { id: true } });
    const done = await defineReview(tx, officer, {
      name: `E2E quick review ${randomBytes(3).toString("hex")}`,
      scope: { systemIds: [crm.id], orgUnitId: cs.id },
      stages: [{ strategy: "NAMED", reviewerIds: [reviewer.personId] }],
      durationDays: 30,
    });
    return done.campaign!.campaignId;
  });
  const itemOf = (personId: string) =>
    getDb().reviewItem.findFirstOrThrow({
      where: { campaignId, personId },
      select: { id: true, status: true, decision: true, decisionSource: true },
    });
  const decisionsOf = async (personId: string) => getDb().reviewItemDecision.count({ where: { item: { campaignId, personId } } });

  await signIn(page, "E0003");
  await page.goto(`/reviews/inbox?campaign=${campaignId}`);
  const row = (p: { name: string }) => page.getByTestId("review-row").filter({ hasText: p.name });
  // The campaign holds every CRM grant in the customer service centre, these four people's among them.
  for (const p of [sensitive, kept, ended, raced]) await expect(row(p)).toHaveCount(1);

  // The sensitive item offers no one-click keep: its Keep opens the item page, where the comment is asked for.
  await expect(row(sensitive).getByRole("button", { name: /^Keep/ })).toHaveCount(0);
  await expect(row(sensitive).getByRole("link", { name: /^Keep/ })).toHaveAttribute(
    "href",
    `/reviews/items/${(await itemOf(sensitive.id)).id}`,
  );
  // Asked anyway (the row's End button made to say keep): refused, nothing written.
  const sensitiveItem = await itemOf(sensitive.id);
  await row(sensitive)
    .getByRole("button", { name: /^End/ })
    .evaluate((b, id) => ((b as HTMLButtonElement).value = `KEEP:${id}`), sensitiveItem.id);
  await row(sensitive).getByRole("button", { name: /^End/ }).click();
  await expect(page.getByTestId("review-quick").getByRole("alert")).toHaveText("Keeping sensitive access needs a comment saying why.");
  expect(await itemOf(sensitive.id)).toMatchObject({ status: "OPEN", decision: null });
  expect(await decisionsOf(sensitive.id)).toBe(0);

  await row(kept).getByRole("button", { name: /^Keep/ }).click();
  await expect(page.getByTestId("quick-done")).toHaveText("Kept. The item has left your open list.");
  await expect(page).toHaveURL(new RegExp(`campaign=${campaignId}`));
  await expect(row(kept)).toHaveCount(0);
  expect(await itemOf(kept.id)).toMatchObject({ status: "DECIDED", decision: "KEEP", decisionSource: "REVIEWER" });

  await row(ended).getByRole("button", { name: /^End/ }).click();
  await expect(page.getByTestId("quick-done")).toHaveText("Ended. The item has left your open list.");
  await expect(row(ended)).toHaveCount(0);
  expect(await itemOf(ended.id)).toMatchObject({ status: "DECIDED", decision: "END", decisionSource: "REVIEWER" });

  // Someone decides the last one while the page is open (here: the same reviewer elsewhere); this click loses.
  const racedItem = await itemOf(raced.id);
  await inTransaction(async (tx) => decideItem(tx, await actorOf(tx, "E0003"), { itemId: racedItem.id, decision: "KEEP" }));
  await row(raced).getByRole("button", { name: /^End/ }).click();
  await expect(page.getByTestId("review-quick").getByRole("alert")).toContainText("This item has already been decided (by 张伟 at");
  expect(await itemOf(raced.id)).toMatchObject({ status: "DECIDED", decision: "KEEP" });
  expect(await decisionsOf(raced.id)).toBe(1);
});
