import enBase from "@/messages/en.json";
import zhBase from "@/messages/zh-CN.json";
import enAccess from "@/messages/en/access.json";
import enApi from "@/messages/en/api.json";
import enAuditSentences from "@/messages/en/audit-sentences.json";
import enIdentity from "@/messages/en/identity.json";
import enJobs from "@/messages/en/jobs.json";
import enLifecycle from "@/messages/en/lifecycle.json";
import enNotifications from "@/messages/en/notifications.json";
import enOffboarding from "@/messages/en/offboarding.json";
import enProvisioning from "@/messages/en/provisioning.json";
import enRequests from "@/messages/en/requests.json";
import enReviews from "@/messages/en/reviews.json";
import enReviewsCampaigns from "@/messages/en/reviews-campaigns.json";
import enReviewsInbox from "@/messages/en/reviews-inbox.json";
import enVault from "@/messages/en/vault.json";
import zhAccess from "@/messages/zh-CN/access.json";
import zhApi from "@/messages/zh-CN/api.json";
import zhAuditSentences from "@/messages/zh-CN/audit-sentences.json";
import zhIdentity from "@/messages/zh-CN/identity.json";
import zhJobs from "@/messages/zh-CN/jobs.json";
import zhLifecycle from "@/messages/zh-CN/lifecycle.json";
import zhNotifications from "@/messages/zh-CN/notifications.json";
import zhOffboarding from "@/messages/zh-CN/offboarding.json";
import zhProvisioning from "@/messages/zh-CN/provisioning.json";
import zhRequests from "@/messages/zh-CN/requests.json";
import zhReviews from "@/messages/zh-CN/reviews.json";
import zhReviewsCampaigns from "@/messages/zh-CN/reviews-campaigns.json";
import zhReviewsInbox from "@/messages/zh-CN/reviews-inbox.json";
import zhVault from "@/messages/zh-CN/vault.json";
import type { Locale } from "./config";

// The messages of each locale: messages/<locale>.json plus one fragment per domain under
// messages/<locale>/, deep-merged. A fragment may add keys inside any namespace (e.g. its own
// audit.actions and errors) but never redefine one: a collision is a bug and throws.

export type Messages = { [key: string]: string | Messages };

export const FRAGMENTS: Record<Locale, Record<string, Messages>> = {
  en: {
    base: enBase,
    access: enAccess,
    api: enApi,
    auditSentences: enAuditSentences,
    identity: enIdentity,
    jobs: enJobs,
    lifecycle: enLifecycle,
    notifications: enNotifications,
    offboarding: enOffboarding,
    provisioning: enProvisioning,
    requests: enRequests,
    reviews: enReviews,
    reviewsCampaigns: enReviewsCampaigns,
    reviewsInbox: enReviewsInbox,
    vault: enVault,
  },
  "zh-CN": {
    base: zhBase,
    access: zhAccess,
    api: zhApi,
    auditSentences: zhAuditSentences,
    identity: zhIdentity,
    jobs: zhJobs,
    lifecycle: zhLifecycle,
    notifications: zhNotifications,
    offboarding: zhOffboarding,
    provisioning: zhProvisioning,
    requests: zhRequests,
    reviews: zhReviews,
    reviewsCampaigns: zhReviewsCampaigns,
    reviewsInbox: zhReviewsInbox,
    vault: zhVault,
  },
};

export function mergeMessages(parts: Record<string, Messages>): Messages {
  const out: Messages = {};
  const merge = (into: Messages, from: Messages, where: string, source: string) => {
    for (const [key, value] of Object.entries(from)) {
      const existing = into[key];
      if (existing === undefined) {
        into[key] = typeof value === "string" ? value : merge({}, value, `${where}${key}.`, source);
      } else if (typeof existing === "string" || typeof value === "string") {
        throw new Error(`messages: "${where}${key}" is defined twice (again in fragment "${source}")`);
      } else {
        merge(existing, value, `${where}${key}.`, source);
      }
    }
    return into;
  };
  for (const [source, part] of Object.entries(parts)) merge(out, part, "", source);
  return out;
}

const cache = new Map<Locale, Messages>();

export function messagesFor(locale: Locale): Messages {
  let messages = cache.get(locale);
  if (!messages) {
    messages = mergeMessages(FRAGMENTS[locale]);
    cache.set(locale, messages);
  }
  return messages;
}

/** A message by dotted path, for code that runs outside React (e-mails, import reports). */
export function lookupMessage(locale: Locale, path: string): string | undefined {
  let node: string | Messages | undefined = messagesFor(locale);
  for (const part of path.split(".")) {
    if (node === undefined || typeof node === "string") return undefined;
    node = node[part];
  }
  return typeof node === "string" ? node : undefined;
}
