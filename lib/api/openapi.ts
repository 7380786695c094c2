import { z } from "zod";
import { ERROR_STATUS, type ErrorCode } from "@/lib/errors";
import { API_OPERATIONS } from "@/lib/api-tokens/operations";
import { COMMON_ERRORS, ErrorBody, type ApiRouteSpec } from "./contract";
import { API_ROUTES } from "./routes";

// The OpenAPI 3.1 document, generated from the route registry and the very zod schemas the handlers
// validate with (zod 4's JSON Schema output is draft 2020-12, which OpenAPI 3.1 uses as is).

type JsonSchema = Record<string, unknown>;
type Io = "input" | "output";

class Components {
  readonly schemas: Record<string, JsonSchema> = {};

  /** The JSON Schema of a zod schema; named parts (`.meta({ id })`) become shared components. */
  convert(schema: z.ZodType, io: Io): JsonSchema {
    const json = z.toJSONSchema(schema, {
      target: "draft-2020-12",
      io,
      unrepresentable: "any",
      override: (ctx) => {
        const def = (ctx.zodSchema as { _zod: { def: { type: string } } })._zod.def;
        if (def.type === "date") Object.assign(ctx.jsonSchema, { type: "string", format: "date-time" });
      },
    }) as JsonSchema;
    delete json.$schema;
    const defs = (json.$defs ?? {}) as Record<string, JsonSchema>;
    delete json.$defs;
    const rename = new Map<string, string>();
    for (const [id, def] of Object.entries(defs)) {
      let name = id;
      // The same named schema read as input and written as output may differ (defaults, transforms).
      if (this.schemas[name] && JSON.stringify(this.schemas[name]) !== JSON.stringify(rewriteRefs(def, rename, defs)))
        name = `${id}${io === "input" ? "Input" : "Output"}`;
      rename.set(id, name);
    }
    for (const [id, def] of Object.entries(defs)) {
      const name = rename.get(id)!;
      const rewritten = rewriteRefs(def, rename, defs) as JsonSchema;
      const existing = this.schemas[name];
      if (existing && JSON.stringify(existing) !== JSON.stringify(rewritten))
        throw new Error(`OpenAPI: two different schemas named ${name}`);
      this.schemas[name] = rewritten;
    }
    return rewriteRefs(json, rename, defs) as JsonSchema;
  }
}

function rewriteRefs(value: unknown, rename: Map<string, string>, defs: Record<string, unknown>): unknown {
  if (Array.isArray(value)) return value.map((v) => rewriteRefs(v, rename, defs));
  if (!value || typeof value !== "object") return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === "$ref" && typeof v === "string" && v.startsWith("#/$defs/")) {
      const id = v.slice("#/$defs/".length);
      out[k] = `#/components/schemas/${rename.get(id) ?? id}`;
    } else out[k] = rewriteRefs(v, rename, defs);
  }
  return out;
}

const ERROR_REF = { $ref: "#/components/schemas/Error" };

function parametersOf(components: Components, schema: z.ZodType | undefined, where: "path" | "query") {
  if (!schema) return [];
  const json = components.convert(schema, "input");
  const properties = (json.properties ?? {}) as Record<string, JsonSchema>;
  const required = new Set((json.required ?? []) as string[]);
  return Object.entries(properties).map(([name, s]) => {
    const { description, ...rest } = s;
    return { name, in: where, required: where === "path" || required.has(name), ...(description ? { description } : {}), schema: rest };
  });
}

function errorCodesOf(spec: ApiRouteSpec): ErrorCode[] {
  const codes = new Set<ErrorCode>([...COMMON_ERRORS, ...spec.errors]);
  if (spec.actingAs === "required") codes.add("ACTING_PERSON_INVALID").add("FORBIDDEN");
  if (spec.body) codes.add("MALFORMED_JSON").add("PAYLOAD_TOO_LARGE");
  return [...codes];
}

function operationOf(components: Components, spec: ApiRouteSpec) {
  const parameters: unknown[] = [...parametersOf(components, spec.params, "path"), ...parametersOf(components, spec.query, "query")];
  if (spec.actingAs === "required") {
    parameters.push({ $ref: "#/components/parameters/ActingAs" });
  }
  if (spec.idempotencyKey) parameters.push({ $ref: "#/components/parameters/IdempotencyKey" });
  parameters.push({ $ref: "#/components/parameters/AcceptLanguage" });

  const responses: Record<string, unknown> = {
    [String(spec.successStatus)]: {
      description: spec.successStatus === 201 ? "Created" : "OK",
      content: { "application/json": { schema: components.convert(spec.response, "output") } },
    },
  };
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of errorCodesOf(spec)) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  for (const [status, codes] of [...byStatus].sort(([a], [b]) => a - b)) {
    responses[String(status)] = {
      description: `error.code: ${codes.sort().join(", ")}`,
      content: { "application/json": { schema: ERROR_REF } },
    };
  }
  responses["500"] = {
    description: "error.code: UNEXPECTED (nothing was changed; quote error.requestId)",
    content: { "application/json": { schema: ERROR_REF } },
  };

  return {
    operationId: spec.operationId,
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    tags: [spec.tag],
    "x-token-operation": spec.operation,
    security: [{ bearerAuth: [] }],
    parameters,
    ...(spec.body
      ? { requestBody: { required: true, content: { "application/json": { schema: components.convert(spec.body, "input") } } } }
      : {}),
    responses,
  };
}

export function buildOpenApiDocument(routes: readonly ApiRouteSpec[] = API_ROUTES as unknown as ApiRouteSpec[]) {
  const components = new Components();
  components.convert(ErrorBody, "output");
  const paths: Record<string, Record<string, unknown>> = {};
  for (const spec of routes) {
    const item = (paths[spec.path] ??= {});
    const method = spec.method.toLowerCase();
    if (item[method]) throw new Error(`OpenAPI: ${spec.method} ${spec.path} is registered twice`);
    item[method] = operationOf(components, spec);
  }
  paths["/openapi.json"] = {
    get: {
      operationId: "getOpenApiDocument",
      summary: "This document",
      tags: ["Meta"],
      security: [],
      responses: { "200": { description: "The OpenAPI 3.1 document", content: { "application/json": { schema: { type: "object" } } } } },
    },
  };
  return {
    openapi: "3.1.0",
    info: {
      title: "4A portal API",
      version: "1.0.0",
      description: [
        "REST API for business systems and integrations: access requests and decisions, live grants, vault mode (R14).",
        "Authenticate with an API token created by a system administrator (Administration → API tokens): `Authorization: Bearer 4a_…`.",
        "A token is scoped to business systems and to operations (" +
          API_OPERATIONS.join(", ") +
          "); each route names the one it needs in `x-token-operation`.",
        "Calls that act for a person (submit, decide, cancel, vault) name that person's employee number in `X-Acting-As`; the person's own portal permissions apply and audit rows name both the person and the token.",
        "Errors are JSON `{ error: { code, message, fields?, violations?, details?, requestId } }`; `message` follows Accept-Language (zh-CN or en). A refused call changes nothing.",
      ].join("\n\n"),
    },
    servers: [{ url: "/api/v1" }],
    security: [{ bearerAuth: [] }],
    tags: [
      { name: "Requests", description: "Access requests and their approval decisions" },
      { name: "Grants", description: "Who holds which job role, live" },
      { name: "People", description: "One person's access" },
      { name: "Reviews", description: "Periodic access reviews: campaigns, their items, and reviewers' decisions (R9, R12)" },
      { name: "Vault", description: "Vault mode: real-time second-person approval of a sensitive operation (R14)" },
      { name: "Meta", description: "About the API" },
    ],
    paths,
    components: {
      securitySchemes: {
        bearerAuth: {
          type: "http",
          scheme: "bearer",
          bearerFormat: "4a_<prefix>_<secret>",
          description: "An API token; shown once when created, stored only hashed.",
        },
      },
      parameters: {
        ActingAs: {
          name: "X-Acting-As",
          in: "header",
          required: true,
          description: "Employee number of the person the integration acts for.",
          schema: { type: "string", pattern: "^[A-Za-z0-9_-]{2,32}$" },
        },
        IdempotencyKey: {
          name: "Idempotency-Key",
          in: "header",
          required: false,
          description:
            "Repeating a call with the same key (same token, same person) returns what the first call made instead of doing it twice.",
          schema: { type: "string", pattern: "^[A-Za-z0-9_-]{8,80}$" },
        },
        AcceptLanguage: {
          name: "Accept-Language",
          in: "header",
          required: false,
          description: "zh-CN (default) or en: the language of error messages.",
          schema: { type: "string" },
        },
      },
      schemas: components.schemas,
    },
  };
}

let cached: ReturnType<typeof buildOpenApiDocument> | null = null;

export function openApiDocument() {
  cached ??= buildOpenApiDocument();
  return cached;
}
