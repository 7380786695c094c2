import { serveScim } from "@/lib/hr-feed/route";
import { runBulk } from "@/lib/hr-feed/bulk";

export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return serveScim(request, "/scim/v2/Bulk", { kind: "read", run: async (c) => ({ status: 200, body: await runBulk(c) }) });
}
