-- Safety valve (issue 11 §3): a delivery round that would disable or delete more than a set share of a
-- system's accounts is held for an administrator's confirmation.
ALTER TABLE "system_connector" ADD COLUMN "safety_max_percent" INTEGER NOT NULL DEFAULT 10;
ALTER TABLE "system_connector" ADD COLUMN "held_at" TIMESTAMPTZ(3);
ALTER TABLE "system_connector" ADD COLUMN "held_count" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "system_connector" ADD COLUMN "released_before" TIMESTAMPTZ(3);
