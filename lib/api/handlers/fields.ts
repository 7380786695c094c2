import { ZodError } from "zod";
import { DomainError } from "@/lib/errors";

/**
 * Runs a use case and renames the fields its errors name to the API's names (the use case says
 * "roleId", the API body has "roleCode"), so a 4xx points at what the caller actually sent.
 */
export async function withApiFieldNames<T>(names: Record<string, string>, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof DomainError && error.field && names[error.field]) {
      throw new DomainError(error.code, {
        field: names[error.field],
        params: error.params,
        details: error.details,
        message: error.message,
      });
    }
    if (error instanceof ZodError) {
      for (const issue of error.issues) {
        const first = issue.path[0];
        if (typeof first === "string" && names[first]) (issue as { path: PropertyKey[] }).path = [names[first], ...issue.path.slice(1)];
      }
    }
    throw error;
  }
}
