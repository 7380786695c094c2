import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { getDb, inTransaction } from "@/lib/db";
import { systemActor } from "@/lib/authz/actor";
import { recordBulkAuditEvent } from "@/lib/audit/record-audit-event";
import { LARGE_TREE_ROOT_CODE } from "@/lib/seed/large-org-tree";
import { signIn } from "./support/auth";
import { createTestPerson, TEST_PASSWORD } from "./support/data";

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

  // Issue 13 at operator scale: bench:http found SYS001's page at 513 KB. A system as large as the scale
  // data's biggest, built set-based in SQL: 3,000 people with an account each (no grants: the policy check
  // would report 3,000 people without a master account to the other specs), 40 permissions, 150 job roles
  // and a 150 × 40 matrix with 750 open cells. Its page carries the details, a page of each catalogue
  // and of the accounts; the matrix is its own route, a page of roles × a page of permissions.
  test("account administrator: a system with 3,000 accounts and a 150 × 40 matrix, its matrix pages", async ({ page }) => {
    const db = getDb();
    const code = `PW-LARGE-${Date.now() % 1_000_000}`;
    await inTransaction(
      async (tx) => {
        await tx.$executeRawUnsafe(
          `INSERT INTO business_system (id, code, name, name_en, environment, kind, owner_org_id, is_connected, is_active, created_at, updated_at)
           SELECT gen_random_uuid(), $1, '大型业务系统', 'Large business system', 'PRODUCTION', 'BACK_END', o.id, false, true, now(), now()
           FROM org_unit o WHERE o.code = 'IT'`,
          code,
        );
        const sys = `(SELECT id FROM business_system WHERE code = '${code}')`;
        await tx.$executeRawUnsafe(
          `INSERT INTO permission (id, system_id, code, name, name_en, data_kind, sensitivity, operation, is_log_management, is_account_creation, is_active, created_at, updated_at)
           SELECT gen_random_uuid(), ${sys}, 'PERM.' || lpad(k::text, 3, '0'), '权限名称' || k, 'Permission name ' || k,
             (CASE WHEN k < 10 THEN 'USER_DATA' ELSE 'NONE' END)::"DataKind",
             (CASE WHEN k < 4 THEN 'SENSITIVE' WHEN k < 20 THEN 'RELATIVE' ELSE 'LOW' END)::"Sensitivity",
             (enum_range(NULL::"PermissionOperation"))[1 + k % 9], false, false, true, now(), now()
           FROM generate_series(0, 39) k`,
        );
        await tx.$executeRawUnsafe(
          `INSERT INTO job_role (id, system_id, code, name, name_en, description, is_administrative, is_requestable, is_active, created_at, updated_at)
           SELECT gen_random_uuid(), ${sys}, 'ROLE.' || lpad(r::text, 3, '0'), '岗位角色' || r, 'Job role ' || r, '岗位角色说明 ' || r, r = 0, r <> 0, true, now(), now()
           FROM generate_series(0, 149) r`,
        );
        await tx.$executeRawUnsafe(
          `INSERT INTO role_permission (id, role_id, permission_id, starts_at)
           SELECT gen_random_uuid(), jr.id, pm.id, now() - interval '1 year'
           FROM job_role jr JOIN permission pm ON pm.system_id = jr.system_id
           WHERE jr.system_id = ${sys} AND (substr(jr.code, 6)::int + substr(pm.code, 6)::int) % 8 = 0`,
        );
        // Their own people (one live account per person and system), in the large org tree.
        await tx.$executeRawUnsafe(
          `INSERT INTO person (id, employee_no, name, org_unit_id, job_title, employment_type, status, created_at, updated_at)
           SELECT gen_random_uuid(), $1 || lpad(a::text, 5, '0'), '大系统用户' || lpad(a::text, 5, '0'), o.id, '业务员', 'EMPLOYEE', 'ACTIVE', now(), now()
           FROM generate_series(0, 2999) a, org_unit o WHERE o.code = $2`,
          `${code}-`,
          LARGE_TREE_ROOT_CODE,
        );
        await tx.$executeRawUnsafe(
          `INSERT INTO slave_account (id, system_id, person_id, login_name, status, last_login_at, created_at, updated_at)
           SELECT gen_random_uuid(), ${sys}, p.id, 'large.user.' || right(p.employee_no, 5), 'ACTIVE', now() - interval '3 days', now(), now()
           FROM person p WHERE p.employee_no LIKE $1`,
          `${code}-%`,
        );
      },
      { timeoutMs: 60_000 },
    );
    const system = await db.businessSystem.findUniqueOrThrow({ where: { code }, select: { id: true } });
    expect(await db.slaveAccount.count({ where: { systemId: system.id } })).toBe(3000);
    const admin = await createTestPerson({ role: "ACCOUNT_ADMIN", systemCode: code });
    await signIn(page, admin.employeeNo, { password: TEST_PASSWORD, totpSecret: admin.totpSecret });
    const weights: Record<string, number> = {};
    const path = `/systems/${system.id}`;
    for (const p of [path, `${path}/matrix`]) weights[p] = await weigh(page.request, { path: p });
    // The catalogues page on: 15 roles, then the next 15 by the page's own link.
    await page.goto(path);
    await expect(page.getByTestId("roles").getByRole("row")).toHaveCount(15);
    await expect(page.getByTestId("matrix-summary")).toContainText("150 roles × 40 permissions, 750 cells ticked.");
    await page.getByTestId("roles-next").click();
    await expect(page.getByTestId("roles")).toContainText("ROLE.015");
    const pathOf = (url: string) => new URL(url).pathname + new URL(url).search;
    weights[pathOf(page.url())] = await weigh(page.request, { path: pathOf(page.url()) });
    // The second page of the matrix's roles and of its permissions, by following the page's own links.
    await page.goto(`${path}/matrix`);
    await expect(page.getByTestId("matrix").locator("input[type=checkbox]").first()).toBeVisible();
    await page.getByRole("link", { name: "Next roles" }).click();
    await expect(page).toHaveURL(/roles=/);
    await expect(page.getByTestId("matrix")).toContainText("ROLE.025");
    await page.getByRole("link", { name: "Next permissions" }).click();
    await expect(page).toHaveURL(/perms=/);
    await expect(page.getByTestId("matrix")).toContainText("PERM.020");
    weights[pathOf(page.url())] = await weigh(page.request, { path: pathOf(page.url()) });
    console.log(`[page-weight] large system: ${JSON.stringify(weights)}`);
    for (const [p, bytes] of Object.entries(weights)) expect(bytes, `${p} weighs ${bytes} bytes`).toBeLessThanOrEqual(BUDGET);
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
