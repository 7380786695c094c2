// Personal data is shown masked by default (R15); the full value is a permission and an audit event.

export function maskPhone(value: string | null | undefined): string {
  if (!value) return "";
  const digits = value.replace(/\s+/g, "");
  if (digits.length < 7) return "*".repeat(digits.length);
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}

export function maskEmail(value: string | null | undefined): string {
  if (!value) return "";
  const at = value.lastIndexOf("@");
  if (at <= 0) return "***";
  const local = value.slice(0, at);
  const head = [...local][0] ?? "";
  return `${head}***@${value.slice(at + 1)}`;
}

export function maskIdNumber(value: string | null | undefined): string {
  if (!value) return "";
  if (value.length <= 8) return "*".repeat(value.length);
  return `${value.slice(0, 4)}${"*".repeat(value.length - 8)}${value.slice(-4)}`;
}

export type PiiField = "phone" | "email" | "idNumber";

export const MASKERS: Record<PiiField, (v: string | null | undefined) => string> = {
  phone: maskPhone,
  email: maskEmail,
  idNumber: maskIdNumber,
};
