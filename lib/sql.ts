import { randomBytes } from "node:crypto";
import { Prisma } from "@/lib/db";
import { isUniqueViolation } from "@/lib/db-errors";

/**
 * A UUID version 7 (time-ordered, RFC 9562), as Prisma's @default(uuid(7)) makes them: rows inserted
 * by set-based SQL get the same kind of id as rows created through the client.
 */
export function uuidv7(now = Date.now()): string {
  const b = randomBytes(16);
  b.writeUIntBE(now, 0, 6);
  b[6] = (b[6]! & 0x0f) | 0x70;
  b[8] = (b[8]! & 0x3f) | 0x80;
  const h = b.toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
}

/**
 * UUIDs version 7 (as Prisma's @default(uuid(7))) that also sort in the order they are handed out:
 * one millisecond, then a 26-bit counter in the bits RFC 9562 leaves to the generator, the rest random.
 * Lists ordered by id (the system's grant export) then show the file's order, as one-by-one grants did.
 */
export function orderedUuidv7s(now = Date.now()): () => string {
  let n = 0;
  return () => {
    const i = n++;
    const b = randomBytes(16);
    b.writeUIntBE(now, 0, 6);
    b[6] = 0x70 | ((i >>> 22) & 0x0f);
    b[7] = (i >>> 14) & 0xff;
    b[8] = 0x80 | ((i >>> 8) & 0x3f);
    b[9] = i & 0xff;
    const h = b.toString("hex");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  };
}

/** A unique violation from the client (P2002) or from a raw statement (SQLSTATE 23505 in the driver's error). */
export function isUniqueViolationAnywhere(error: unknown): boolean {
  if (isUniqueViolation(error)) return true;
  if (!(error instanceof Prisma.PrismaClientKnownRequestError)) return false;
  const meta = error.meta as { code?: unknown; driverAdapterError?: { cause?: { kind?: unknown; originalCode?: unknown } } } | undefined;
  const cause = meta?.driverAdapterError?.cause;
  return meta?.code === "23505" || cause?.originalCode === "23505" || cause?.kind === "UniqueConstraintViolation";
}
