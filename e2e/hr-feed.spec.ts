import { expect, test } from "@playwright/test";
import { randomBytes } from "node:crypto";
import { inTransaction } from "@/lib/db";
import { systemActor } from "@/lib/authz/actor";
import { createApiToken } from "@/lib/api-tokens/create-api-token";
import { signIn } from "./support/auth";
import { createTestPerson, TEST_PASSWORD } from "./support/data";

const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";

// The HR feed over SCIM 2.0 against the production build: a joiner arrives, HR sees them, the feed
// deactivates them and their offboarding case appears.
test("the HR system sends a joiner over SCIM, HR sees the person, then the feed deactivates them and the case has a receipt", async ({
  request,
  page,
}) => {
  const token = await inTransaction((tx) =>
    createApiToken(tx, systemActor("e2e-setup"), {
      name: `HR feed ${randomBytes(3).toString("hex")}`,
      systemIds: [],
      operations: ["hr:write"],
      validDays: 1,
    }),
  );
  const headers = { Authorization: `Bearer ${token.secret}`, "Content-Type": "application/scim+json" };
  const employeeNo = `H${randomBytes(4).toString("hex")}`;
  const created = await request.post("/scim/v2/Users", {
    headers,
    data: {
      schemas: [CORE, ENTERPRISE],
      userName: employeeNo,
      displayName: "新员工",
      title: "客服代表",
      [ENTERPRISE]: { department: "CS" },
    },
  });
  expect(created.status()).toBe(201);
  expect(created.headers()["content-type"]).toContain("application/scim+json");
  const user = (await created.json()) as { id: string; meta: { location: string } };

  const bad = await request.post("/scim/v2/Users", {
    headers,
    data: { schemas: [CORE], userName: employeeNo, displayName: "x", title: "y" },
  });
  expect(bad.status()).toBe(400);

  const hr = await createTestPerson({ role: "HR" });
  await signIn(page, hr.employeeNo, { password: TEST_PASSWORD, totpSecret: hr.totpSecret });
  await page.goto(`/people/${user.id}`);
  await expect(page.getByRole("heading", { name: `新员工 · ${employeeNo}` })).toBeVisible();

  const off = await request.patch(`/scim/v2/Users/${user.id}`, {
    headers,
    data: { schemas: ["urn:ietf:params:scim:api:messages:2.0:PatchOp"], Operations: [{ op: "replace", path: "active", value: false }] },
  });
  expect(off.status()).toBe(200);
  expect(((await off.json()) as { active: boolean }).active).toBe(false);
  await page.reload();
  await page.getByRole("link", { name: /OFF-\d{6} · Completed/ }).click();
  // The receipt (not the person page's history, which names the reason too) says why.
  await expect(page.getByRole("heading", { name: new RegExp(`^Offboarding OFF-\\d{6} · 新员工$`) })).toBeVisible();
  await expect(page.getByText("HR feed (SCIM): deactivated", { exact: true })).toBeVisible();
});
