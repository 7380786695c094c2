import { NextResponse, type NextRequest } from "next/server";
import { abandonsPendingSignIn, PENDING_SIGN_IN_COOKIE } from "@/lib/auth/pending-cookie";
import { contentSecurityPolicy, isAllowedOrigin, needsSameOrigin, newNonce, portalOrigins, securityHeaders } from "@/lib/http/web-security";

// Next.js 16's proxy (formerly middleware) runs before every matched request. It refuses state-changing
// requests from foreign or missing origins with a 403 (Next.js itself answers a foreign Origin on a server
// action with a 500 and accepts a missing one), and sets the security headers, with a fresh CSP nonce that
// Next.js puts on its own scripts (it reads the nonce from the request's Content-Security-Policy header).
// Opening the password page again abandons a pending sign-in: its cookie is cleared (lib/auth/pending-cookie.ts).
export function proxy(request: NextRequest) {
  const portalUrl = process.env.PORTAL_URL ?? "http://localhost:3000";
  const https = portalUrl.startsWith("https:");
  const headers = securityHeaders({ https });

  if (
    needsSameOrigin(request.method, request.nextUrl.pathname) &&
    !isAllowedOrigin(request.headers.get("origin"), portalOrigins(portalUrl))
  ) {
    return new NextResponse("403 Forbidden: this request did not come from the portal's own pages.", {
      status: 403,
      headers: { ...headers, "Content-Type": "text/plain; charset=utf-8" },
    });
  }

  const nonce = newNonce();
  const csp = contentSecurityPolicy(nonce, { dev: process.env.NODE_ENV === "development", https });
  const requestHeaders = new Headers(request.headers);
  requestHeaders.set("x-nonce", nonce);
  requestHeaders.set("content-security-policy", csp);
  const response = NextResponse.next({ request: { headers: requestHeaders } });
  response.headers.set("Content-Security-Policy", csp);
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  if (
    abandonsPendingSignIn({
      method: request.method,
      pathname: request.nextUrl.pathname,
      headers: request.headers,
      hasCookie: request.cookies.has(PENDING_SIGN_IN_COOKIE),
    })
  )
    response.cookies.delete(PENDING_SIGN_IN_COOKIE);
  return response;
}

export const config = {
  // Everything but Next.js's own static files (immutable, no scripts of ours run from them).
  matcher: [{ source: "/((?!_next/static|_next/image|favicon.ico).*)" }],
};
