// How vault notifications name things; params are plain strings (rendered per recipient's language).
export function personLabel(p: { name: string; employeeNo: string }): string {
  return `${p.name} (${p.employeeNo})`;
}

export function scenarioParams(s: { name: string; nameEn: string | null }): { scenario: string; scenarioEn: string } {
  return { scenario: s.name, scenarioEn: s.nameEn ?? s.name };
}
