import type { ReactNode } from "react";
import { requireActor } from "@/lib/auth/get-actor";
import { navigationFor } from "@/lib/authz/navigation";
import { PortalShell } from "@/components/shell/portal-shell";
import { signOutAction } from "./sign-out-action";

export default async function PortalLayout({ children }: { children: ReactNode }) {
  const actor = await requireActor({ allowPasswordChange: true });
  const roles = [...new Set(actor.roles.map((r) => r.role))];
  return (
    <PortalShell user={{ name: actor.name, employeeNo: actor.employeeNo, roles }} nav={navigationFor(actor).map(({ href, key }) => ({ href, key }))} signOut={signOutAction}>
      {children}
    </PortalShell>
  );
}
