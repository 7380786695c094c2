// First setup file of every test project: a pinned clock (PORTAL_CLOCK_AT / PORTAL_CLOCK_OFFSET_MS,
// decision 0018) shifts Date before any test or portal module reads it.
import { installClockFromEnv } from "@/lib/time/pinned-clock";

installClockFromEnv();
