"use server";

import { revalidatePath } from "next/cache";
import { getTranslations } from "next-intl/server";
import { performAsActor } from "@/lib/http/perform";
import { actionError, formValues, type ActionState } from "@/lib/http/action-state";
import { setApprovalChain } from "@/lib/requests/set-approval-chain";
import { peopleByEmployeeNo } from "@/lib/requests/queries";
import { MAX_STAGES } from "@/lib/requests/schemas";

type StageRow = { kind: string; rule: string; requiredCount?: string; namedApproverIds?: string[] };

/** The chain form: up to MAX_STAGES rows per chain; an empty kind drops the row; named approvers by employee number. */
export async function saveApprovalChainAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form);
  const systemId = String(form.get("systemId") ?? "");
  const t = await getTranslations("requests.chain");
  try {
    const reset = form.get("reset") === "1";
    let definition: { standard: StageRow[]; sensitive: StageRow[] } | null = null;
    if (!reset) {
      const numbers = new Set<string>();
      const rows = (chain: "standard" | "sensitive") =>
        Array.from({ length: MAX_STAGES }, (_, i) => {
          const get = (k: string) => String(form.get(`${chain}.${i}.${k}`) ?? "").trim();
          const named = get("named")
            .split(/[\s,;，；]+/)
            .filter(Boolean);
          named.forEach((n) => numbers.add(n));
          return { kind: get("kind"), rule: get("rule") || "ANY", requiredCount: get("n") || undefined, named };
        }).filter((r) => r.kind);
      const standard = rows("standard");
      const sensitive = rows("sensitive");
      const { found, unknown } = await peopleByEmployeeNo([...numbers]);
      if (unknown.length) return { formError: t("unknownPeople", { numbers: unknown.join(", ") }), values };
      const ids = new Map(found.map((p) => [p.employeeNo, p.id]));
      const toStage = (r: (typeof standard)[number]): StageRow => ({
        kind: r.kind,
        rule: r.rule,
        ...(r.rule === "N_OF_M" ? { requiredCount: r.requiredCount } : {}),
        ...(r.kind === "NAMED" ? { namedApproverIds: r.named.map((n) => ids.get(n)!) } : {}),
      });
      definition = { standard: standard.map(toStage), sensitive: sensitive.map(toStage) };
    }
    await performAsActor((tx, actor) =>
      setApprovalChain(tx, actor, { systemId, definition: definition as never, reason: String(form.get("reason") ?? "") }),
    );
    revalidatePath(`/systems/${systemId}/approvals`);
    return { ok: true, notice: reset ? t("resetDone") : t("saved") };
  } catch (error) {
    const state = await actionError(error, values);
    // Zod paths like definition.sensitive point at a chain: show them on the form.
    return state.fieldErrors?.definition ? { ...state, formError: t("invalidChain") } : state;
  }
}
