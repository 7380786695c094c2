import { serveScim } from "@/lib/hr-feed/route";
import { createUser, listUsers } from "@/lib/hr-feed/users";

export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return serveScim(request, "/scim/v2/Users", {
    kind: "read",
    run: async (c) => ({ status: 200, body: await listUsers(new URL(request.url).searchParams, c.base) }),
  });
}

export function POST(request: Request) {
  return serveScim(request, "/scim/v2/Users", {
    kind: "write",
    run: async (tx, c) => {
      const user = await createUser(tx, c.actor, c.body, c.base, c.now);
      return { status: 201, body: user, location: user.meta.location, resourceId: user.id };
    },
  });
}
