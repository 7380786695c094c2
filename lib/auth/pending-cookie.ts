// The cookie that carries a sign-in between the password step and the second factor (or enrolment).
// Secure whenever the portal is served over https; cleared once the sign-in completes, fails for good
// (expired, locked, too many codes) or is abandoned (the password page is opened again: proxy.ts).
export const PENDING_SIGN_IN_COOKIE = "portal-pending-sign-in";

/** How long a pending sign-in (and its cookie) lives. No imports: proxy.ts reads this module. */
export const PENDING_SIGN_IN_MINUTES = 10;

export function pendingSignInCookieOptions(opts: { secure: boolean }) {
  return {
    httpOnly: true,
    secure: opts.secure,
    sameSite: "strict" as const,
    path: "/",
    maxAge: PENDING_SIGN_IN_MINUTES * 60,
  };
}

/**
 * Opening the password page again abandons a pending sign-in (the second-factor page's "start over" link,
 * or the expired-sign-in redirect): proxy.ts then clears the cookie. Router prefetches are not visits (the
 * second-factor page prefetches its own "start over" link).
 */
export function abandonsPendingSignIn(request: { method: string; pathname: string; headers: Headers; hasCookie: boolean }): boolean {
  if (!request.hasCookie || request.method !== "GET" || request.pathname !== "/sign-in") return false;
  const h = request.headers;
  const purpose = `${h.get("sec-purpose") ?? ""} ${h.get("purpose") ?? ""}`.toLowerCase();
  return !h.has("next-router-prefetch") && !h.has("next-router-segment-prefetch") && !purpose.includes("prefetch");
}
