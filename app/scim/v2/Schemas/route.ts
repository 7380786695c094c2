import { serveScim } from "@/lib/hr-feed/route";
import { schemas } from "@/lib/hr-feed/discovery";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return serveScim(request, "/scim/v2/Schemas", { kind: "read", run: async (c) => ({ status: 200, body: schemas(c.base) }) });
}
