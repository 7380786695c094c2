// The review inbox's bulk form id: the rows' checkboxes join it with form="…".
export const REVIEW_BULK_FORM_ID = "review-bulk";
