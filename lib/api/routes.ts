import { defineApiRoute } from "./contract";
import { GrantsPage, GrantsQuery, PersonAccess, PersonAccessParams } from "./schemas";

// The REST API's routes (/api/v1): each app/api/v1/**/route.ts serves its spec from here and the OpenAPI
// document lists exactly these (tests/unit/openapi.test.ts checks both directions).

export const listGrants = defineApiRoute({
  operationId: "listGrants",
  method: "GET",
  path: "/grants",
  tag: "Grants",
  summary: "Look up live grants in the token's systems",
  description: "Who holds which job role right now, in the order the grants were made, a page at a time. Filter by person and/or system.",
  operation: "grants:read",
  kind: "read",
  actingAs: "none",
  query: GrantsQuery,
  response: GrantsPage,
  successStatus: 200,
  errors: ["NOT_FOUND"],
});

export const getPersonAccess = defineApiRoute({
  operationId: "getPersonAccess",
  method: "GET",
  path: "/people/{employeeNo}/access",
  tag: "People",
  summary: "A person's live access in the token's systems",
  operation: "grants:read",
  kind: "read",
  actingAs: "none",
  params: PersonAccessParams,
  response: PersonAccess,
  successStatus: 200,
  errors: ["NOT_FOUND"],
});

export const API_ROUTES = [listGrants, getPersonAccess] as const;
