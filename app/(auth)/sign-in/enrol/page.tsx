import { cookies } from "next/headers";
import { redirect } from "next/navigation";
import QRCode from "qrcode";
import { getTranslations } from "next-intl/server";
import { performAnonymously } from "@/lib/http/perform";
import { getEnrolmentSecret } from "@/lib/auth/mfa-enrolment";
import { EnrolForm } from "@/components/auth/enrol-form";
import { PENDING_SIGN_IN_COOKIE } from "@/lib/auth/pending-cookie";

export async function generateMetadata() {
  const t = await getTranslations("enrol");
  return { title: t("title") };
}

export default async function EnrolPage() {
  const token = (await cookies()).get(PENDING_SIGN_IN_COOKIE)?.value;
  const enrolment = await performAnonymously((tx) => getEnrolmentSecret(tx, token));
  if (!enrolment) redirect("/sign-in?reason=expired");
  const qr = await QRCode.toDataURL(enrolment.uri, { margin: 1, width: 200 });
  const t = await getTranslations("enrol");
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
      <h1 className="text-lg font-semibold text-slate-900">{t("title")}</h1>
      <p className="mt-1 mb-4 text-sm text-slate-600">{t("subtitle")}</p>
      <EnrolForm qrDataUrl={qr} secret={enrolment.secret} />
    </div>
  );
}
