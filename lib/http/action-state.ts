import { unstable_rethrow } from "next/navigation";
import { getTranslations } from "next-intl/server";
import { ZodError, type ZodType } from "zod";
import { DomainError } from "@/lib/errors";
import { log } from "@/lib/log";

export type ActionState = {
  ok?: boolean;
  notice?: string;
  formError?: string;
  fieldErrors?: Record<string, string>;
  // Echo of what was typed (never passwords), so a failed form keeps its values.
  values?: Record<string, string>;
};

export function formValues(form: FormData, omit: string[] = []): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string" && !omit.includes(k) && !k.startsWith("$")) out[k] = v.slice(0, 2000);
  return out;
}

export async function translateZodError(error: ZodError): Promise<Record<string, string>> {
  const t = await getTranslations("validation");
  const fieldErrors: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? "_");
    if (fieldErrors[field]) continue;
    const code = t.has(issue.message)
      ? issue.message
      : issue.code === "invalid_type" || issue.code === "invalid_value"
        ? "invalid"
        : "invalid";
    fieldErrors[field] = t(code);
  }
  return fieldErrors;
}

/**
 * The one error mapping for server actions: expected errors become translated messages next to the
 * field or the form; anything else is logged with the request id and shown as a generic message.
 */
export async function actionError(error: unknown, values?: Record<string, string>): Promise<ActionState> {
  unstable_rethrow(error);
  if (error instanceof ZodError) {
    const t = await getTranslations("errors");
    return { formError: t("VALIDATION"), fieldErrors: await translateZodError(error), values };
  }
  if (error instanceof DomainError) {
    const message = await translateDomainError(error);
    return { formError: message, fieldErrors: error.field ? { [error.field]: message } : undefined, values };
  }
  log.error({ err: error }, "unexpected error in server action");
  const t = await getTranslations("errors");
  return { formError: t("UNEXPECTED"), values };
}

export function parseWith<T>(schema: ZodType<T>, input: unknown): T {
  return schema.parse(input);
}

/** Error params that are codes themselves (a role, a password rule) are translated too. */
export async function translateDomainError(error: DomainError): Promise<string> {
  const [t, tRoles, tRules] = await Promise.all([
    getTranslations("errors"),
    getTranslations("roles"),
    getTranslations("password.violations"),
  ]);
  const params: Record<string, string | number> = {};
  for (const [k, v] of Object.entries(error.params)) {
    if ((k === "held" || k === "wanted") && typeof v === "string" && tRoles.has(v)) params[k] = tRoles(v);
    else if (k === "rule" && typeof v === "string" && tRules.has(v)) params[k] = tRules(v);
    else params[k] = v;
  }
  const message = t(error.code, params);
  if (error.code === "POLICY_VIOLATION" && Array.isArray(error.details)) {
    const tPolicy = await getTranslations("policy");
    const reasons = (error.details as { code: string; params: Record<string, string> }[]).map((v) =>
      tPolicy.has(v.code) ? tPolicy(v.code, v.params) : v.code,
    );
    return [message, ...reasons].join(" ");
  }
  return message;
}
