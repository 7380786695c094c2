import { serveScim } from "@/lib/hr-feed/route";
import { serviceProviderConfig } from "@/lib/hr-feed/discovery";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return serveScim(request, "/scim/v2/ServiceProviderConfig", {
    kind: "read",
    run: async (c) => ({ status: 200, body: serviceProviderConfig(c.base) }),
  });
}
