import { getRequestConfig } from "next-intl/server";
import { cookies, headers } from "next/headers";
import { APP_TIME_ZONE } from "@/lib/time/calendar";
import { isLocale, LOCALE_COOKIE, localeFromAcceptLanguage } from "./config";
import { messagesFor } from "./messages";

// No locale in the URL: an intranet portal keeps its addresses stable. The choice is a cookie set
// by the header's switcher; without it, the browser's language decides.
export default getRequestConfig(async () => {
  const cookieLocale = (await cookies()).get(LOCALE_COOKIE)?.value;
  const locale = isLocale(cookieLocale) ? cookieLocale : localeFromAcceptLanguage((await headers()).get("accept-language"));
  return {
    locale,
    timeZone: APP_TIME_ZONE,
    messages: messagesFor(locale),
  };
});
