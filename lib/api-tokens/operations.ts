// What an API token may be allowed to do: a fixed catalogue. A route names the one operation it needs;
// a token lists the operations it was given. Unknown means deny.
export const API_OPERATIONS = [
  // Read access requests (status, stages, decisions) of the token's systems.
  "requests:read",
  // Submit and cancel access requests for a named person.
  "requests:write",
  // Approve or reject a request stage as a named approver.
  "decisions:write",
  // Look up live grants (who holds which role) in the token's systems.
  "grants:read",
  // Create vault (R14) requests for the token's systems' scenarios, wait for their decision, list approvers.
  "vault:write",
  // The HR feed (SCIM 2.0 at /scim/v2): joiners, movers and leavers from the HR system (R11).
  "hr:write",
  // Read access-review campaigns and their items in the token's systems (issue 12 §9).
  "reviews:read",
  // Decide review items as the named reviewer (or their delegate).
  "reviews:write",
] as const;

export type ApiOperation = (typeof API_OPERATIONS)[number];

export function isApiOperation(value: string): value is ApiOperation {
  return (API_OPERATIONS as readonly string[]).includes(value);
}

// A token expires at most this long after it is created: integrations rotate their credentials.
export const MAX_TOKEN_DAYS = 366;
