import { DEMO_PASSWORD, DEMO_SIGN_INS, DEMO_TOTP_SECRET } from "./demo-data";

const ROLE_LABEL: Record<string, string> = {
  SYSTEM_ADMIN: "system administrator",
  ACCOUNT_ADMIN: "account administrator (CRM, BOSS)",
  APPROVER: "department head / approver (Marketing)",
  HR: "HR",
  SECURITY_OFFICER: "security & audit officer",
};

export function demoBanner(url: string): string {
  const rows = DEMO_SIGN_INS.map(
    (p) =>
      `  ${p.employeeNo.padEnd(6)} ${([...new Set(p.portalRoles?.map((r) => ROLE_LABEL[r.role]))].join(", ") || "staff (self-service)").padEnd(40)} ${p.name}`,
  );
  return [
    "",
    `4A portal is up: ${url}`,
    "",
    "Demo sign-ins (demo data only):",
    ...rows,
    `  password for all: ${DEMO_PASSWORD}`,
    `  second factor (privileged roles): TOTP secret ${DEMO_TOTP_SECRET}`,
    "    add it to any authenticator app, or run `npm run demo:totp` for the current code",
    "",
  ].join("\n");
}
