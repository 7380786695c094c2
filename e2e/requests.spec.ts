import { expect, test, type Browser } from "@playwright/test";
import { signIn } from "./support/auth";
import { createTestPerson, TEST_PASSWORD } from "./support/data";
import { createRequestTeam } from "./support/request-data";

async function as(browser: Browser, who: { employeeNo: string; totpSecret?: string }) {
  const context = await browser.newContext();
  const page = await context.newPage();
  await signIn(page, who.employeeNo, { password: TEST_PASSWORD, mfa: !!who.totpSecret, totpSecret: who.totpSecret });
  return { context, page };
}

/** Opens the request from the approvals inbox and decides it. */
async function decide(
  browser: Browser,
  who: { employeeNo: string; totpSecret?: string },
  number: string,
  outcome: "Approve" | "Reject",
  comment: string,
  expected: RegExp,
) {
  const { context, page } = await as(browser, who);
  await page
    .getByTestId("sidebar")
    .getByRole("link", { name: /Approvals/ })
    .click();
  await expect(page.getByRole("heading", { name: "Approvals" })).toBeVisible();
  await page.getByRole("link", { name: number }).click();
  const form = page.getByTestId("decide-form");
  await form.getByLabel("Comment").fill(comment);
  await form.getByRole("button", { name: outcome }).click();
  await expect(page.getByText(expected)).toBeVisible();
  await context.close();
}

test("staff requests a sensitive role; head, system owner and security approve; the grant ends on the date asked", async ({ browser }) => {
  const team = await createRequestTeam();
  const owner = await createTestPerson({ role: "ACCOUNT_ADMIN", systemCode: "CRM" });
  const officer = await createTestPerson({ role: "SECURITY_OFFICER" });

  const staff = await as(browser, team.staff);
  const page = staff.page;
  await page.getByTestId("sidebar").getByRole("link", { name: "My requests" }).click();
  await page.getByTestId("new-request").click();
  await page.getByLabel("System").selectOption({ label: "CRM (4)" });
  await page.getByRole("button", { name: "Show" }).click();
  const card = page.getByTestId("catalog-role").filter({ hasText: "QUERY_ONLY" });
  await expect(card).toContainText("Sensitive");
  await card.getByRole("link", { name: "Request this role" }).click();

  // The pre-check in plain words: nothing against it, time-bound, and who approves.
  const precheck = page.getByTestId("precheck");
  await expect(precheck).toContainText("The policy check finds nothing against this request.");
  await expect(precheck).toContainText("It must end by");
  await expect(precheck).toContainText("Security officer");
  const form = page.getByTestId("request-form");
  await expect(form.getByLabel("Permanent")).toHaveCount(0);
  await form.getByLabel("Why is it needed?").fill("Handle escalated customer complaints for the Q3 campaign");
  await form.getByLabel("30 days").check();
  await form.getByTestId("request-submit").click();
  await expect(page.getByText("Your request was submitted.")).toBeVisible();
  const number = (await page.getByRole("heading", { level: 1 }).textContent())!.match(/REQ-\d{6}/)![0];
  const requestUrl = page.url().replace(/\?.*$/, "");
  const expectedEnd = new Date(Date.now() + 31 * 86_400_000);
  // The catalog now shows the open request instead of offering the role again.
  await page.goto("/requests/new?q=QUERY_ONLY");
  await expect(page.getByTestId("standing-QUERY_ONLY")).toContainText(`You have asked for this: ${number}`);

  await decide(browser, team.head, number, "Approve", "Needed for the complaints desk", /moves on to the next approval/);
  await decide(browser, owner, number, "Approve", "Query only, fine", /moves on to the next approval/);
  await decide(browser, officer, number, "Approve", "Time-bound, approved", /The access has been granted/);

  await page.goto(requestUrl);
  await expect(page.getByTestId("granted")).toContainText("Granted. The access ends");
  await expect(page.getByTestId("granted")).toContainText(String(expectedEnd.getUTCFullYear()));
  const timeline = page.getByTestId("timeline");
  await expect(timeline.getByTestId("decision")).toHaveCount(3);
  await expect(timeline).toContainText("Needed for the complaints desk");
  // Once granted, the catalog shows it held, with renew.
  await page.goto("/requests/new?q=QUERY_ONLY");
  const standing = page.getByTestId("standing-QUERY_ONLY");
  await expect(standing).toContainText("You hold this until");
  await standing.getByRole("link", { name: "Renew" }).click();
  await expect(page.getByRole("heading", { name: "Renew access" })).toBeVisible();
  await staff.context.close();
});

test("the head rejects a request with a reason; the requester sees it", async ({ browser }) => {
  const team = await createRequestTeam();
  const staff = await as(browser, team.staff);
  const page = staff.page;
  await page.goto("/requests/new?q=STATS");
  const requestLink = page
    .getByTestId("catalog-role")
    .filter({ hasText: "STATS_ANALYST" })
    .getByRole("link", { name: "Request this role" });
  const roleUrl = (await requestLink.getAttribute("href"))!;
  await requestLink.click();
  const form = page.getByTestId("request-form");
  await form.getByLabel("Why is it needed?").fill("Curious about the numbers");
  await form.getByLabel("Permanent").check();
  await form.getByTestId("request-submit").click();
  await expect(page.getByText("Your request was submitted.")).toBeVisible();
  const number = (await page.getByRole("heading", { level: 1 }).textContent())!.match(/REQ-\d{6}/)![0];
  const requestUrl = page.url().replace(/\?.*$/, "");

  // The catalog shows the open request instead of offering the role again; asked anyway (the form's own
  // address), the second request is refused as a duplicate, in plain words.
  await page.goto("/requests/new?q=STATS");
  await expect(page.getByTestId("standing-STATS_ANALYST")).toContainText(`You have asked for this: ${number}`);
  await page.goto(roleUrl);
  await expect(page.getByTestId("precheck")).toContainText(`A request for this role is already waiting (${number})`);

  const head = await as(browser, team.head);
  await head.page.goto(requestUrl);
  const decideForm = head.page.getByTestId("decide-form");
  await decideForm.getByRole("button", { name: "Reject" }).click();
  await expect(decideForm.getByRole("alert").last()).toHaveText("Say why you reject it.");
  await decideForm.getByLabel("Comment").fill("Use the monthly report instead");
  await decideForm.getByRole("button", { name: "Reject" }).click();
  await expect(head.page.getByText("Rejected. The requester has been told.")).toBeVisible();
  await head.context.close();

  await page.goto("/requests?status=REJECTED");
  await expect(page.getByRole("link", { name: number })).toBeVisible();
  await page.goto(requestUrl);
  await expect(page.getByTestId("timeline")).toContainText("Use the monthly report instead");
  await expect(page.getByText("Withdraw request")).toHaveCount(0);
  await staff.context.close();
});
