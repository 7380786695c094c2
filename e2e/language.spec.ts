import { expect, test } from "@playwright/test";
import { signIn } from "./support/auth";

test("the browser's language decides by default", async ({ browser }) => {
  const zh = await browser.newContext({ locale: "zh-CN" });
  const page = await zh.newPage();
  await page.goto("/sign-in");
  await expect(page.getByRole("heading", { name: "登录" })).toBeVisible();
  await zh.close();
});

test("the header switcher changes the language and it sticks", async ({ page }) => {
  await signIn(page, "E0100", { mfa: false });
  await expect(page.getByTestId("sidebar")).toContainText("My account");
  await page.getByLabel("Language").selectOption("zh-CN");
  await expect(page.getByTestId("sidebar")).toContainText("我的帐号");
  await expect(page.getByRole("heading", { name: "赵磊，您好" })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId("sidebar")).toContainText("我的帐号");
  await page.getByLabel("语言").selectOption("en");
  await expect(page.getByTestId("sidebar")).toContainText("My account");
});
