"use server";

import { redirect } from "next/navigation";
import { revalidatePath } from "next/cache";
import { performAsActor } from "@/lib/http/perform";
import { actionError } from "@/lib/http/action-state";
import { markAllNotificationsRead, markNotificationRead } from "@/lib/notifications/mark-read";

/** Only paths inside the portal: a notification's link is never an open redirect. */
function safeLink(link: string): string {
  return link.startsWith("/") && !link.startsWith("//") && !link.startsWith("/\\") ? link : "/notifications";
}

export async function openNotificationAction(form: FormData): Promise<void> {
  const id = String(form.get("id") ?? "");
  const link = String(form.get("link") ?? "");
  try {
    await performAsActor((tx, actor) => markNotificationRead(tx, actor, { notificationId: id }));
  } catch (error) {
    await actionError(error);
    redirect("/notifications");
  }
  redirect(safeLink(link));
}

export async function markReadAction(form: FormData): Promise<void> {
  try {
    await performAsActor((tx, actor) => markNotificationRead(tx, actor, { notificationId: String(form.get("id") ?? "") }));
  } catch (error) {
    await actionError(error);
  }
  revalidatePath("/notifications");
}

export async function markAllReadAction(): Promise<void> {
  try {
    await performAsActor((tx, actor) => markAllNotificationsRead(tx, actor));
  } catch (error) {
    await actionError(error);
  }
  revalidatePath("/notifications");
}
