import { apiRoute } from "@/lib/http/api";
import { listReviewCampaigns } from "@/lib/api/routes";
import { listReviewCampaignsHandler } from "@/lib/api/handlers/reviews";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listReviewCampaigns, listReviewCampaignsHandler);
