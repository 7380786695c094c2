import type { ReactNode } from "react";
import { ClientMessages } from "@/components/shell/client-messages";

// Only this route's client messages reach the browser (i18n/client-messages.ts, issue 13).
export default function Layout({ children }: { children: ReactNode }) {
  return <ClientMessages route="(portal)/reviews">{children}</ClientMessages>;
}
