import { expect, test } from "@playwright/test";
import { signIn } from "./support/auth";
import { createTestPerson, TEST_PASSWORD } from "./support/data";

test("a system administrator creates an API token, sees it once, the API accepts it, and refuses it once revoked", async ({
  page,
  request,
}) => {
  const admin = await createTestPerson({ role: "SYSTEM_ADMIN" });
  await signIn(page, admin.employeeNo, { password: TEST_PASSWORD, totpSecret: admin.totpSecret });
  await page.getByTestId("sidebar").getByRole("link", { name: "API tokens" }).click();
  await expect(page.getByRole("heading", { name: "API tokens" })).toBeVisible();

  // Bad input first: nothing chosen → field errors, no token.
  const form = page.getByRole("form", { name: "Create a token" });
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(form.getByRole("alert").first()).toHaveText("Please correct the highlighted fields.");
  await expect(page.getByTestId("api-token-secret")).toHaveCount(0);

  const name = `OA integration ${admin.employeeNo}`;
  await form.getByLabel("Name").fill(name);
  await form.getByRole("checkbox", { name: "CRM · CRM", exact: true }).check();
  await form.getByRole("checkbox", { name: /Look up grants/ }).check();
  await form.getByLabel("Valid for (days)").fill("30");
  await form.getByRole("button", { name: "Create token" }).click();
  await expect(form.getByRole("status")).toHaveText(`Token “${name}” created.`);
  const secret = await page.getByTestId("api-token-secret").inputValue();
  expect(secret).toMatch(/^4a_[0-9a-f]{10}_[A-Za-z0-9_-]{43}$/);
  const prefix = secret.split("_")[1]!;
  const row = page.getByTestId(`api-token-${prefix}`);
  await expect(row).toContainText(name);
  await expect(row).toContainText("Active");

  // Shown once: after a reload only the prefix remains.
  await page.reload();
  await expect(page.getByTestId("api-token-secret")).toHaveCount(0);
  await expect(page.getByText(secret)).toHaveCount(0);
  await expect(page.getByTestId(`api-token-${prefix}`)).toContainText(`4a_${prefix}_…`);

  const headers = { authorization: `Bearer ${secret}`, "accept-language": "en" };
  const ok = await request.get("/api/v1/grants?systemCode=CRM&limit=5", { headers });
  expect(ok.status()).toBe(200);
  const page1 = await ok.json();
  expect(page1.data.length).toBeGreaterThan(0);
  expect(page1.data[0].system.code).toBe("CRM");
  const outside = await request.get("/api/v1/grants?systemCode=BOSS", { headers });
  expect(outside.status()).toBe(403);
  expect((await outside.json()).error.code).toBe("TOKEN_SCOPE");

  await page.reload();
  await expect(page.getByTestId(`api-token-${prefix}`)).not.toContainText("Never");
  const revoke = page.getByRole("form", { name: `Revoke ${name}` });
  await revoke.getByLabel("Reason").fill("Integration retired");
  await revoke.getByRole("button", { name: "Revoke" }).click();
  await expect(page.getByTestId(`api-token-${prefix}`)).toContainText("Revoked");

  const refused = await request.get("/api/v1/grants?systemCode=CRM", { headers });
  expect(refused.status()).toBe(401);
  expect(await refused.json()).toMatchObject({ error: { code: "TOKEN_REVOKED", message: "This API token has been revoked." } });
  const docs = await request.get("/api/v1/openapi.json");
  expect(docs.status()).toBe(200);
  expect((await docs.json()).openapi).toBe("3.1.0");
});
