import SCIMMY from "scimmy";
import { z, ZodError } from "zod";
import { DomainError } from "@/lib/errors";
import { hasControlCharacters, text } from "@/lib/validation";
import { isoDay } from "@/lib/time/calendar-input";

// The HR feed's SCIM 2.0 User (RFC 7643): the core schema (checked and patched by SCIMMY), the enterprise
// extension (employee number, department = org unit code, manager) and the portal's extension (employment
// type, vendor, sponsor, contract end). Personal data (e-mail, phone) is accepted but never returned
// (R15: the portal shows it masked and reveals it only with an audited action).

export const CORE = "urn:ietf:params:scim:schemas:core:2.0:User";
export const ENTERPRISE = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User";
export const PORTAL = "urn:4a:params:scim:schemas:extension:portal:2.0:User";
export const ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error";
export const LIST_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:ListResponse";
export const PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp";
export const BULK_REQUEST = "urn:ietf:params:scim:api:messages:2.0:BulkRequest";
export const BULK_RESPONSE = "urn:ietf:params:scim:api:messages:2.0:BulkResponse";

/** A SCIM error (RFC 7644 §3.12): the status, the scimType where one applies, and a detail for people. */
export class ScimError extends Error {
  constructor(
    readonly status: number,
    readonly scimType: string | null,
    readonly detail: string,
  ) {
    super(detail);
    this.name = "ScimError";
  }
  body() {
    return {
      schemas: [ERROR_SCHEMA],
      status: String(this.status),
      ...(this.scimType ? { scimType: this.scimType } : {}),
      detail: this.detail,
    };
  }
}

const CORE_KEYS = new Set([
  "schemas",
  "id",
  "externalId",
  "userName",
  "name",
  "displayName",
  "title",
  "active",
  "emails",
  "phoneNumbers",
  "meta",
]);

const safe = (max: number) => text().trim().max(max);

const Enterprise = z
  .object({
    employeeNumber: safe(32).optional(),
    department: safe(64).optional(),
    manager: z
      .object({ value: safe(64), displayName: text().max(200).optional(), $ref: text().max(500).optional() })
      .strict()
      .nullable()
      .optional(),
  })
  .strict();

const Portal = z
  .object({
    employmentType: z.enum(["EMPLOYEE", "THIRD_PARTY"]).optional(),
    vendor: safe(200).nullable().optional(),
    sponsor: safe(32).nullable().optional(),
    contractEndsOn: text()
      .regex(/^\d{4}-\d{2}-\d{2}$/, "YYYY-MM-DD")
      .nullable()
      .optional(),
    status: z.enum(["ACTIVE", "SUSPENDED", "LEFT"]).optional(),
  })
  .strict();

/** What the portal takes from a SCIM User, before it is matched against org units, vendors and people. */
export type ScimUserInput = {
  userName: string;
  name: string | null;
  title: string | null;
  active: boolean;
  email: string | null;
  phone: string | null;
  department: string | null;
  manager: string | null;
  employmentType: "EMPLOYEE" | "THIRD_PARTY" | null;
  vendor: string | null;
  sponsor: string | null;
  contractEndsOn: string | null;
};

function issues(error: ZodError, prefix: string): string {
  return error.issues.map((i) => `${prefix}${i.path.join(".") || ""}: ${i.message}`).join("; ");
}

/**
 * Reads a SCIM User body: unknown attributes and wrong types are a 400 (invalidSyntax / invalidValue),
 * never silently dropped; hostile strings (control characters, oversize) are refused.
 */
export function parseScimUser(body: unknown): ScimUserInput {
  if (!body || typeof body !== "object" || Array.isArray(body))
    throw new ScimError(400, "invalidSyntax", "The body must be a SCIM User object.");
  const raw = body as Record<string, unknown>;
  const schemas = raw.schemas;
  if (!Array.isArray(schemas) || !schemas.includes(CORE)) throw new ScimError(400, "invalidSyntax", `"schemas" must include ${CORE}.`);
  for (const s of schemas)
    if (s !== CORE && s !== ENTERPRISE && s !== PORTAL)
      throw new ScimError(400, "invalidSyntax", `Unknown schema ${String(s).slice(0, 100)}.`);
  const unknown = Object.keys(raw).filter((k) => !CORE_KEYS.has(k) && k !== ENTERPRISE && k !== PORTAL);
  if (unknown.length) throw new ScimError(400, "invalidSyntax", `Unknown attribute(s): ${unknown.slice(0, 5).join(", ").slice(0, 200)}.`);

  const core: Record<string, unknown> = Object.fromEntries(Object.entries(raw).filter(([k]) => CORE_KEYS.has(k) && k !== "meta"));
  core.schemas = [CORE];
  let user: Record<string, unknown>;
  try {
    user = JSON.parse(JSON.stringify(new SCIMMY.Schemas.User(core, "in"))) as Record<string, unknown>;
  } catch (error) {
    throw new ScimError(400, "invalidValue", error instanceof Error ? error.message.slice(0, 300) : "Invalid User.");
  }
  const ent = Enterprise.safeParse(raw[ENTERPRISE] ?? {});
  if (!ent.success) throw new ScimError(400, "invalidValue", issues(ent.error, `${ENTERPRISE}:`));
  const portal = Portal.safeParse(raw[PORTAL] ?? {});
  if (!portal.success) throw new ScimError(400, "invalidValue", issues(portal.error, `${PORTAL}:`));

  const str = (v: unknown, field: string, max: number): string | null => {
    if (v === undefined || v === null || v === "") return null;
    if (typeof v !== "string") throw new ScimError(400, "invalidValue", `${field} must be a string.`);
    const t = v.trim();
    if (t.length > max || hasControlCharacters(t)) throw new ScimError(400, "invalidValue", `${field} is not acceptable.`);
    return t;
  };
  const userName = str(user.userName, "userName", 32);
  if (!userName) throw new ScimError(400, "invalidValue", "userName (the employee number) is required.");
  const employeeNumber = ent.data.employeeNumber;
  if (employeeNumber && employeeNumber !== userName)
    throw new ScimError(400, "invalidValue", `${ENTERPRISE}:employeeNumber must equal userName (the portal's employee number).`);
  const name =
    str(user.displayName, "displayName", 100) ?? str((user.name as { formatted?: unknown } | undefined)?.formatted, "name.formatted", 100);
  const first = (list: unknown, field: string, max: number) => {
    if (!Array.isArray(list) || list.length === 0) return null;
    const primary = (list as { value?: unknown; primary?: boolean }[]).find((e) => e.primary) ?? list[0];
    return str((primary as { value?: unknown }).value, field, max);
  };
  return {
    userName,
    name,
    title: str(user.title, "title", 100),
    active: user.active === undefined ? true : user.active === true,
    email: first(user.emails, "emails.value", 200),
    phone: first(user.phoneNumbers, "phoneNumbers.value", 40),
    department: ent.data.department ?? null,
    manager: ent.data.manager?.value ?? null,
    employmentType: portal.data.employmentType ?? null,
    vendor: portal.data.vendor ?? null,
    sponsor: portal.data.sponsor ?? null,
    contractEndsOn: portal.data.contractEndsOn ?? null,
  };
}

/** The portal's facts about a person, as the feed shows them. */
export type PersonFacts = {
  id: string;
  employeeNo: string;
  name: string;
  jobTitle: string;
  status: "ACTIVE" | "SUSPENDED" | "LEFT";
  employmentType: "EMPLOYEE" | "THIRD_PARTY";
  orgUnitCode: string | null;
  orgUnitName: string;
  vendorName: string | null;
  sponsorEmployeeNo: string | null;
  contractEndsOn: Date | null;
  head: { id: string; name: string } | null;
  createdAt: Date;
  updatedAt: Date;
};

export function toScimUser(p: PersonFacts, base: string) {
  return {
    schemas: [CORE, ENTERPRISE, PORTAL],
    id: p.id,
    externalId: p.employeeNo,
    userName: p.employeeNo,
    displayName: p.name,
    name: { formatted: p.name },
    title: p.jobTitle,
    active: p.status !== "LEFT",
    [ENTERPRISE]: {
      employeeNumber: p.employeeNo,
      ...(p.orgUnitCode ? { department: p.orgUnitCode } : {}),
      // The portal has no per-person manager: the head of the person's department (who approves for them).
      ...(p.head ? { manager: { value: p.head.id, displayName: p.head.name, $ref: `${base}/Users/${p.head.id}` } } : {}),
    },
    [PORTAL]: {
      employmentType: p.employmentType,
      status: p.status,
      ...(p.vendorName ? { vendor: p.vendorName } : {}),
      ...(p.sponsorEmployeeNo ? { sponsor: p.sponsorEmployeeNo } : {}),
      ...(p.contractEndsOn ? { contractEndsOn: isoDay(p.contractEndsOn) } : {}),
    },
    meta: {
      resourceType: "User",
      created: p.createdAt.toISOString(),
      lastModified: p.updatedAt.toISOString(),
      location: `${base}/Users/${p.id}`,
      version: `W/"${p.updatedAt.getTime()}"`,
    },
  };
}

export type ScimUser = ReturnType<typeof toScimUser>;

/**
 * Applies a PatchOp to the User as the feed shows it. Operations on the core schema go through SCIMMY
 * (paths with filters, add/replace/remove per RFC 7644 §3.5.2); the two extensions' attributes are set or
 * removed here (they are flat). Returns the patched User, to be written like a PUT.
 */
export async function applyPatch(current: ScimUser, body: unknown): Promise<Record<string, unknown>> {
  if (!body || typeof body !== "object") throw new ScimError(400, "invalidSyntax", "The body must be a PatchOp.");
  const msg = body as { schemas?: unknown; Operations?: unknown };
  if (!Array.isArray(msg.schemas) || !msg.schemas.includes(PATCH_SCHEMA))
    throw new ScimError(400, "invalidSyntax", `"schemas" must be [${PATCH_SCHEMA}].`);
  if (!Array.isArray(msg.Operations) || msg.Operations.length === 0)
    throw new ScimError(400, "invalidSyntax", "Operations must be a non-empty array.");
  if (msg.Operations.length > 100) throw new ScimError(400, "tooMany", "At most 100 operations per PATCH.");
  const ext: Record<string, Record<string, unknown>> = {
    [ENTERPRISE]: { ...(current[ENTERPRISE] as Record<string, unknown>) },
    [PORTAL]: { ...(current[PORTAL] as Record<string, unknown>) },
  };
  delete ext[ENTERPRISE]!.manager;
  delete ext[PORTAL]!.status;
  const coreOps: unknown[] = [];
  for (const raw of msg.Operations as unknown[]) {
    const op = raw as { op?: unknown; path?: unknown; value?: unknown };
    const verb = typeof op.op === "string" ? op.op.toLowerCase() : "";
    if (!["add", "replace", "remove"].includes(verb))
      throw new ScimError(400, "invalidSyntax", `Unknown op ${String(op.op).slice(0, 20)}.`);
    const path = typeof op.path === "string" ? op.path : null;
    const urn = path && [ENTERPRISE, PORTAL].find((u) => path === u || path.startsWith(`${u}:`));
    if (urn) {
      const attr = path === urn ? null : path.slice(urn.length + 1);
      if (verb === "remove") {
        if (attr) delete ext[urn]![attr];
        else ext[urn] = {};
      } else if (attr) ext[urn]![attr] = op.value;
      else if (op.value && typeof op.value === "object") Object.assign(ext[urn]!, op.value);
      else throw new ScimError(400, "invalidValue", `${urn} needs an object value.`);
      continue;
    }
    // A path-less add/replace may carry extension objects next to core attributes.
    if (!path && op.value && typeof op.value === "object" && !Array.isArray(op.value)) {
      const value = { ...(op.value as Record<string, unknown>) };
      for (const u of [ENTERPRISE, PORTAL]) {
        if (u in value) {
          Object.assign(ext[u]!, value[u] as object);
          delete value[u];
        }
        for (const k of Object.keys(value))
          if (k.startsWith(`${u}:`)) {
            ext[u]![k.slice(u.length + 1)] = value[k];
            delete value[k];
          }
      }
      if (Object.keys(value).length) coreOps.push({ op: verb, value });
      continue;
    }
    coreOps.push({ op: verb, ...(path ? { path } : {}), ...(op.value !== undefined ? { value: op.value } : {}) });
  }
  const core: Record<string, unknown> = Object.fromEntries(
    Object.entries(current).filter(([k]) => CORE_KEYS.has(k) && k !== "meta" && k !== "schemas"),
  );
  let patched = core;
  if (coreOps.length) {
    try {
      const instance = new SCIMMY.Schemas.User({ schemas: [CORE], ...core });
      const op = new SCIMMY.Messages.PatchOp({ schemas: [PATCH_SCHEMA], Operations: coreOps as never });
      const result = await op.apply(instance, async (i: unknown) => i as never);
      patched = JSON.parse(JSON.stringify(result ?? instance)) as Record<string, unknown>;
    } catch (error) {
      const e = error as { status?: number; scimType?: string; message?: string };
      throw new ScimError(400, e.scimType ?? "invalidValue", (e.message ?? "PATCH could not be applied.").slice(0, 300));
    }
  }
  const { meta: _meta, ...rest } = patched as Record<string, unknown> & { meta?: unknown };
  void _meta;
  return { ...rest, schemas: [CORE, ENTERPRISE, PORTAL], [ENTERPRISE]: ext[ENTERPRISE], [PORTAL]: ext[PORTAL] };
}

/** The portal's refusals as SCIM errors (RFC 7644 §3.12). */
export function scimErrorOf(error: unknown): ScimError | null {
  if (error instanceof ScimError) return error;
  if (error instanceof ZodError) {
    const detail = error.issues.map((i) => `${i.path.join(".") || "value"}: ${i.message}`).join("; ");
    return new ScimError(400, "invalidValue", detail.slice(0, 500));
  }
  if (error instanceof DomainError) {
    const field = error.field ? ` (${error.field})` : "";
    switch (error.code) {
      case "NOT_FOUND":
        return error.field && error.field !== "personId"
          ? new ScimError(400, "invalidValue", `Unknown ${error.field}.`)
          : new ScimError(404, null, "No such User.");
      case "ALREADY_EXISTS":
        return new ScimError(409, "uniqueness", `Another person already has this ${error.field ?? "value"}.`);
      case "CONFLICT":
        return new ScimError(409, null, "The person changed meanwhile; read it again.");
      case "FORBIDDEN":
      case "TOKEN_SCOPE":
        return new ScimError(403, null, "The token may not do this.");
      default:
        return new ScimError(
          error.status >= 500 ? 500 : error.status === 404 ? 404 : error.status >= 400 ? error.status : 400,
          null,
          `${error.code}${field}`,
        );
    }
  }
  return null;
}
