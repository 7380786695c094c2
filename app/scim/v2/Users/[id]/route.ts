import { serveScim } from "@/lib/hr-feed/route";
import { deleteUser, getUser, patchUser, replaceUser } from "@/lib/hr-feed/users";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export async function GET(request: Request, { params }: Ctx) {
  const { id } = await params;
  return serveScim(request, "/scim/v2/Users/{id}", {
    kind: "read",
    run: async (c) => ({ status: 200, body: await getUser(id, c.base), resourceId: id.slice(0, 64) }),
  });
}

export async function PUT(request: Request, { params }: Ctx) {
  const { id } = await params;
  return serveScim(request, "/scim/v2/Users/{id}", {
    kind: "write",
    run: async (tx, c) => ({ status: 200, body: await replaceUser(tx, c.actor, id, c.body, c.base, c.now), resourceId: id }),
  });
}

export async function PATCH(request: Request, { params }: Ctx) {
  const { id } = await params;
  return serveScim(request, "/scim/v2/Users/{id}", {
    kind: "write",
    run: async (tx, c) => ({ status: 200, body: await patchUser(tx, c.actor, id, c.body, c.base, c.now), resourceId: id }),
  });
}

export async function DELETE(request: Request, { params }: Ctx) {
  const { id } = await params;
  return serveScim(request, "/scim/v2/Users/{id}", {
    kind: "write",
    run: async (tx, c) => {
      await deleteUser(tx, c.actor, id, c.now);
      return { status: 204, resourceId: id };
    },
  });
}
