// The bulk approval form's id: the inbox's checkboxes join it with form="…".
export const BULK_FORM_ID = "bulk-approve";
