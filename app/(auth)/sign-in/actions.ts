"use server";

import { cookies, headers } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { getTranslations } from "next-intl/server";
import { performAnonymously } from "@/lib/http/perform";
import { actionError, formValues, translateZodError, type ActionState } from "@/lib/http/action-state";
import { signIn } from "@/lib/auth/auth-config";
import { SignInInput, startSignIn } from "@/lib/auth/start-sign-in";
import { PENDING_SIGN_IN_COOKIE, pendingSignInCookieOptions } from "@/lib/auth/pending-cookie";
import { isHttpsRequest } from "@/lib/http/request-context";
import { SecondFactorInput, verifySecondFactor } from "@/lib/auth/verify-second-factor";
import { completeMfaEnrolment, EnrolInput } from "@/lib/auth/mfa-enrolment";

async function pendingToken(): Promise<string | undefined> {
  return (await cookies()).get(PENDING_SIGN_IN_COOKIE)?.value;
}

async function setPendingToken(token: string): Promise<void> {
  (await cookies()).set(PENDING_SIGN_IN_COOKIE, token, pendingSignInCookieOptions({ secure: isHttpsRequest(await headers()) }));
}

/** The pending sign-in is over (done, or dead for good): its cookie goes. */
async function clearPendingToken(): Promise<void> {
  const jar = await cookies();
  if (jar.has(PENDING_SIGN_IN_COOKIE)) jar.delete(PENDING_SIGN_IN_COOKIE);
}

async function finishSignIn(token: string): Promise<ActionState> {
  // Whether the ticket is accepted (a session cookie and a redirect) or not (expired meanwhile), the
  // pending sign-in cannot be used again.
  await clearPendingToken();
  try {
    await signIn("ticket", { ticket: token, redirectTo: "/" });
  } catch (error) {
    if (error instanceof AuthError) {
      const t = await getTranslations("errors");
      return { formError: t("SIGN_IN_EXPIRED") };
    }
    throw error; // the redirect on success
  }
  return {};
}

export async function passwordStepAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const values = formValues(form, ["password"]);
  const parsed = SignInInput.safeParse({ login: form.get("login") ?? "", password: form.get("password") ?? "" });
  if (!parsed.success) return { fieldErrors: await translateZodError(parsed.error), values };
  try {
    const result = await performAnonymously((tx, ctx) => startSignIn(tx, ctx, parsed.data));
    if (!result.ok) {
      await clearPendingToken();
      const t = await getTranslations("errors");
      return { formError: t(result.code, { minutes: result.retryAfterMinutes ?? 0 }), values };
    }
    await setPendingToken(result.token);
    if (result.next === "complete") return await finishSignIn(result.token);
    redirect(result.next === "enrol" ? "/sign-in/enrol" : "/sign-in/mfa");
  } catch (error) {
    return actionError(error, values);
  }
}

export async function secondFactorAction(_prev: ActionState, form: FormData): Promise<ActionState> {
  const parsed = SecondFactorInput.safeParse({ code: form.get("code") ?? "" });
  if (!parsed.success) return { fieldErrors: await translateZodError(parsed.error) };
  try {
    const token = await pendingToken();
    const result = await performAnonymously((tx, ctx) => verifySecondFactor(tx, ctx, token, parsed.data));
    if (!result.ok) {
      // A wrong code may be retried; an expired, exhausted or locked sign-in starts over.
      if (result.code !== "INVALID_CODE") await clearPendingToken();
      const t = await getTranslations("errors");
      if (result.code === "ACCOUNT_LOCKED") return { formError: t(result.code, { minutes: result.retryAfterMinutes }) };
      return { formError: t(result.code), fieldErrors: result.code === "INVALID_CODE" ? { code: t("INVALID_CODE") } : undefined };
    }
    return await finishSignIn(token!);
  } catch (error) {
    return actionError(error);
  }
}

export type EnrolState = ActionState & { recoveryCodes?: string[] };

export async function enrolAction(_prev: EnrolState, form: FormData): Promise<EnrolState> {
  const parsed = EnrolInput.safeParse({ code: form.get("code") ?? "" });
  if (!parsed.success) return { fieldErrors: await translateZodError(parsed.error) };
  try {
    const token = await pendingToken();
    const result = await performAnonymously((tx, ctx) => completeMfaEnrolment(tx, ctx, token, parsed.data));
    if (!result.ok) {
      if (result.code !== "INVALID_CODE") await clearPendingToken();
      const t = await getTranslations("errors");
      return { formError: t(result.code), fieldErrors: result.code === "INVALID_CODE" ? { code: t("INVALID_CODE") } : undefined };
    }
    return { ok: true, recoveryCodes: result.recoveryCodes };
  } catch (error) {
    return actionError(error);
  }
}

export async function continueAfterEnrolAction(): Promise<ActionState> {
  const token = await pendingToken();
  if (!token) redirect("/sign-in?reason=expired");
  return finishSignIn(token);
}
