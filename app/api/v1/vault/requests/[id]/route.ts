import { apiRoute } from "@/lib/http/api";
import { getVaultApprovalRequest } from "@/lib/api/routes";
import { getVaultRequestHandler } from "@/lib/api/handlers/vault";

export const dynamic = "force-dynamic";

export const GET = apiRoute(getVaultApprovalRequest, getVaultRequestHandler);
