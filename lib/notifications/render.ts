import { createTranslator } from "next-intl";
import { APP_TIME_ZONE } from "@/lib/time/calendar";
import { DEFAULT_LOCALE, isLocale, type Locale } from "@/i18n/config";
import { lookupMessage, messagesFor } from "@/i18n/messages";

export type NotificationParams = Record<string, string | number>;

// Keys are built at run time (kinds come from a registry), so the translator is used untyped.
type Translate = (key: string, params?: Record<string, string | number>) => string;

function translatorFor(locale: Locale): Translate {
  return createTranslator({
    locale,
    messages: messagesFor(locale),
    timeZone: APP_TIME_ZONE,
    // A missing translation or argument must never stop a delivery: show the key instead.
    onError: () => {},
    getMessageFallback: ({ key, namespace }) => [namespace, key].filter(Boolean).join("."),
  }) as unknown as Translate;
}

/** The title and body of a notification in a language, from notifications.kinds.<kind>.title/.body (ICU). */
export function renderNotification(localeIn: string, kind: string, params: NotificationParams): { title: string; body: string } {
  const locale: Locale = isLocale(localeIn) ? localeIn : DEFAULT_LOCALE;
  const t = translatorFor(locale);
  const has = (k: string) => lookupMessage(locale, `notifications.kinds.${kind}.${k}`) !== undefined;
  const render = (k: "title" | "body") => (has(k) ? t(`notifications.kinds.${kind}.${k}`, params) : kind);
  return { title: render("title"), body: has("body") ? render("body") : "" };
}

export type RenderedEmail = { subject: string; text: string; html: string };

const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/**
 * The e-mail for a notification: the same title and body as the inbox, in the recipient's language,
 * with a link to the portal page (absolute, under the portal's URL) and a footer.
 */
export function renderEmail(
  localeIn: string,
  kind: string,
  params: NotificationParams,
  link: string | null,
  baseUrl: string,
): RenderedEmail {
  const locale: Locale = isLocale(localeIn) ? localeIn : DEFAULT_LOCALE;
  const t = translatorFor(locale);
  const { title, body } = renderNotification(locale, kind, params);
  const url = `${baseUrl}${link && link.startsWith("/") ? link : "/notifications"}`;
  const product = t("shell.product");
  const subject = t("notifications.email.subject", { product, title });
  const open = t("notifications.email.open");
  const footer = t("notifications.email.footer", { product });
  const text = [title, "", body, "", `${open}: ${url}`, "", "--", footer]
    .filter((line, i, all) => !(line === "" && all[i - 1] === ""))
    .join("\n");
  const html = [
    `<!doctype html><html lang="${locale}"><body style="font-family:sans-serif;color:#1e293b">`,
    `<h2 style="font-size:18px">${escapeHtml(title)}</h2>`,
    body ? `<p>${escapeHtml(body)}</p>` : "",
    `<p><a href="${escapeHtml(url)}">${escapeHtml(open)}</a></p>`,
    `<hr><p style="font-size:12px;color:#64748b">${escapeHtml(footer)}</p>`,
    `</body></html>`,
  ].join("");
  return { subject, text, html };
}
