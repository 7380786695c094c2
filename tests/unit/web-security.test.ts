// Issue 9 §4: the headers and the same-origin rule proxy.ts applies (read from a production build in
// e2e/web-security.spec.ts; HSTS, which needs https, is checked here).
import { describe, expect, it } from "vitest";
import { contentSecurityPolicy, isAllowedOrigin, needsSameOrigin, newNonce, portalOrigins, securityHeaders } from "@/lib/http/web-security";

describe("web security", () => {
  it("sends HSTS only when the portal is served over https", () => {
    expect(securityHeaders({ https: true })["Strict-Transport-Security"]).toBe("max-age=31536000; includeSubDomains");
    expect(securityHeaders({ https: false })["Strict-Transport-Security"]).toBeUndefined();
    expect(contentSecurityPolicy("n", { dev: false, https: true })).toContain("upgrade-insecure-requests");
    expect(contentSecurityPolicy("n", { dev: false, https: false })).not.toContain("upgrade-insecure-requests");
  });

  it("allows scripts by nonce only, eval in development only", () => {
    const csp = contentSecurityPolicy("abc", { dev: false, https: false });
    expect(csp).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(csp).not.toContain("unsafe-eval");
    expect(contentSecurityPolicy("abc", { dev: true, https: false })).toContain("'unsafe-eval'");
    expect(newNonce()).not.toBe(newNonce());
  });

  it("accepts state-changing requests from PORTAL_URL's origin only, except the REST API", () => {
    const allowed = portalOrigins("https://4a.example.cn/portal/");
    expect(allowed).toEqual(["https://4a.example.cn"]);
    expect(isAllowedOrigin("https://4a.example.cn", allowed)).toBe(true);
    for (const origin of [
      null,
      "null",
      "",
      "http://4a.example.cn",
      "https://4a.example.cn.evil.example",
      "https://evil.example",
      "garbage",
    ]) {
      expect(isAllowedOrigin(origin, allowed), String(origin)).toBe(false);
    }
    expect(needsSameOrigin("POST", "/people")).toBe(true);
    expect(needsSameOrigin("delete", "/api/auth/signout")).toBe(true);
    expect(needsSameOrigin("GET", "/people")).toBe(false);
    expect(needsSameOrigin("POST", "/api/v1/requests")).toBe(false);
    expect(needsSameOrigin("POST", "/api/v1x")).toBe(true);
  });
});
