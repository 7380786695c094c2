import { apiRoute } from "@/lib/http/api";
import { submitAccessRequest } from "@/lib/api/routes";
import { submitRequestHandler } from "@/lib/api/handlers/requests";

export const dynamic = "force-dynamic";

export const POST = apiRoute(submitAccessRequest, submitRequestHandler);
