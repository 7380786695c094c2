import { apiRoute } from "@/lib/http/api";
import { listVaultApprovers } from "@/lib/api/routes";
import { listVaultApproversHandler } from "@/lib/api/handlers/vault";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listVaultApprovers, listVaultApproversHandler);
