import { headers } from "next/headers";
import { randomUUID } from "node:crypto";
import type { RequestContext } from "@/lib/authz/actor";

// The nearest hop is the last x-forwarded-for entry (Next.js appends the socket's address; a
// reverse proxy in front does the same), so a client cannot choose its own address by sending one.
export function clientIp(h: Headers): string | null {
  const forwarded = h.get("x-forwarded-for");
  const last = forwarded
    ?.split(",")
    .map((s) => s.trim())
    .filter(Boolean)
    .pop();
  return (last ?? h.get("x-real-ip") ?? null)?.slice(0, 100) ?? null;
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
