import { serveScim } from "@/lib/hr-feed/route";
import { resourceTypes } from "@/lib/hr-feed/discovery";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return serveScim(request, "/scim/v2/ResourceTypes", { kind: "read", run: async (c) => ({ status: 200, body: resourceTypes(c.base) }) });
}
