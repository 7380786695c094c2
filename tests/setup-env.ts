// Test-only secrets; the database URL comes from scripts/with-db.ts (a real PostgreSQL).
process.env.AUTH_SECRET ??= "test-auth-secret-test-auth-secret-0123456789";
process.env.APP_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
process.env.APP_BLIND_INDEX_KEY ??= Buffer.alloc(32, 9).toString("base64");
process.env.LOG_LEVEL ??= "silent";
process.env.AUDIT_SIGNING_KEY ??= Buffer.alloc(32, 9).toString("base64");
