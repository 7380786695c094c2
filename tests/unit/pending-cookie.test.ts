// Issue 9 §3: the pending sign-in cookie is Secure over https and goes when the sign-in ends.
import { describe, expect, it } from "vitest";
import { abandonsPendingSignIn, pendingSignInCookieOptions } from "@/lib/auth/pending-cookie";
import { parseTrustedProxies, PEER_ADDRESS_HEADER, servedOverHttps } from "@/lib/http/client-address";

function headers(values: Record<string, string>): Headers {
  return new Headers(values);
}

describe("servedOverHttps", () => {
  const none = parseTrustedProxies("");
  const proxies = parseTrustedProxies("10.0.0.5");

  it("is true whenever PORTAL_URL is https", () => {
    expect(servedOverHttps(headers({ [PEER_ADDRESS_HEADER]: "198.51.100.4" }), "https://4a.example.com", none)).toBe(true);
    expect(servedOverHttps(headers({}), "HTTPS://4a.example.com", none)).toBe(true);
  });

  it("believes X-Forwarded-Proto only from a trusted proxy, reading the nearest proxy's entry", () => {
    const viaProxy = (proto: string) => headers({ [PEER_ADDRESS_HEADER]: "10.0.0.5", "x-forwarded-proto": proto });
    expect(servedOverHttps(viaProxy("https"), "http://4a.internal", proxies)).toBe(true);
    expect(servedOverHttps(viaProxy("http, HTTPS"), "http://4a.internal", proxies)).toBe(true);
    expect(servedOverHttps(viaProxy("https, http"), "http://4a.internal", proxies)).toBe(false);
    expect(servedOverHttps(viaProxy("http"), "http://4a.internal", proxies)).toBe(false);
    // The same header from a client directly, or with no proxy configured, is not believed.
    const direct = headers({ [PEER_ADDRESS_HEADER]: "198.51.100.4", "x-forwarded-proto": "https" });
    expect(servedOverHttps(direct, "http://4a.internal", proxies)).toBe(false);
    expect(servedOverHttps(viaProxy("https"), "http://4a.internal", none)).toBe(false);
    expect(servedOverHttps(headers({ "x-forwarded-proto": "https" }), "http://4a.internal", proxies)).toBe(false);
  });
});

describe("pendingSignInCookieOptions", () => {
  it("is httpOnly, strict, for the pending sign-in's lifetime, and Secure exactly when served over https", () => {
    expect(pendingSignInCookieOptions({ secure: true })).toEqual({
      httpOnly: true,
      secure: true,
      sameSite: "strict",
      path: "/",
      maxAge: 600,
    });
    expect(pendingSignInCookieOptions({ secure: false }).secure).toBe(false);
  });
});

describe("abandonsPendingSignIn", () => {
  const visit = (over: Partial<Parameters<typeof abandonsPendingSignIn>[0]> = {}) =>
    abandonsPendingSignIn({ method: "GET", pathname: "/sign-in", headers: new Headers(), hasCookie: true, ...over });

  it("is opening the password page with a pending sign-in", () => {
    expect(visit()).toBe(true);
    expect(visit({ headers: headers({ rsc: "1" }) })).toBe(true); // a client-side navigation ("start over")
  });

  it("is not the second factor or enrolment pages, a form post, a prefetch, or no cookie at all", () => {
    expect(visit({ pathname: "/sign-in/mfa" })).toBe(false);
    expect(visit({ pathname: "/sign-in/enrol" })).toBe(false);
    expect(visit({ method: "POST" })).toBe(false);
    expect(visit({ headers: headers({ rsc: "1", "next-router-prefetch": "1" }) })).toBe(false);
    expect(visit({ headers: headers({ "sec-purpose": "prefetch" }) })).toBe(false);
    expect(visit({ hasCookie: false })).toBe(false);
  });
});
