import { getDb } from "@/lib/db";

export async function getAccountSummary(accountId: string) {
  return getDb().masterAccount.findUnique({
    where: { id: accountId },
    select: {
      id: true,
      lastSignInAt: true,
      totpEnrolledAt: true,
      passwordChangedAt: true,
      person: { select: { jobTitle: true, orgUnit: { select: { name: true, nameEn: true } } } },
      _count: { select: { recoveryCodes: { where: { usedAt: null } }, sessions: { where: { revokedAt: null } } } },
    },
  });
}
