import { apiRoute } from "@/lib/http/api";
import { createVaultApprovalRequest } from "@/lib/api/routes";
import { createVaultRequestHandler } from "@/lib/api/handlers/vault";

export const dynamic = "force-dynamic";

export const POST = apiRoute(createVaultApprovalRequest, createVaultRequestHandler);
