import { z } from "zod";
import { EMPLOYEE_NO } from "@/lib/people/schemas";
import { decodeCursor } from "@/lib/http/cursor";
import { text } from "@/lib/validation";

// Shapes the REST API reads and answers that are its own (the use cases' inputs are reused as they are).
// Dates travel as ISO 8601 strings.

export const Uuid = text().uuid("invalid");
export const IsoDateTime = z.iso.datetime({ offset: true });
export const EmployeeNo = text().trim().regex(EMPLOYEE_NO, "employee-no");

const isUuid = (v: unknown): v is string =>
  typeof v === "string" && /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(v);

/** An opaque page cursor handed out by a previous page; garbage is refused (VALIDATION), not ignored. */
export const GrantCursor = text()
  .max(200, "invalid")
  .transform((value, ctx) => {
    const id = decodeCursor(value, isUuid);
    if (!id) {
      ctx.addIssue({ code: "custom", message: "invalid" });
      return z.NEVER;
    }
    return id;
  })
  .describe("The nextCursor of the previous page.");

export const PageLimit = z.coerce
  .number({ message: "invalid" })
  .int("invalid")
  .min(1, "invalid")
  .max(200, "invalid")
  .default(50)
  .describe("Rows per page, 1–200 (default 50).");

export const IdParams = z.object({ id: Uuid.describe("The id (uuid).") });

export const PersonRef = z.object({ employeeNo: text(), name: text() }).meta({ id: "PersonRef" });

export const GrantView = z
  .object({
    id: Uuid,
    person: PersonRef,
    system: z.object({ code: text(), name: text() }),
    account: z.object({ loginName: text() }).describe("The person's account in the business system."),
    role: z.object({ code: text(), name: text() }).describe("The job role granted (R1: roles, never single permissions)."),
    startsAt: IsoDateTime,
    endsAt: IsoDateTime.nullable().describe("null: permanent."),
    requestId: Uuid.nullable().describe("The access request whose approval created the grant, if any."),
  })
  .meta({ id: "Grant" });
export type GrantView = z.infer<typeof GrantView>;

export const GrantsQuery = z.object({
  employeeNo: EmployeeNo.optional().describe("Only this person's grants."),
  systemCode: text().trim().min(1, "invalid").max(64, "too-long").optional().describe("Only this business system (one of the token's)."),
  cursor: GrantCursor.optional(),
  limit: PageLimit,
});

export const GrantsPage = z
  .object({
    data: z.array(GrantView),
    nextCursor: text().nullable().describe("Pass as cursor for the next page; null on the last page."),
  })
  .meta({ id: "GrantsPage" });

export const PersonAccessParams = z.object({ employeeNo: EmployeeNo.describe("The person's employee number.") });

export const PersonAccess = z
  .object({
    person: PersonRef.extend({ status: z.enum(["ACTIVE", "SUSPENDED", "LEFT"]) }),
    grants: z.array(GrantView).describe("Live grants in the token's systems (at most 500)."),
  })
  .meta({ id: "PersonAccess" });
