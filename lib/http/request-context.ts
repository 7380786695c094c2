import { headers } from "next/headers";
import { randomUUID } from "node:crypto";
import type { RequestContext } from "@/lib/authz/actor";
import { env } from "@/lib/env";
import { clientAddress, parseTrustedProxies, servedOverHttps, type TrustedProxies } from "./client-address";

let proxies: TrustedProxies | undefined;

/** The client's address for throttling and audit: the socket's, or what TRUSTED_PROXIES vouch for. */
export function clientIp(h: Headers): string | null {
  proxies ??= parseTrustedProxies(env().TRUSTED_PROXIES);
  return clientAddress(h, proxies)?.slice(0, 100) ?? null;
}

/** Whether this request came over https (PORTAL_URL https, or a trusted proxy's X-Forwarded-Proto). */
export function isHttpsRequest(h: Headers): boolean {
  proxies ??= parseTrustedProxies(env().TRUSTED_PROXIES);
  return servedOverHttps(h, env().PORTAL_URL, proxies);
}

export async function getRequestContext(): Promise<RequestContext> {
  const h = await headers();
  const incoming = h.get("x-request-id");
  return {
    requestId: incoming && /^[\w-]{1,100}$/.test(incoming) ? incoming : randomUUID(),
    ip: clientIp(h),
    userAgent: h.get("user-agent")?.slice(0, 500) ?? null,
  };
}
