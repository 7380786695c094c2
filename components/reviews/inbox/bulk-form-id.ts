// The review inbox's form ids: the rows' checkboxes join the bulk form, their Keep / End buttons the quick one, with form="…".
export const REVIEW_BULK_FORM_ID = "review-bulk";
export const REVIEW_QUICK_FORM_ID = "review-quick";
