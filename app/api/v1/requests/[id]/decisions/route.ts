import { apiRoute } from "@/lib/http/api";
import { decideAccessRequest } from "@/lib/api/routes";
import { decideRequestHandler } from "@/lib/api/handlers/requests";

export const dynamic = "force-dynamic";

export const POST = apiRoute(decideAccessRequest, decideRequestHandler);
