import { apiRoute } from "@/lib/http/api";
import { listGrants } from "@/lib/api/routes";
import { listGrantsHandler } from "@/lib/api/handlers/grants";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listGrants, listGrantsHandler);
