// Opaque keyset cursors: the last row's sort key, base64url JSON. Garbage in → first page.
export function encodeCursor(value: unknown): string {
  return Buffer.from(JSON.stringify(value), "utf8").toString("base64url");
}

export function decodeCursor<T>(cursor: string | undefined | null, guard: (v: unknown) => v is T): T | null {
  if (!cursor || cursor.length > 1000) return null;
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    return guard(value) ? value : null;
  } catch {
    return null;
  }
}

export type Page<T> = { rows: T[]; nextCursor: string | null };
