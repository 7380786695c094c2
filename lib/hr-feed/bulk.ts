import { inTransaction } from "@/lib/db";
import { recordApiCall } from "@/lib/api-tokens/record-api-call";
import type { ScimContext } from "./route";
import { BULK_REQUEST, BULK_RESPONSE, ScimError, scimErrorOf } from "./scim-user";
import { createUser, deleteUser, patchUser, replaceUser } from "./users";

export const MAX_BULK_OPERATIONS = 1000;

type Operation = { method?: unknown; path?: unknown; bulkId?: unknown; data?: unknown };

/**
 * POST /Bulk (RFC 7644 §3.7): each operation runs on its own, in its own transaction with its own audit
 * row, exactly as the single call would (a refused one writes nothing); failOnErrors stops after that many
 * errors. Operations are carried out in order; `bulkId:` references are not supported (say so per op).
 */
export async function runBulk(c: ScimContext) {
  const body = c.body as { schemas?: unknown; Operations?: unknown; failOnErrors?: unknown } | undefined;
  if (!body || !Array.isArray(body.schemas) || !body.schemas.includes(BULK_REQUEST))
    throw new ScimError(400, "invalidSyntax", `"schemas" must be [${BULK_REQUEST}].`);
  if (!Array.isArray(body.Operations) || body.Operations.length === 0)
    throw new ScimError(400, "invalidSyntax", "Operations must be a non-empty array.");
  if (body.Operations.length > MAX_BULK_OPERATIONS)
    throw new ScimError(413, "tooMany", `At most ${MAX_BULK_OPERATIONS} operations per request.`);
  const failOnErrors = typeof body.failOnErrors === "number" && body.failOnErrors > 0 ? body.failOnErrors : Infinity;
  const results: Record<string, unknown>[] = [];
  let errors = 0;
  for (const raw of body.Operations as Operation[]) {
    if (errors >= failOnErrors) break;
    const method = typeof raw?.method === "string" ? raw.method.toUpperCase() : "";
    const path = typeof raw?.path === "string" ? raw.path : "";
    const bulkId = typeof raw?.bulkId === "string" ? raw.bulkId.slice(0, 100) : undefined;
    const id = /^\/Users\/([^/]+)$/.exec(path)?.[1] ?? null;
    const route = id ? "/scim/v2/Users/{id}" : "/scim/v2/Users";
    try {
      if (JSON.stringify(raw?.data ?? "").includes('"bulkId:'))
        throw new ScimError(400, "invalidValue", "bulkId references are not supported.");
      const out = await inTransaction(
        async (tx) => {
          let r: { status: number; location?: string; resourceId?: string };
          if (method === "POST" && path === "/Users") {
            const user = await createUser(tx, c.actor, raw.data, c.base, c.now);
            r = { status: 201, location: user.meta.location, resourceId: user.id };
          } else if (id && method === "PUT") {
            const user = await replaceUser(tx, c.actor, id, raw.data, c.base, c.now);
            r = { status: 200, location: user.meta.location, resourceId: user.id };
          } else if (id && method === "PATCH") {
            const user = await patchUser(tx, c.actor, id, raw.data, c.base, c.now);
            r = { status: 200, location: user.meta.location, resourceId: user.id };
          } else if (id && method === "DELETE") {
            await deleteUser(tx, c.actor, id, c.now);
            r = { status: 204, resourceId: id };
          } else throw new ScimError(400, "invalidPath", `Unsupported operation ${method} ${path.slice(0, 100)}.`);
          await recordApiCall(tx, c.actor, c.token, { method, route, status: r.status, resourceId: r.resourceId });
          return r;
        },
        { timeoutMs: 60_000 },
      );
      results.push({
        method,
        ...(bulkId ? { bulkId } : {}),
        ...(out.location ? { location: out.location } : {}),
        status: String(out.status),
      });
    } catch (error) {
      const failed = scimErrorOf(error);
      if (!failed) throw error;
      errors++;
      await inTransaction((tx) =>
        recordApiCall(tx, c.actor, c.token, { method, route, status: failed.status, code: failed.scimType ?? String(failed.status) }),
      );
      results.push({ method, ...(bulkId ? { bulkId } : {}), status: String(failed.status), response: failed.body() });
    }
  }
  return { schemas: [BULK_RESPONSE], Operations: results };
}
