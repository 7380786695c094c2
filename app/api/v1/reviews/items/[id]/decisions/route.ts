import { apiRoute } from "@/lib/http/api";
import { decideReviewItem } from "@/lib/api/routes";
import { decideReviewItemHandler } from "@/lib/api/handlers/reviews";

export const dynamic = "force-dynamic";

export const POST = apiRoute(decideReviewItem, decideReviewItemHandler);
