import { readdirSync, statSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { buildOpenApiDocument } from "@/lib/api/openapi";
import { API_ROUTES } from "@/lib/api/routes";
import { ERROR_STATUS } from "@/lib/errors";
import { API_OPERATIONS } from "@/lib/api-tokens/operations";
import { parseBearer, newApiTokenSecret, hashApiToken, sameHash } from "@/lib/api-tokens/secret";

const root = path.resolve(import.meta.dirname, "../..");
const v1 = path.join(root, "app/api/v1");

function routeFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return routeFiles(full);
    return name === "route.ts" ? [full] : [];
  });
}

/** app/api/v1/requests/[id]/decisions/route.ts → /requests/{id}/decisions */
function templateOf(file: string): string {
  return (
    "/" +
    path
      .relative(v1, path.dirname(file))
      .split(path.sep)
      .map((s) => s.replace(/^\[(.+)\]$/, "{$1}"))
      .join("/")
  );
}

function refsIn(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => refsIn(v, out));
  else if (value && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else refsIn(v, out);
    }
  }
  return out;
}

function resolve(doc: unknown, ref: string): unknown {
  expect(ref.startsWith("#/"), ref).toBe(true);
  return ref
    .slice(2)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Record<string, unknown>)[key] : undefined), doc);
}

describe("the OpenAPI document", () => {
  const doc = buildOpenApiDocument();

  it("is OpenAPI 3.1 with a bearer security scheme and the error schema", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(doc.info.title).toBeTruthy();
    expect(doc.components.securitySchemes.bearerAuth).toMatchObject({ type: "http", scheme: "bearer" });
    expect(doc.components.schemas.Error).toMatchObject({ type: "object", required: ["error"] });
    expect(JSON.stringify(doc)).not.toContain("#/$defs/");
  });

  it("describes every registered route, with its token operation, parameters and error codes", () => {
    for (const spec of API_ROUTES) {
      const op = (doc.paths[spec.path] as Record<string, Record<string, unknown>> | undefined)?.[spec.method.toLowerCase()];
      expect(op, `${spec.method} ${spec.path}`).toBeDefined();
      expect(op!.operationId).toBe(spec.operationId);
      expect(API_OPERATIONS).toContain(op!["x-token-operation"]);
      const responses = op!.responses as Record<string, unknown>;
      expect(Object.keys(responses)).toEqual(expect.arrayContaining([String(spec.successStatus), "400", "401", "403", "500"]));
      for (const code of spec.errors) expect(responses[String(ERROR_STATUS[code])], `${spec.operationId} ${code}`).toBeDefined();
      const names = (op!.parameters as { name?: string; in?: string; $ref?: string }[]).map((p) => p.name ?? p.$ref);
      for (const name of spec.path.match(/\{(\w+)\}/g)?.map((s) => s.slice(1, -1)) ?? []) expect(names).toContain(name);
      if (spec.actingAs === "required") expect(names).toContain("#/components/parameters/ActingAs");
      if (spec.body)
        expect(op!.requestBody).toMatchObject({ required: true, content: { "application/json": { schema: expect.any(Object) } } });
    }
    const operationIds = API_ROUTES.map((r) => r.operationId);
    expect(new Set(operationIds).size).toBe(operationIds.length);
  });

  it("resolves every $ref", () => {
    const refs = refsIn(doc);
    expect(refs.length).toBeGreaterThan(0);
    for (const ref of refs) expect(resolve(doc, ref), ref).toBeDefined();
  });

  it("matches the route files one to one: each app/api/v1 route serves its registered spec", async () => {
    const served: string[] = [];
    for (const file of routeFiles(v1)) {
      const template = templateOf(file);
      if (template === "/openapi.json") continue;
      const mod = (await import(file)) as Record<string, unknown>;
      for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"])
        if (typeof mod[method] === "function") served.push(`${method} ${template}`);
    }
    expect(served.sort()).toEqual(API_ROUTES.map((r) => `${r.method} ${r.path}`).sort());
  });
});

describe("API token secrets", () => {
  it("have a public prefix and a 32-byte secret; only a well-formed bearer header parses", () => {
    const { token, prefix, hash } = newApiTokenSecret();
    expect(token).toMatch(new RegExp(`^4a_${prefix}_[A-Za-z0-9_-]{43}$`));
    expect(parseBearer(`Bearer ${token}`)).toEqual({ prefix, hash });
    expect(parseBearer(`bearer   ${token}  `)).toEqual({ prefix, hash });
    expect(hash).toBe(hashApiToken(token));
    for (const bad of [null, "", token, `Basic ${token}`, `Bearer ${token}x`, `Bearer ${token} extra`, `Bearer 4A_${token.slice(3)}`])
      expect(parseBearer(bad), String(bad)).toBeNull();
    expect(newApiTokenSecret().token).not.toBe(token);
  });

  it("compare hashes in constant time and never equal on empty or different input", () => {
    const h = hashApiToken("a");
    expect(sameHash(h, hashApiToken("a"))).toBe(true);
    expect(sameHash(h, hashApiToken("b"))).toBe(false);
    expect(sameHash("", "")).toBe(false);
    expect(sameHash(h, h.slice(0, 10))).toBe(false);
  });
});
