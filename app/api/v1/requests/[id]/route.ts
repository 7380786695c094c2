import { apiRoute } from "@/lib/http/api";
import { getAccessRequest } from "@/lib/api/routes";
import { getRequestHandler } from "@/lib/api/handlers/requests";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getAccessRequest, getRequestHandler);
