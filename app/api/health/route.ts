import { NextResponse } from "next/server";
import { pingDatabase } from "@/lib/health";

export const dynamic = "force-dynamic";

// `node`: the runtime actually serving (process.version), so an operator can see that the pinned
// Node.js 24 from the npm `node` package runs, not the machine's own (decision 0023).
export async function GET() {
  const db = await pingDatabase();
  return NextResponse.json(
    { status: db ? "ok" : "degraded", database: db ? "ok" : "unreachable", node: process.version },
    { status: db ? 200 : 503 },
  );
}
