import type { ReactNode } from "react";
import { NextIntlClientProvider } from "next-intl";
import { getMessages } from "next-intl/server";
import { clientMessages, ROUTE_NAMESPACES, type ClientRoute } from "@/i18n/client-messages";

/**
 * The messages a route's client components need, and nothing else (issue 13). A route's layout
 * renders it around its pages; it replaces the root provider's messages below it.
 */
export async function ClientMessages({ route, children }: { route: ClientRoute; children: ReactNode }) {
  const messages = await getMessages();
  return <NextIntlClientProvider messages={clientMessages(messages, ROUTE_NAMESPACES[route])}>{children}</NextIntlClientProvider>;
}
