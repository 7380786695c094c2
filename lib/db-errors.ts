import { Prisma } from "@/lib/generated/prisma/client";

/** A unique-constraint violation (P2002): the database settled a race the application check lost. */
export function isUniqueViolation(error: unknown): error is Prisma.PrismaClientKnownRequestError {
  return error instanceof Prisma.PrismaClientKnownRequestError && error.code === "P2002";
}

/** The first column named by a unique violation, when the driver reports it. */
export function uniqueField(error: Prisma.PrismaClientKnownRequestError): string | undefined {
  const meta = error.meta as { target?: unknown; driverAdapterError?: { cause?: { constraint?: { fields?: string[] } } } } | undefined;
  const target = meta?.target ?? meta?.driverAdapterError?.cause?.constraint?.fields;
  const first = Array.isArray(target) ? String(target[0]) : typeof target === "string" ? target : undefined;
  return first?.replace(/"/g, "");
}
