import type {
  DataKind,
  EmploymentType,
  PermissionOperation,
  PersonStatus,
  Sensitivity,
  SystemEnvironment,
  SystemKind,
} from "@/lib/generated/prisma/enums";

// Inputs and outputs of the grant policy (lib/policy/engine.ts). Plain data: a use case loads it,
// the rules never touch the database, so UI, import, API and request paths all get the same answer.

// The default job-role catalogue of REQUIREMENTS.md. 1-5 are business departments, 6-8 operations &
// support (6 split into infrastructure "super administrators" and application administrators).
export const JOB_CATEGORIES = [
  "PRODUCT_RD",
  "MARKETING_POLICY",
  "BUSINESS_MANAGEMENT",
  "OPERATIONS_SUPPORT",
  "SERVICE_MARKETING_FRONT_LINE",
  "SERVICE_MARKETING_OTHER",
  "OPS_INFRASTRUCTURE_ADMIN",
  "OPS_APPLICATION_ADMIN",
  "DEV_TEST",
  "PRODUCTION_OPERATIONS",
] as const;
export type JobCategory = (typeof JOB_CATEGORIES)[number];

export const BUSINESS_DEPARTMENT_CATEGORIES: readonly JobCategory[] = [
  "PRODUCT_RD",
  "MARKETING_POLICY",
  "BUSINESS_MANAGEMENT",
  "OPERATIONS_SUPPORT",
  "SERVICE_MARKETING_FRONT_LINE",
  "SERVICE_MARKETING_OTHER",
];

// Categories the catalogue limits to querying customer information (no add/delete/modify/bulk).
export const QUERY_ONLY_CATEGORIES: readonly JobCategory[] = [
  "PRODUCT_RD",
  "BUSINESS_MANAGEMENT",
  "OPERATIONS_SUPPORT",
  "SERVICE_MARKETING_OTHER",
];

export const DEFAULT_SENSITIVE_LEVELS: readonly Sensitivity[] = ["EXTREME", "SENSITIVE"];

export type PolicyPerson = {
  id: string;
  employmentType: EmploymentType;
  status: PersonStatus;
  jobCategories: readonly JobCategory[];
  // The person's master account (主帐号); null when they have none yet (R2: no grant without one).
  masterAccountId: string | null;
};

export type PolicySystem = {
  id: string;
  name: string;
  environment: SystemEnvironment;
  kind: SystemKind;
};

export type PolicyPermission = {
  id: string;
  code: string;
  name: string;
  systemId: string;
  dataKind: DataKind;
  sensitivity: Sensitivity;
  operation: PermissionOperation;
  isLogManagement: boolean;
  isAccountCreation: boolean;
};

export type PolicyRole = {
  id: string;
  name: string;
  systemId: string;
  isAdministrative: boolean;
  // The role's current row of the role-permission matrix.
  permissions: readonly PolicyPermission[];
};

// A slave account (从帐号) and the master accounts it is linked to: exactly one is right (R2);
// none is an orphan, more than one a shared account.
export type SlaveAccountFacts = {
  id: string;
  systemId: string;
  masterAccountIds: readonly string[];
};

// A current (not ended, not revoked) grant of a role to the person.
export type Holding = {
  grantId: string;
  system: PolicySystem;
  role: PolicyRole;
  // The slave account the grant sits on, when known (lets the continuous check flag R2 problems).
  slaveAccount?: SlaveAccountFacts;
  // When the grant started: in a conflicting pair the later grant is the one reported for revocation.
  startsAt?: Date;
};

// Incompatible pairs (职责不相容, R6), configured by the security officers.
export type SodRule =
  // description: why the two are incompatible (the officer's words), quoted in every refusal.
  | { id: string; kind: "ROLE_PAIR"; roleIds: readonly [string, string]; description: string }
  | { id: string; kind: "PERMISSION_PAIR"; permissionIds: readonly [string, string]; description: string };

type CandidateContext = {
  person: PolicyPerson;
  system: PolicySystem;
  // The person's other current grants.
  holdings: readonly Holding[];
  sodRules: readonly SodRule[];
  // Which sensitivity levels make a permission sensitive (setting); DEFAULT_SENSITIVE_LEVELS if omitted.
  sensitiveLevels?: readonly Sensitivity[];
};

// A grant of a job role: the only legitimate kind (R1).
export type RoleGrantCandidate = CandidateContext & {
  kind: "ROLE";
  role: PolicyRole;
  // The slave account the grant lands on; null when the grant will open a new one.
  slaveAccount: SlaveAccountFacts | null;
  // Every slave account linked to the person's master account (one per system, R2).
  personSlaveAccounts: readonly SlaveAccountFacts[];
};

// An attempt to put a single permission on an account; modelled only so that it is refused (R1).
export type DirectPermissionCandidate = CandidateContext & {
  kind: "PERMISSION";
  permission: PolicyPermission;
};

export type GrantCandidate = RoleGrantCandidate | DirectPermissionCandidate;

export const POLICY_VIOLATION_CODES = [
  "DIRECT_PERMISSION_GRANT",
  "PERSON_NOT_ACTIVE",
  "NO_MASTER_ACCOUNT",
  "ACCOUNT_OF_ANOTHER_PERSON",
  "SHARED_ACCOUNT",
  "ORPHAN_ACCOUNT",
  "ACCOUNT_OF_ANOTHER_SYSTEM",
  "DUPLICATE_SLAVE_ACCOUNT",
  "THIRD_PARTY_SENSITIVE_PERMISSION",
  "SOD_FRONT_END_LOG_MANAGEMENT",
  "SOD_ROLE_PAIR",
  "SOD_PERMISSION_PAIR",
  "THIRD_PARTY_ADMIN_ROLE",
  "THIRD_PARTY_ACCOUNT_CREATION",
  "SUPER_ADMIN_CUSTOMER_QUERY",
  "DEV_TEST_PRODUCTION_SYSTEM",
  "BUSINESS_BULK_EXPORT",
  "MARKETING_POLICY_CUSTOMER_INFO",
  "QUERY_ONLY_CUSTOMER_INFO_OPERATION",
] as const;
export type PolicyViolationCode = (typeof POLICY_VIOLATION_CODES)[number];

// The REQUIREMENTS.md rule a violation cites; the job-role catalogue rules are least privilege (R16).
export type PolicyRule = "R1" | "R2" | "R4" | "R6" | "R10" | "R16";

// One side of a violation: an existing grant (grantId) or the candidate (grantId null), and the
// role / permission within it that is at fault.
export type ViolationSubject = {
  grantId: string | null;
  systemId: string;
  roleId: string | null;
  permissionId: string | null;
};

export type PolicyViolation = {
  code: PolicyViolationCode;
  rule: PolicyRule;
  // ICU parameters of the message policy.<code> (display names, enum codes).
  params: Record<string, string>;
  // What to refuse or revoke.
  subject: ViolationSubject;
  // For pair rules (R6), the other side of the conflict.
  conflictsWith?: ViolationSubject;
  // R10 allows approved, monitored, time-limited elevation of a third party; everything else is a
  // hard block.
  allowsTemporaryElevation: boolean;
};
