import { expect, test } from "@playwright/test";
import { signIn } from "./support/auth";
import { createTestPerson, TEST_PASSWORD } from "./support/data";

test("the audit export answers JSON errors with a code when not allowed", async ({ page, request }) => {
  const anonymous = await request.get("/audit/export", { headers: { "accept-language": "en" } });
  expect(anonymous.status()).toBe(401);
  expect(await anonymous.json()).toEqual({ code: "UNAUTHENTICATED", message: "Please sign in." });
  const chinese = await request.get("/audit/export", { headers: { "accept-language": "zh-CN" } });
  expect(await chinese.json()).toEqual({ code: "UNAUTHENTICATED", message: "请先登录。" });

  await signIn(page, "E0100", { mfa: false });
  const staff = await page.request.get("/audit/export");
  expect(staff.status()).toBe(403);
  expect(await staff.json()).toMatchObject({ code: "FORBIDDEN" });
});

test("hostile filter values never break the audit page or export", async ({ page }) => {
  const officer = await createTestPerson({ role: "SECURITY_OFFICER" });
  await signIn(page, officer.employeeNo, { password: TEST_PASSWORD, totpSecret: officer.totpSecret });
  const hostile = new URLSearchParams({
    actor: "<script>alert(1)</script>",
    action: "'; DROP TABLE audit_event; --",
    targetId: "🔐".repeat(50),
    from: "not-a-date",
    to: "x".repeat(10_000).slice(0, 3000),
    cursor: "-1 OR 1=1",
  });
  const pageResponse = await page.goto(`/audit?${hostile}`);
  expect(pageResponse?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Audit trail" })).toBeVisible();
  const csv = await page.request.get(`/audit/export?${hostile}`);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toContain("text/csv");
  // NUL and other control characters in the filters are dropped like any other invalid filter, not a 500.
  const control = new URLSearchParams({ actor: "a\u0000b", targetId: "\u0000", action: "auth.\u001b" });
  expect((await page.goto(`/audit?${control}`))?.status()).toBe(200);
  await expect(page.getByRole("heading", { name: "Audit trail" })).toBeVisible();
  expect((await page.request.get(`/audit/export?${control}`)).status()).toBe(200);
});

test("impossible roster filters fall back instead of failing the export", async ({ page }) => {
  const officer = await createTestPerson({ role: "SECURITY_OFFICER" });
  await signIn(page, officer.employeeNo, { password: TEST_PASSWORD, totpSecret: officer.totpSecret });
  const hostile = new URLSearchParams({ asOf: "2026-13-45", level: "NOPE", system: "x", cursor: "🔐" });
  for (const path of ["/roster", "/roster/export", "/roster/export-xlsx"]) {
    const response = await page.request.get(`${path}?${hostile}`);
    expect(response.status(), path).toBe(200);
  }
});

test("unknown pages are a translated 404", async ({ page }) => {
  await signIn(page, "E0100", { mfa: false });
  const response = await page.goto("/no-such-page");
  expect(response?.status()).toBe(404);
  await expect(page.getByRole("heading", { name: "Page not found" })).toBeVisible();
  const person = await page.goto("/people/00000000-0000-0000-0000-000000000000");
  expect(person?.status()).toBe(403);
});
