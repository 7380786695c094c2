import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { getDb, inTransaction } from "@/lib/db";
import { systemActor } from "@/lib/authz/actor";
import { recordBulkAuditEvent } from "@/lib/audit/record-audit-event";
import { LARGE_TREE_ROOT_CODE } from "@/lib/seed/large-org-tree";
import { signIn } from "./support/auth";

// Page-weight budget (issue 13): every list and detail page, as the people who use it see it, weighs
// at most 150 KB of HTML with its inline React Server Components payload (the shell included), on
// an e2e database with a large org tree (scripts/e2e-server.ts adds 2,000 units). Before the pickers
// were typeaheads, /people carried every unit twice in <select>s and twice more in the payload.
const BUDGET = 150 * 1024;

type Check = { path: string; status?: number };

async function weigh(request: APIRequestContext, { path, status = 200 }: Check) {
  // Playwright sends Accept-Encoding and decodes: body() is the uncompressed page.
  const response = await request.get(path, { maxRedirects: 0 });
  expect(response.status(), `${path} answers ${status}`).toBe(status);
  const html = await response.body();
  expect(html.toString("utf8"), `${path} is the page, not an error`).not.toContain('data-testid="forbidden"');
  return html.byteLength;
}

async function checkPages(page: Page, login: string, checks: Check[]) {
  await signIn(page, login);
  const weights: Record<string, number> = {};
  for (const check of checks) weights[check.path] = await weigh(page.request, check);
  console.log(`[page-weight] ${login}: ${JSON.stringify(weights)}`);
  for (const [path, bytes] of Object.entries(weights)) expect(bytes, `${path} weighs ${bytes} bytes`).toBeLessThanOrEqual(BUDGET);
}

test.describe("page-weight budget on a large org tree", () => {
  test.beforeAll(async () => {
    const units = await getDb().orgUnit.count();
    expect(units, "the e2e seed's large org tree is there").toBeGreaterThanOrEqual(2000);
  });

  test("HR: home, the people list with each filter, a person, the joiner form", async ({ page }) => {
    const db = getDb();
    const [scaleRoot, vendor, person] = await Promise.all([
      db.orgUnit.findUniqueOrThrow({ where: { code: LARGE_TREE_ROOT_CODE }, select: { id: true } }),
      db.vendor.findFirstOrThrow({ select: { id: true } }),
      db.person.findUniqueOrThrow({ where: { employeeNo: "E0100" }, select: { id: true } }),
    ]);
    await checkPages(page, "E0004", [
      { path: "/" },
      { path: "/people" },
      { path: "/people?q=%E7%8E%8B" },
      { path: "/people?status=ACTIVE&sort=employeeNo" },
      { path: "/people?type=THIRD_PARTY" },
      { path: `/people?vendor=${vendor.id}` },
      { path: `/people?org=${scaleRoot.id}` },
      { path: `/people/${person.id}` },
      { path: "/people/new" },
    ]);
  });

  test("security officer: home, roster, policy findings", async ({ page }) => {
    const org = await getDb().orgUnit.findUniqueOrThrow({ where: { code: "IT" }, select: { id: true } });
    await checkPages(page, "E0005", [{ path: "/" }, { path: "/roster" }, { path: `/roster?org=${org.id}` }, { path: "/policy" }]);
  });

  test("security officer: access reviews, the definition form, a campaign's progress and quality signals", async ({ page }) => {
    // The demo's quarterly review (issue 12): its page lists up to 100 reviewers and the officer's signals.
    const campaign = await getDb().reviewCampaign.findFirstOrThrow({
      where: { name: "Quarterly review of sensitive access" },
      select: { id: true },
    });
    await checkPages(page, "E0005", [{ path: "/reviews" }, { path: "/reviews/new" }, { path: `/reviews/${campaign.id}` }]);
  });

  test("account administrator: access reviews and the definition form", async ({ page }) => {
    await checkPages(page, "E0002", [{ path: "/reviews" }, { path: "/reviews/new" }]);
  });

  test("security officer: the audit trail and a bulk event, whatever the newest events carry", async ({ page }) => {
    // The 50 newest events as heavy as the app writes them: reason and basis at their clip lengths, a
    // long actor name, a ~20 KB summary and 2,000 items each (issue 14 §3).
    const ids = await inTransaction(
      async (tx) => {
        const out: bigint[] = [];
        for (let e = 0; e < 50; e++) {
          out.push(
            await recordBulkAuditEvent(
              tx,
              systemActor("page-weight"),
              {
                action: "grant.revoked",
                target: { type: "person", id: null },
                summary: { cause: "page-weight", count: 2000, note: "长".repeat(6000) },
                reason: "理".repeat(2000),
                basis: "据".repeat(500),
                actorNameOverride: "名".repeat(200),
              },
              Array.from({ length: 2000 }, (_, i) => ({
                kind: "grant" as const,
                subjectId: `00000000-0000-4000-8000-${String(e * 10_000 + i).padStart(12, "0")}`,
                personId: `00000000-0000-4000-9000-${String(i).padStart(12, "0")}`,
                detail: { roleCode: "R".repeat(60), loginName: "l".repeat(60) },
              })),
            ),
          );
        }
        return out;
      },
      { timeoutMs: 120_000 },
    );
    await checkPages(page, "E0005", [
      { path: "/audit" },
      { path: `/audit/${ids.at(-1)}` },
      { path: `/audit/${ids.at(-1)}?after=1949` },
      { path: "/audit?subject=00000000-0000-4000-9000-000000000007" },
    ]);
  });

  test("account administrator: home, roster", async ({ page }) => {
    await checkPages(page, "E0002", [{ path: "/" }, { path: "/roster" }]);
  });

  // The system page carries its catalogue, accounts and matrix; the catalogue's edit and add forms and each
  // account's lifecycle forms are built when opened (components/ui/lazy-details.tsx). Before, the CRM page
  // weighed ~157 KB here after the journeys before this file had added to it.
  test("account administrator: a system's page, its forms built when opened", async ({ page }) => {
    const system = await getDb().businessSystem.findUniqueOrThrow({ where: { code: "CRM" }, select: { id: true } });
    const path = `/systems/${system.id}`;
    await checkPages(page, "E0002", [{ path }]);
    const html = await (await page.request.get(path)).text();
    expect(html, "no permission edit form in the HTML").not.toContain('name="permissionId"');
    expect(html, "no account lifecycle form in the HTML").not.toContain('name="expectedStatus"');

    await page.goto(path);
    const permissions = page.getByTestId("permissions");
    await expect(permissions.getByRole("form")).toHaveCount(0);
    await permissions.getByText("Edit", { exact: true }).first().click();
    await expect(permissions.getByRole("form").getByLabel("Sensitivity")).toBeVisible();
    const accounts = page.getByTestId("system-accounts");
    await expect(accounts.getByRole("form")).toHaveCount(0);
    await accounts.getByText("Actions", { exact: true }).first().click();
    await expect(accounts.getByRole("form", { name: /^Actions · / }).getByLabel("Reason", { exact: true })).toBeVisible();
  });

  test("department head: home, approvals, the review inbox and a review item", async ({ page }) => {
    // The demo's quarterly review gives E0003 items (issue 12); the inbox and an item page are his too.
    const head = await getDb().person.findUniqueOrThrow({ where: { employeeNo: "E0003" }, select: { id: true } });
    const item = await getDb().reviewItem.findFirstOrThrow({
      where: { reviewerId: head.id },
      select: { id: true },
      orderBy: { id: "asc" },
    });
    await checkPages(page, "E0003", [
      { path: "/" },
      { path: "/approvals" },
      { path: "/reviews/inbox" },
      { path: `/reviews/items/${item.id}` },
    ]);
  });

  test("system administrator: home and the systems list", async ({ page }) => {
    await checkPages(page, "E0001", [{ path: "/" }, { path: "/systems" }]);
  });

  test("pages are sent compressed, and static assets are cached immutably", async ({ page }) => {
    const response = await page.request.get("/sign-in", { headers: { "Accept-Encoding": "gzip" } });
    expect(response.headers()["content-encoding"]).toBe("gzip");
    const html = await response.text();
    const asset = html.match(/\/_next\/static\/[^"']+\.js/)?.[0];
    expect(asset, "the page loads a static script").toBeTruthy();
    const cached = await page.request.get(asset!);
    expect(cached.status()).toBe(200);
    expect(cached.headers()["cache-control"]).toContain("immutable");
  });
});
