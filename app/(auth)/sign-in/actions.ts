"use server";

import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import { AuthError } from "next-auth";
import { getTranslations } from "next-intl/server";
import { performAnonymously } from "@/lib/http/perform";
import { actionError, formValues, translateZodError, type ActionState } from "@/lib/http/action-state";
import { signIn } from "@/lib/auth/auth-config";
import { SignInInput, startSignIn, PENDING_SIGN_IN_MINUTES } from "@/lib/auth/start-sign-in";
import { SecondFactorInput, verifySecondFactor } from "@/lib/auth/verify-second-factor";
import { completeMfaEnrolment, EnrolInput } from "@/lib/auth/mfa-enrolment";

const PENDING_COOKIE = "portal-pending-sign-in";

async function pendingToken(): Promise<string | undefined> {
  return (await cookies()).get(PENDING_COOKIE)?.value;
}

async function finishSignIn(token: string): Promise<ActionState> {
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
      const t = await getTranslations("errors");
      return { formError: t(result.code, { minutes: result.retryAfterMinutes ?? 0 }), values };
    }
    (await cookies()).set(PENDING_COOKIE, result.token, {
      httpOnly: true,
      sameSite: "strict",
      path: "/",
      maxAge: PENDING_SIGN_IN_MINUTES * 60,
    });
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
