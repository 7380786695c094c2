import { apiRoute } from "@/lib/http/api";
import { getPersonAccess } from "@/lib/api/routes";
import { personAccessHandler } from "@/lib/api/handlers/grants";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getPersonAccess, personAccessHandler);
