import { z } from "zod";
import { text } from "@/lib/validation";

export const MarkNotificationReadInput = z.object({ notificationId: text().uuid("invalid") });
export const MarkAllNotificationsReadInput = z.object({}).strict();

export const NotificationsFilter = z.object({
  show: z.enum(["all", "unread"]).default("all").catch("all"),
  order: z.enum(["unread-first", "newest"]).default("unread-first").catch("unread-first"),
  cursor: text().max(1000).optional().catch(undefined),
});
export type NotificationsFilter = z.infer<typeof NotificationsFilter>;
