-- Hand-written (Prisma cannot declare partial indexes): the active-elevations page (R10) lists live
-- grants created by approved ELEVATION requests. Approved elevations are few and short-lived, so this
-- partial index keeps that page one small index scan however many requests there are. A generated
-- migration will propose "DROP INDEX access_request_elevation_grant_idx": delete that statement.
CREATE INDEX "access_request_elevation_grant_idx" ON "access_request" ("grant_id") WHERE "kind" = 'ELEVATION' AND "status" = 'APPROVED';
