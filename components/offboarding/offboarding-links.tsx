import Link from "next/link";
import { getTranslations } from "next-intl/server";
import { latestCaseOf } from "@/lib/offboarding/queries";
import { formatCaseNumber } from "@/lib/offboarding/offboard-person";

/** On the person page (HR): offboard on its own route, and the person's latest offboarding case. */
export async function OffboardingLinks({ personId, canOffboard }: { personId: string; canOffboard: boolean }) {
  const [t, latest] = await Promise.all([getTranslations("offboarding"), latestCaseOf(personId)]);
  return (
    <p className="mt-3 flex flex-wrap gap-4 text-sm">
      {canOffboard ? (
        <Link className="text-brand-700 hover:underline" href={`/people/${personId}/offboard`}>
          {t("personForm.link")}
        </Link>
      ) : null}
      {latest ? (
        <Link className="text-brand-700 hover:underline" href={`/offboarding/${latest.id}`}>
          {formatCaseNumber(latest.number)} · {t(`statuses.${latest.status}`)}
        </Link>
      ) : null}
    </p>
  );
}
