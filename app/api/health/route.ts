import { NextResponse } from "next/server";
import { pingDatabase } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET() {
  const db = await pingDatabase();
  return NextResponse.json({ status: db ? "ok" : "degraded", database: db ? "ok" : "unreachable" }, { status: db ? 200 : 503 });
}
