// Issue 9 §3/§4, read from the production build the e2e server runs: security headers with a per-request
// CSP nonce, the same-origin rule for form posts, and the client address that throttling and the audit use.
import { expect, test } from "@playwright/test";
import { getDb } from "@/lib/db";
import { signIn, submitPassword } from "./support/auth";
import { createTestPerson, TEST_PASSWORD } from "./support/data";

test("pages carry a nonce-based CSP and the other security headers; scripts run under it", async ({ page, request }) => {
  const violations: string[] = [];
  page.on("console", (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
  });
  const first = await request.get("/sign-in");
  const second = await request.get("/sign-in");
  const csp = first.headers()["content-security-policy"] ?? "";
  expect(csp).toMatch(/script-src 'self' 'nonce-[A-Za-z0-9+/=]{20,}' 'strict-dynamic'/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).not.toContain("unsafe-eval");
  const nonce = /'nonce-([^']+)'/.exec(csp)![1];
  expect(second.headers()["content-security-policy"]).not.toContain(nonce); // fresh per response
  // Next.js put the nonce on its own scripts.
  expect(await first.text()).toContain(`nonce="${nonce}"`);
  for (const response of [first, await request.get("/api/health")]) {
    const h = response.headers();
    expect(h["permissions-policy"]).toContain("camera=()");
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["referrer-policy"]).toBe("same-origin");
    expect(h["x-frame-options"]).toBe("DENY");
    expect(h["strict-transport-security"]).toBeUndefined(); // served over http here (see tests/unit/web-security.test.ts)
  }
  // The page's scripts run: signing in works, and the browser reported no blocked script.
  const person = await createTestPerson();
  await signIn(page, person.employeeNo, { password: TEST_PASSWORD, mfa: false });
  await expect(page).not.toHaveURL(/\/sign-in/);
  expect(violations).toEqual([]);
});

test("a form post (server action) with a foreign or missing Origin is refused with 403", async ({ request, baseURL }) => {
  const action = { "next-action": "0".repeat(42), "content-type": "text/plain;charset=UTF-8" };
  const foreign = await request.post("/sign-in", { headers: { ...action, origin: "https://evil.example" }, data: "[]" });
  expect(foreign.status()).toBe(403);
  expect(await foreign.text()).toContain("did not come from the portal");
  const missing = await request.post("/sign-in", { headers: action, data: "[]" });
  expect(missing.status()).toBe(403);
  const sameSite = await request.post("/people", { headers: { ...action, origin: "http://localhost:1" }, data: "[]" });
  expect(sameSite.status()).toBe(403);
  // From the portal's own origin the request reaches Next.js (which answers an unknown action itself).
  const own = await request.post("/sign-in", { headers: { ...action, origin: new URL(baseURL!).origin }, data: "[]" });
  expect(own.status()).not.toBe(403);
  // The REST API is for machines with bearer tokens: no Origin needed (401 without a token, not 403).
  const api = await request.post("/api/v1/requests", { data: {} });
  expect(api.status()).toBe(401);
});

test("a forged X-Forwarded-For is not believed: the audit and the throttle see the socket's address", async ({ browser }) => {
  const context = await browser.newContext({
    extraHTTPHeaders: { "x-forwarded-for": "203.0.113.7", "x-real-ip": "203.0.113.8", "x-portal-peer-address": "198.51.100.9" },
  });
  const page = await context.newPage();
  const login = `forged-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
  await submitPassword(page, login, "not-the-password");
  await expect(page.getByRole("alert").first()).toContainText("wrong");
  const row = await getDb().auditEvent.findFirstOrThrow({ where: { action: "auth.sign-in.failed", actorName: login } });
  expect(row.ip).toBe("127.0.0.1");
  await context.close();
});
