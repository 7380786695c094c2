import { expect, type Page } from "@playwright/test";
import { currentTotp, TOTP_PERIOD } from "@/lib/auth/totp";
import { DEMO_PASSWORD, DEMO_TOTP_SECRET } from "@/lib/seed/demo-data";

// A TOTP code is single-use per account and time step (replay protection), and tests sign the same
// demo people in many times: remember the last step used per login and take the next free one.
const lastStep = new Map<string, number>();

async function freshCode(login: string, secret: string): Promise<string> {
  for (;;) {
    const now = Date.now();
    const step = Math.floor(now / 1000 / TOTP_PERIOD);
    const used = lastStep.get(login) ?? -1;
    // The server accepts one step of drift, so the next step is usable before it begins.
    const candidate = Math.max(step, used + 1);
    if (candidate <= step + 1) {
      lastStep.set(login, candidate);
      return currentTotp(secret, candidate * TOTP_PERIOD * 1000);
    }
    await new Promise((r) => setTimeout(r, (step + 1) * TOTP_PERIOD * 1000 - now + 50));
  }
}

export async function submitPassword(page: Page, login: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto("/sign-in");
  await page.getByLabel(/Employee number or e-mail|工号或邮箱/).fill(login);
  await page.getByLabel(/^Password$|^密码$/).fill(password);
  await page.getByRole("button", { name: /^Sign in$|^登录$/ }).click();
}

export async function enterTotp(page: Page, login: string, secret = DEMO_TOTP_SECRET): Promise<void> {
  await expect(page).toHaveURL(/\/sign-in\/mfa/);
  for (let attempt = 0; attempt < 2; attempt++) {
    await page.getByLabel(/^Code$|^验证码$/).fill(await freshCode(login, secret));
    await page.getByRole("button", { name: /Verify|验证/ }).click();
    try {
      await page.waitForURL((url) => !url.pathname.startsWith("/sign-in"), { timeout: 10_000 });
      return;
    } catch {
      // Another process used this step already: wait for the next one.
      lastStep.set(login, Math.floor(Date.now() / 1000 / TOTP_PERIOD) + 1);
    }
  }
  throw new Error(`could not complete the second factor for ${login}`);
}

/** Signs a demo person in: password, then the demo TOTP when their role requires it. */
export async function signIn(
  page: Page,
  login: string,
  opts: { mfa?: boolean; password?: string; totpSecret?: string } = {},
): Promise<void> {
  await submitPassword(page, login, opts.password);
  if (opts.mfa ?? true) await enterTotp(page, login, opts.totpSecret);
  await expect(page.getByTestId("user-menu")).toBeVisible();
}

export async function signOut(page: Page): Promise<void> {
  await page.getByRole("button", { name: /^Sign out$|^退出$/ }).click();
  await expect(page).toHaveURL(/\/sign-in/);
}
