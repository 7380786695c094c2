import { expect, test } from "@playwright/test";
import { signIn } from "./support/auth";
import { createFailedJob, createTestPerson, TEST_PASSWORD } from "./support/data";

test("a system administrator sees the background jobs and retries a failed one", async ({ page }) => {
  const admin = await createTestPerson({ role: "SYSTEM_ADMIN" });
  const failed = await createFailedJob("The directory did not answer");
  await signIn(page, admin.employeeNo, { password: TEST_PASSWORD, totpSecret: admin.totpSecret });
  await page.getByTestId("sidebar").getByRole("link", { name: "Background jobs" }).click();
  await expect(page.getByRole("heading", { name: "Background jobs" })).toBeVisible();
  // Every portal queue is listed with its schedule.
  await expect(page.getByTestId("queue-grant-expiry")).toContainText("* * * * *");
  await expect(page.getByTestId("queue-policy-recheck")).toContainText("30 2 * * *");
  await expect(page.getByTestId("queue-policy-incremental")).toContainText("* * * * *");

  await page.goto(`/admin/jobs?queue=${failed.queue}`);
  const row = page.getByTestId(`job-${failed.id}`);
  await expect(row).toContainText("The directory did not answer");
  await expect(row).toContainText("Failed");
  await row.getByRole("button", { name: "Retry" }).click();
  await expect(page.getByRole("status").filter({ hasText: failed.id })).toContainText("was queued again");
  await expect(row).toHaveCount(0);
  await page.goto(`/admin/jobs?queue=${failed.queue}`);
  await expect(page.getByText("No failed jobs.")).toBeVisible();
  await page.getByRole("link", { name: "Dead-lettered" }).click();
  await expect(page).toHaveURL(/view=dead/);
});

test("the jobs page is refused to anyone but system administrators; the health check names the runtime", async ({ page }) => {
  const officer = await createTestPerson({ role: "SECURITY_OFFICER" });
  await signIn(page, officer.employeeNo, { password: TEST_PASSWORD, totpSecret: officer.totpSecret });
  await expect(page.getByRole("link", { name: "Background jobs" })).toHaveCount(0);
  const response = await page.goto("/admin/jobs");
  expect(response?.status()).toBe(403);
  const health = await page.request.get("/api/health");
  expect(await health.json()).toMatchObject({ status: "ok", node: expect.stringMatching(/^v24\./) });
});
