import { ZodError } from "zod";
import type { z } from "zod";
import { DomainError } from "@/lib/errors";
import type { ReviewDefinitionInput } from "./schemas";

// The definition form (app/(portal)/reviews/new) posts flat fields named by their path in
// ReviewDefinitionInput ("scope.includeOrphans", "stages.0.strategy"); this turns them into the input
// and turns a refusal back into errors per field path, so each message stands next to its field.

export const MAX_STAGES = 3;
export const MAX_SCOPE_SYSTEMS = 5;
export const MAX_NAMED_REVIEWERS = 3;

const str = (form: FormData, name: string) => {
  const v = form.get(name);
  return typeof v === "string" ? v : "";
};
const ids = (form: FormData, name: string) =>
  form
    .getAll(name)
    .filter((v): v is string => typeof v === "string")
    .map((v) => v.trim())
    .filter(Boolean);
const optional = (v: string) => (v.trim() === "" ? undefined : v);

/** The form's fields as the use case's input (empty fields: the schema's defaults). */
export function definitionInputFromForm(form: FormData): z.input<typeof ReviewDefinitionInput> {
  const count = Math.min(MAX_STAGES, Math.max(1, Number.parseInt(str(form, "stageCount"), 10) || 1));
  const stages = Array.from({ length: count }, (_, i) => ({
    strategy: str(form, `stages.${i}.strategy`) as "NAMED",
    reviewerIds: [...new Set(ids(form, `stages.${i}.reviewerIds`))],
  }));
  return {
    name: str(form, "name"),
    description: str(form, "description"),
    scope: {
      systemIds: [...new Set(ids(form, "scope.systemIds"))],
      sensitiveOnly: str(form, "scope.sensitiveOnly"),
      employmentType: (optional(str(form, "scope.employmentType")) ?? "ANY") as "ANY",
      orgUnitId: optional(str(form, "scope.orgUnitId")) ?? null,
      includeOrphans: str(form, "scope.includeOrphans"),
    },
    granularity: (optional(str(form, "granularity")) ?? "GRANT") as "GRANT",
    stages,
    schedule: (optional(str(form, "schedule")) ?? "ONCE") as "ONCE",
    durationDays: str(form, "durationDays"),
    startOn: str(form, "startOn"),
    defaultDecision: (optional(str(form, "defaultDecision")) ?? "KEEP") as "KEEP",
    riskyDefault: (optional(str(form, "riskyDefault")) ?? "END") as "END",
    applyImmediately: str(form, "applyImmediately"),
    inactiveDays: optional(str(form, "inactiveDays")),
    contractEndDays: optional(str(form, "contractEndDays")),
    remindDaysBefore: optional(str(form, "remindDaysBefore")),
    escalateAfterDays: str(form, "escalateAfterDays"),
  } as z.input<typeof ReviewDefinitionInput>;
}

export type FieldCodes = { formCode: string; fields: Record<string, string> };

/**
 * A refusal as codes per dotted field path: a zod error's issues (first per path; a list's element
 * folds into the list, "scope.systemIds.1" → "scope.systemIds") and a DomainError's field. Null when the
 * error is neither (the caller's generic handling applies).
 */
export function definitionErrorCodes(error: unknown): FieldCodes | null {
  if (error instanceof ZodError) {
    const fields: Record<string, string> = {};
    for (const issue of error.issues) {
      const path = issue.path.map(String);
      if (path[0] === "scope" && path[1] === "systemIds") path.length = 2;
      if (path[0] === "stages" && path[2] === "reviewerIds") path.length = 3;
      const key = path.join(".") || "_";
      if (fields[key]) continue;
      fields[key] = issue.code === "custom" || /^[a-z-]+$/.test(issue.message) ? issue.message : "invalid";
    }
    return { formCode: "VALIDATION", fields };
  }
  if (error instanceof DomainError) return { formCode: error.code, fields: error.field ? { [error.field]: error.code } : {} };
  return null;
}
