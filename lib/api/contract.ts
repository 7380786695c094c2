import { z } from "zod";
import type { ErrorCode } from "@/lib/errors";
import type { ApiOperation } from "@/lib/api-tokens/operations";
import { text } from "@/lib/validation";

// One description per REST route, used by both the route handler (lib/http/api.ts validates the path
// parameters, query and body with these very schemas) and the OpenAPI document (lib/api/openapi.ts
// generates JSON Schema from them), so the two cannot drift.
export type ApiRouteSpec<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
  R extends z.ZodType = z.ZodType,
> = {
  operationId: string;
  method: "GET" | "POST";
  // Relative to /api/v1, with {name} for path parameters: "/requests/{id}".
  path: string;
  tag: "Requests" | "Grants" | "Vault" | "People" | "Reviews";
  summary: string;
  description?: string;
  // The token operation the route needs (tokens list theirs).
  operation: ApiOperation;
  // "write": the handler and its "api.called" audit row run in one transaction; "read": no transaction
  // is held (long polls), the audit row is written afterwards.
  kind: "read" | "write";
  // Whether the call acts for a named person (X-Acting-As: their employee number).
  actingAs: "required" | "none";
  // Whether the route honours an Idempotency-Key header.
  idempotencyKey?: boolean;
  params?: P;
  query?: Q;
  body?: B;
  response: R;
  successStatus: 200 | 201;
  // Domain errors the route may answer besides the ones every route may (see COMMON_ERRORS).
  errors: ErrorCode[];
};

export function defineApiRoute<
  P extends z.ZodType,
  Q extends z.ZodType,
  B extends z.ZodType,
  R extends z.ZodType,
  K extends "read" | "write",
  A extends "required" | "none",
>(spec: ApiRouteSpec<P, Q, B, R> & { kind: K; actingAs: A }): ApiRouteSpec<P, Q, B, R> & { kind: K; actingAs: A } {
  return spec;
}

// Every token route may answer these.
export const COMMON_ERRORS: ErrorCode[] = [
  "UNAUTHENTICATED",
  "TOKEN_INVALID",
  "TOKEN_EXPIRED",
  "TOKEN_REVOKED",
  "TOKEN_SCOPE",
  "RATE_LIMITED",
  "VALIDATION",
];

export const ErrorBody = z
  .object({
    error: z.object({
      code: text().describe("A stable code, e.g. TOKEN_EXPIRED, VALIDATION, REQUEST_ALREADY_DECIDED."),
      message: text().describe("The code in words, in the language of Accept-Language (zh-CN or en)."),
      fields: z
        .record(text(), text())
        .optional()
        .describe("VALIDATION: each invalid input (body path, query name, path parameter or header) and what is wrong with it."),
      violations: z
        .array(z.object({ code: text(), message: text() }))
        .optional()
        .describe("POLICY_VIOLATION: every rule the change would break."),
      details: z.record(text(), z.unknown()).optional().describe("Structured context, e.g. who decided a request already and when."),
      requestId: text().describe("Quote it when asking for help: the server's log and audit rows carry it."),
    }),
  })
  .meta({ id: "Error" });
export type ErrorBody = z.infer<typeof ErrorBody>;
