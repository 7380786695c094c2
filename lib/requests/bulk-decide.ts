import type { z } from "zod";
import { ZodError } from "zod";
import { inTransaction } from "@/lib/db";
import type { Actor } from "@/lib/authz/actor";
import { isDomainError, type ErrorCode } from "@/lib/errors";
import { log } from "@/lib/log";
import { BulkDecideInput } from "./schemas";
import { decideRequest } from "./decide-request";

export type BulkItemResult =
  | { requestId: string; ok: true; status: "PENDING" | "APPROVED" | "REJECTED"; repeated: boolean }
  | { requestId: string; ok: false; code: ErrorCode | "UNEXPECTED"; params: Record<string, string | number> };

/**
 * Approves several requests at once — only GRANT requests for roles that are neither sensitive nor
 * administrative (those get each approver's individual attention). Each item is its own transaction
 * through decideRequest, so one failure (already decided, a policy violation at final approval…) does
 * not block the others; the result says what happened to each.
 */
export async function bulkDecide(actor: Actor, raw: z.input<typeof BulkDecideInput>, now = new Date()): Promise<BulkItemResult[]> {
  const input = BulkDecideInput.parse(raw);
  const results: BulkItemResult[] = [];
  for (const requestId of [...new Set(input.requestIds)]) {
    try {
      const r = await inTransaction((tx) =>
        decideRequest(tx, actor, { requestId, outcome: "APPROVE", comment: input.comment }, now, { bulk: true }),
      );
      results.push({ requestId, ok: true, status: r.status, repeated: r.repeated });
    } catch (error) {
      if (isDomainError(error)) results.push({ requestId, ok: false, code: error.code, params: error.params });
      else if (error instanceof ZodError) results.push({ requestId, ok: false, code: "VALIDATION", params: {} });
      else {
        log.error({ err: error, requestId }, "bulk approval item failed");
        results.push({ requestId, ok: false, code: "UNEXPECTED", params: {} });
      }
    }
  }
  return results;
}
