import { defineApiRoute } from "./contract";
import { GrantsPage, GrantsQuery, IdParams, PersonAccess, PersonAccessParams } from "./schemas";
import { CancelBody, DecisionBody, DecisionResponse, RequestView, SubmitRequestBody } from "./request-schemas";
import { CampaignsPage, CampaignsQuery, ItemsPage, ItemsQuery, ItemView, ReviewDecisionBody } from "./review-schemas";
import { VaultApprovers, VaultApproversQuery, VaultRequestBody, VaultRequestView, VaultWaitQuery } from "./vault-schemas";

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

export const submitAccessRequest = defineApiRoute({
  operationId: "submitRequest",
  method: "POST",
  path: "/requests",
  tag: "Requests",
  summary: "Submit an access request for a person",
  description:
    "The person acting (X-Acting-As) asks for a job role, for themselves or for someone in their scope. The policy engine and the duration rules run first; a refusal lists every reason and creates nothing. The approval chain starts at once (its approvers are notified). With an Idempotency-Key, repeating the call returns the request the first call made.",
  operation: "requests:write",
  kind: "write",
  actingAs: "required",
  idempotencyKey: true,
  body: SubmitRequestBody,
  response: RequestView,
  successStatus: 201,
  errors: [
    "NOT_FOUND",
    "FORBIDDEN",
    "CONFLICT",
    "POLICY_VIOLATION",
    "SOD_CONFLICT",
    "REQUEST_NOT_REQUESTABLE",
    "REQUEST_ALREADY_HELD",
    "REQUEST_DUPLICATE",
    "REQUEST_PERMANENT_NOT_ALLOWED",
    "REQUEST_TOO_LONG",
    "REQUEST_ELEVATION_TOO_LONG",
    "REQUEST_PAST_CONTRACT_END",
    "REQUEST_ELEVATION_THIRD_PARTY_ONLY",
    "REQUEST_RENEWAL_INVALID",
    "REQUEST_NO_APPROVER",
    "DATE_IN_PAST",
  ],
});

export const getAccessRequest = defineApiRoute({
  operationId: "getRequest",
  method: "GET",
  path: "/requests/{id}",
  tag: "Requests",
  summary: "An access request with its stages, approvers and decisions",
  operation: "requests:read",
  kind: "read",
  actingAs: "none",
  params: IdParams,
  response: RequestView,
  successStatus: 200,
  errors: ["NOT_FOUND"],
});

export const decideAccessRequest = defineApiRoute({
  operationId: "decideRequest",
  method: "POST",
  path: "/requests/{id}/decisions",
  tag: "Requests",
  summary: "Approve or reject the active stage as the named approver",
  description:
    "The person acting (X-Acting-As) must be an approver of the request's active stage (or their delegate). The policy engine runs again; the final approval creates the grant. Repeating the same decision returns the same result (decision.repeated = true); when someone else decided first the answer is 409 REQUEST_ALREADY_DECIDED with who and when in error.details.",
  operation: "decisions:write",
  kind: "write",
  actingAs: "required",
  params: IdParams,
  body: DecisionBody,
  response: DecisionResponse,
  successStatus: 200,
  errors: [
    "NOT_FOUND",
    "REQUEST_ALREADY_DECIDED",
    "REQUEST_CLOSED",
    "NOT_AN_APPROVER",
    "NO_LONGER_AN_APPROVER",
    "SELF_APPROVAL",
    "POLICY_VIOLATION",
    "SOD_CONFLICT",
    "REQUEST_END_PASSED",
    "CONFLICT",
  ],
});

export const cancelAccessRequest = defineApiRoute({
  operationId: "cancelRequest",
  method: "POST",
  path: "/requests/{id}/cancel",
  tag: "Requests",
  summary: "Withdraw a pending request (its requester or subject)",
  operation: "requests:write",
  kind: "write",
  actingAs: "required",
  params: IdParams,
  body: CancelBody,
  response: RequestView,
  successStatus: 200,
  errors: ["NOT_FOUND", "REQUEST_CLOSED", "REQUEST_ALREADY_DECIDED"],
});

export const createVaultApprovalRequest = defineApiRoute({
  operationId: "createVaultRequest",
  method: "POST",
  path: "/vault/requests",
  tag: "Vault",
  summary: "Ask an online approver to allow one operation now (vault mode)",
  description:
    "The person acting (X-Acting-As) is the operator. The approver's open portal pages show the prompt at once; then wait for the answer with GET /vault/requests/{id}?wait=30. An approval is bound to this operation and target, usable once, until validUntil. Asking again for the same operation and target while a prompt is open returns that prompt.",
  operation: "vault:write",
  kind: "write",
  actingAs: "required",
  body: VaultRequestBody,
  response: VaultRequestView,
  successStatus: 201,
  errors: ["NOT_FOUND", "VAULT_SCENARIO_INACTIVE", "VAULT_APPROVER_NOT_ELIGIBLE", "VAULT_APPROVER_OFFLINE", "VAULT_SELF_APPROVAL"],
});

export const getVaultApprovalRequest = defineApiRoute({
  operationId: "getVaultRequest",
  method: "GET",
  path: "/vault/requests/{id}",
  tag: "Vault",
  summary: "A vault request's state; long-polls for the decision with ?wait=",
  operation: "vault:write",
  kind: "read",
  actingAs: "none",
  params: IdParams,
  query: VaultWaitQuery,
  response: VaultRequestView,
  successStatus: 200,
  errors: ["NOT_FOUND"],
});

export const listVaultApprovers = defineApiRoute({
  operationId: "listVaultApprovers",
  method: "GET",
  path: "/vault/approvers",
  tag: "Vault",
  summary: "Who may approve a scenario for the operator and is online now",
  operation: "vault:write",
  kind: "read",
  actingAs: "required",
  query: VaultApproversQuery,
  response: VaultApprovers,
  successStatus: 200,
  errors: ["NOT_FOUND", "VAULT_SCENARIO_INACTIVE"],
});

export const listReviewCampaigns = defineApiRoute({
  operationId: "listReviewCampaigns",
  method: "GET",
  path: "/reviews/campaigns",
  tag: "Reviews",
  summary: "Access-review campaigns with items in the token's systems",
  description: "Newest first, a page at a time; counts are of the items in the token's systems.",
  operation: "reviews:read",
  kind: "read",
  actingAs: "none",
  query: CampaignsQuery,
  response: CampaignsPage,
  successStatus: 200,
  errors: [],
});

export const listReviewItems = defineApiRoute({
  operationId: "listReviewItems",
  method: "GET",
  path: "/reviews/campaigns/{id}/items",
  tag: "Reviews",
  summary: "A campaign's items in the token's systems, with reviewer, decision and whether it was applied",
  operation: "reviews:read",
  kind: "read",
  actingAs: "none",
  params: IdParams,
  query: ItemsQuery,
  response: ItemsPage,
  successStatus: 200,
  errors: ["NOT_FOUND"],
});

export const decideReviewItem = defineApiRoute({
  operationId: "decideReviewItem",
  method: "POST",
  path: "/reviews/items/{id}/decisions",
  tag: "Reviews",
  summary: "Keep, end or shorten one review item as its reviewer",
  description:
    "The person acting (X-Acting-As) must be the item's reviewer (or their delegate) and never the reviewed person or someone who granted, requested or approved the access. Keeping a sensitive item needs a comment. When someone else decided first the answer is 409 REVIEW_ITEM_DECIDED with who and when.",
  operation: "reviews:write",
  kind: "write",
  actingAs: "required",
  params: IdParams,
  body: ReviewDecisionBody,
  response: ItemView,
  successStatus: 200,
  errors: [
    "NOT_FOUND",
    "REVIEW_CAMPAIGN_CLOSED",
    "REVIEW_ITEM_DECIDED",
    "NOT_A_REVIEWER",
    "REVIEW_SELF",
    "REVIEW_COMMENT_REQUIRED",
    "REVIEW_END_NOT_SHORTER",
    "DATE_IN_PAST",
  ],
});

export const API_ROUTES = [
  submitAccessRequest,
  getAccessRequest,
  decideAccessRequest,
  cancelAccessRequest,
  listGrants,
  getPersonAccess,
  createVaultApprovalRequest,
  getVaultApprovalRequest,
  listVaultApprovers,
  listReviewCampaigns,
  listReviewItems,
  decideReviewItem,
] as const;
