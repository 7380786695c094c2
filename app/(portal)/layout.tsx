import type { ReactNode } from "react";
import { requireActor } from "@/lib/auth/get-actor";
import { navigationFor } from "@/lib/authz/navigation";
import { PortalShell } from "@/components/shell/portal-shell";
import { signOutAction } from "./sign-out-action";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { VaultPrompt } from "@/components/vault/vault-prompt";
import { UNREAD_CAP, unreadNotificationCount } from "@/lib/notifications/queries";
import { countOpenApprovals } from "@/lib/requests/queries";
import { countMyReviews } from "@/lib/reviews/inbox-queries";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor({ allowPasswordChange: true });
  const roles = [...new Set(actor.roles.map((r) => r.role))];
  const unread = await unreadNotificationCount(actor.personId);
  const [openApprovals, reviews] = await Promise.all([countOpenApprovals(actor.personId), countMyReviews(actor.personId)]);
  return (
    <PortalShell
      user={{ name: actor.name, employeeNo: actor.employeeNo, roles }}
      nav={navigationFor(actor, { openApprovals, openReviews: reviews.open }).map((item) => ({
        href: item.href,
        key: item.key,
        badge: "badge" in item ? item.badge : undefined,
      }))}
      signOut={signOutAction}
      headerExtra={<NotificationBell initialCount={unread} cap={UNREAD_CAP} />}
    >
      {children}
      {/* Vault mode (R14): a prompt for this person appears on whatever page is open. */}
      <VaultPrompt />
    </PortalShell>
  );
}
