// How a vault operation reads on screen: the portal's own operations translated, others as declared.
export function operationLabel(t: (key: string, values?: Record<string, string>) => string, operation: string): string {
  if (operation.startsWith("reveal:")) {
    const field = operation.slice("reveal:".length);
    return ["phone", "email", "idNumber"].includes(field) ? t("operationReveal", { field: t(`fields.${field}`) }) : operation;
  }
  if (operation.startsWith("grant:")) return t("operationGrant");
  return operation;
}
