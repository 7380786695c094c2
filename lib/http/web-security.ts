// Security headers and the same-origin rule for state-changing requests, applied by proxy.ts to every
// response (issue 9 §4). Pure functions of the request and the configuration, so they are unit-tested.

/** The origins the portal's own pages are served from: PORTAL_URL's. */
export function portalOrigins(portalUrl: string): string[] {
  return [new URL(portalUrl).origin];
}

const STATE_CHANGING = new Set(["POST", "PUT", "PATCH", "DELETE"]);

/**
 * Whether a request must come from the portal's own pages: every state-changing request except the REST
 * API, whose callers are machines with bearer tokens (no cookies, so nothing a foreign page could borrow).
 */
export function needsSameOrigin(method: string, pathname: string): boolean {
  return (
    STATE_CHANGING.has(method.toUpperCase()) &&
    !pathname.startsWith("/api/v1/") &&
    pathname !== "/api/v1" &&
    !pathname.startsWith("/scim/v2/")
  );
}

/** A browser sends Origin with every POST; a missing one is refused as well as a foreign one. */
export function isAllowedOrigin(origin: string | null, allowed: string[]): boolean {
  if (!origin || origin === "null") return false;
  try {
    return allowed.includes(new URL(origin).origin);
  } catch {
    return false;
  }
}

/** A fresh nonce per response (128 random bits, base64). */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}

/**
 * Scripts: only those carrying this response's nonce (Next.js puts it on its own scripts when it finds it
 * in the request's Content-Security-Policy) and what they load ('strict-dynamic'). Styles: the app's own
 * stylesheets plus inline style attributes. Nothing may frame the portal, and forms post only to it.
 * Development (next dev) also needs eval for React's debugging.
 */
export function contentSecurityPolicy(nonce: string, opts: { dev: boolean; https: boolean }): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${opts.dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(opts.https ? ["upgrade-insecure-requests"] : []),
  ].join("; ");
}

/** The headers every response carries (the CSP is added where a nonce exists). */
export function securityHeaders(opts: { https: boolean }): Record<string, string> {
  return {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
    "Cross-Origin-Opener-Policy": "same-origin",
    // Browsers honour HSTS only over https; sent only when the portal is (PORTAL_URL https://…).
    ...(opts.https ? { "Strict-Transport-Security": "max-age=31536000; includeSubDomains" } : {}),
  };
}
