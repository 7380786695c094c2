import { NextResponse } from "next/server";
import { getActor } from "@/lib/auth/get-actor";
import { openEventStream } from "@/lib/events/stream";

// Server push for the signed-in person's open pages (Server-Sent Events): unread count, vault prompts
// and decisions. Authenticated by the portal session like every page; see lib/events/stream.ts.
export const dynamic = "force-dynamic";
export const runtime = "nodejs";

export async function GET(request: Request) {
  const actor = await getActor();
  if (!actor) return NextResponse.json({ error: { code: "UNAUTHENTICATED" } }, { status: 401 });
  return new Response(openEventStream(actor, request.signal), {
    headers: {
      "Content-Type": "text/event-stream; charset=utf-8",
      "Cache-Control": "no-cache, no-transform",
      Connection: "keep-alive",
      "X-Accel-Buffering": "no",
    },
  });
}
