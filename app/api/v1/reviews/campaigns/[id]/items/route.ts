import { apiRoute } from "@/lib/http/api";
import { listReviewItems } from "@/lib/api/routes";
import { listReviewItemsHandler } from "@/lib/api/handlers/reviews";

export const dynamic = "force-dynamic";

export const GET = apiRoute(listReviewItems, listReviewItemsHandler);
