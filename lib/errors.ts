// Expected failures carry a code; the UI translates the code (messages: errors.<code>), APIs return
// it with an HTTP status. Anything that is not a DomainError is unexpected: logged, never shown.
export const ERROR_STATUS = {
  VALIDATION: 400,
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  CONFLICT: 409,
  // A business system did not answer a reconciliation read (lib/provisioning/reconcile.ts).
  RECONCILIATION_FAILED: 502,
  // Offboarding (lib/offboarding): a person already scheduled to leave; a last working day in the past;
  // a vendor offboarded as "contract ended" whose contract has not ended.
  OFFBOARDING_SCHEDULED: 409,
  OFFBOARDING_DATE_PAST: 400,
  VENDOR_CONTRACT_RUNNING: 409,
  INVALID_CREDENTIALS: 401,
  ACCOUNT_LOCKED: 423,
  ACCOUNT_DISABLED: 403,
  TOO_MANY_ATTEMPTS: 429,
  INVALID_CODE: 400,
  SIGN_IN_EXPIRED: 401,
  PASSWORD_POLICY: 400,
  PASSWORD_WRONG: 400,
  SOD_CONFLICT: 409,
  LAST_SYSTEM_ADMIN: 409,
  SCOPE_REQUIRED: 400,
  ALREADY_EXISTS: 409,
  POLICY_VIOLATION: 422,
  // Org tree: a move under the unit's own subtree; the top unit moved; a deactivated unit changed or
  // used as a parent; a unit deactivated while people, sub-units or systems remain.
  ORG_CYCLE: 409,
  ORG_ROOT_FIXED: 409,
  ORG_UNIT_INACTIVE: 409,
  ORG_UNIT_NOT_EMPTY: 409,
  // Staff records and vendors (R10): a sponsor who is not an active employee; a third party's contract
  // end outside their vendor's contract; a date already passed; a vendor contract shortened below its
  // people's contracts; a status change that is not allowed; a change to someone who has left.
  SPONSOR_NOT_ELIGIBLE: 422,
  CONTRACT_OUTSIDE_VENDOR: 422,
  DATE_IN_PAST: 422,
  VENDOR_CONTRACT_CONFLICT: 409,
  STATUS_TRANSITION: 409,
  PERSON_LEFT: 409,
  // Access requests (lib/requests): a role that cannot be requested; the subject already holds it or a
  // request for it is pending; duration rules (permanent not allowed, too long, past the third party's
  // contract, elevation for employees, the requested end already passed at approval); a renewal of a
  // grant that is not the subject's live grant of that role; a stage nobody eligible can decide.
  REQUEST_NOT_REQUESTABLE: 422,
  REQUEST_ALREADY_HELD: 409,
  REQUEST_DUPLICATE: 409,
  REQUEST_PERMANENT_NOT_ALLOWED: 422,
  REQUEST_TOO_LONG: 422,
  REQUEST_ELEVATION_TOO_LONG: 422,
  REQUEST_PAST_CONTRACT_END: 422,
  REQUEST_ELEVATION_THIRD_PARTY_ONLY: 422,
  REQUEST_END_PASSED: 422,
  REQUEST_RENEWAL_INVALID: 422,
  REQUEST_NO_APPROVER: 422,
  // Decisions: already decided (by whom, when), cancelled or expired, not an approver of the active
  // stage (or no longer: a delegation ended), one's own request, not approvable in bulk (sensitive or administrative).
  REQUEST_ALREADY_DECIDED: 409,
  REQUEST_CLOSED: 409,
  NOT_AN_APPROVER: 403,
  // Was an approver of the active stage, but the seat was closed undecided (a delegation revoked or ended).
  NO_LONGER_AN_APPROVER: 403,
  SELF_APPROVAL: 403,
  REQUEST_NOT_BULK_APPROVABLE: 422,
  // Vault mode (lib/vault, R14): the chosen approver may not approve this scenario, is not online, is
  // the operator; the prompt was already decided, or lapsed undecided; the scenario is inactive or a
  // built-in that cannot be switched off. The guarded operation without a usable approval: none, still
  // pending, rejected, expired, already used, or one given for another operation or target.
  VAULT_APPROVER_NOT_ELIGIBLE: 422,
  VAULT_APPROVER_OFFLINE: 409,
  VAULT_SELF_APPROVAL: 422,
  VAULT_ALREADY_DECIDED: 409,
  VAULT_REQUEST_EXPIRED: 409,
  VAULT_SCENARIO_INACTIVE: 422,
  VAULT_SCENARIO_BUILT_IN: 409,
  VAULT_APPROVAL_REQUIRED: 428,
  VAULT_APPROVAL_PENDING: 409,
  VAULT_APPROVAL_REJECTED: 403,
  VAULT_APPROVAL_EXPIRED: 409,
  VAULT_APPROVAL_USED: 409,
  VAULT_APPROVAL_MISMATCH: 409,
  // REST API (/api/v1): an unknown token; an expired or revoked one; a token used outside its systems or
  // operations; a body that is not JSON or too large; an X-Acting-As person who is unknown or not active; too many calls.
  TOKEN_INVALID: 401,
  TOKEN_EXPIRED: 401,
  TOKEN_REVOKED: 401,
  TOKEN_SCOPE: 403,
  MALFORMED_JSON: 400,
  PAYLOAD_TOO_LARGE: 413,
  ACTING_PERSON_INVALID: 403,
  RATE_LIMITED: 429,
  // Slave accounts (R2, R5): a status change not allowed from the current status; re-enabling an
  // account without a current owner, or whose owner is suspended; granting on a locked, disabled or
  // deleted account; assigning an owner to an account that has one; a change that needs an explicit
  // confirmation (e.g. a mover's sensitive grants being revoked).
  SLAVE_ACCOUNT_TRANSITION: 409,
  SLAVE_ACCOUNT_ORPHAN: 409,
  OWNER_NOT_ACTIVE: 409,
  SLAVE_ACCOUNT_INACTIVE: 409,
  SLAVE_ACCOUNT_NOT_ORPHAN: 409,
  CONFIRMATION_REQUIRED: 409,
  // Delegation (out of office): who may not delegate or receive; overlapping or chained delegations;
  // a range too long; a delegate whose portal roles are incompatible with the delegator's approvals.
  DELEGATOR_NOT_APPROVER: 422,
  DELEGATE_NOT_ELIGIBLE: 422,
  DELEGATION_OVERLAP: 409,
  DELEGATION_CHAIN: 409,
  DELEGATION_TOO_LONG: 422,
  DELEGATION_SOD_CONFLICT: 409,
  // A grant that is not (or no longer) a live temporary elevation.
  NOT_AN_ELEVATION: 409,
  // Giving up access that has already ended (given up in another tab, revoked, expired).
  GRANT_NOT_LIVE: 409,
  // Background jobs (/admin/jobs): the job is no longer failed (retried already, or removed by retention);
  // a run of its queue is already waiting for a retry (a "stately" queue keeps one).
  JOB_NOT_RETRYABLE: 409,
  JOB_RETRY_WAITING: 409,
  // Access reviews (lib/reviews, issue 12): a scope that selects nothing; a system outside the author's
  // scope; a retired definition; a campaign closed (or not yet closed); an item already decided (by
  // whom, when); not the item's reviewer (or their delegate); reviewing one's own access or access one
  // requested, granted or approved; a keep on a sensitive item without a comment; a new end date that
  // does not shorten; a bulk decision over items that are not all the actor's open items; a reviewer who
  // cannot take an item; nobody to accept (no recommendation among the items).
  REVIEW_SCOPE_EMPTY: 422,
  REVIEW_SCOPE_FORBIDDEN: 403,
  REVIEW_DEFINITION_RETIRED: 409,
  REVIEW_CAMPAIGN_CLOSED: 409,
  REVIEW_ITEM_DECIDED: 409,
  NOT_A_REVIEWER: 403,
  REVIEW_SELF: 403,
  REVIEW_COMMENT_REQUIRED: 400,
  REVIEW_END_NOT_SHORTER: 422,
  REVIEW_BULK_FOREIGN: 409,
  REVIEWER_NOT_ELIGIBLE: 422,
  REVIEW_NOTHING_RECOMMENDED: 422,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

export class DomainError extends Error {
  readonly code: ErrorCode;
  readonly params: Record<string, string | number>;
  readonly field?: string;
  // Structured detail for the caller, e.g. the policy violations that refused a grant.
  readonly details?: unknown;

  constructor(
    code: ErrorCode,
    opts: { params?: Record<string, string | number>; field?: string; message?: string; details?: unknown } = {},
  ) {
    super(opts.message ?? code);
    this.name = "DomainError";
    this.code = code;
    this.params = opts.params ?? {};
    this.field = opts.field;
    this.details = opts.details;
  }

  get status(): number {
    return ERROR_STATUS[this.code];
  }
}

export function isDomainError(e: unknown): e is DomainError {
  return e instanceof DomainError;
}
