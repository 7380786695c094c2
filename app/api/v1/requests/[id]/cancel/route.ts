import { apiRoute } from "@/lib/http/api";
import { cancelAccessRequest } from "@/lib/api/routes";
import { cancelRequestHandler } from "@/lib/api/handlers/requests";

export const dynamic = "force-dynamic";

export const POST = apiRoute(cancelAccessRequest, cancelRequestHandler);
