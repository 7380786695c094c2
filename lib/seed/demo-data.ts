// The demo organisation: a provincial branch of an operator, with the departments and job roles of
// the default catalogue (REQUIREMENTS.md), two vendors' third-party staff, and a few business systems.
// Deterministic: the same people, units and systems every time.

import { addDays, dayIn, endOfDay } from "@/lib/time/calendar";

export const DEMO_PASSWORD = "Demo!Portal2026";
// Demo-only TOTP seed shared by the demo sign-ins so the README can list it. Never used outside
// the demo seed; a real installation enrols every person with a fresh random secret.
export const DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP";

export type DemoUnit = { code: string; name: string; nameEn: string; parent?: string };

export const DEMO_UNITS: DemoUnit[] = [
  { code: "PROV", name: "省分公司", nameEn: "Provincial Branch" },
  { code: "MKT", name: "市场部", nameEn: "Marketing", parent: "PROV" },
  { code: "DATA", name: "数据业务部", nameEn: "Data Business", parent: "PROV" },
  { code: "GOV", name: "政企客户部", nameEn: "Government & Enterprise", parent: "PROV" },
  { code: "CS", name: "客户服务中心", nameEn: "Customer Service Centre", parent: "MKT" },
  { code: "NET", name: "网络运维部", nameEn: "Network Operations", parent: "PROV" },
  { code: "IT", name: "信息技术部", nameEn: "Information Technology", parent: "PROV" },
  { code: "IT-DEV", name: "开发测试中心", nameEn: "Development & Test", parent: "IT" },
  { code: "BILL", name: "计费账务中心", nameEn: "Billing Operations", parent: "IT" },
  { code: "HR", name: "人力资源部", nameEn: "Human Resources", parent: "PROV" },
  { code: "SEC", name: "信息安全与审计部", nameEn: "Security & Audit", parent: "PROV" },
];

export const DEMO_SYSTEMS = [
  { code: "CRM", name: "客户关系管理系统", nameEn: "CRM", kind: "FRONT_END", environment: "PRODUCTION", owner: "MKT" },
  { code: "BOSS", name: "业务支撑系统（计费）", nameEn: "BOSS billing", kind: "BACK_END", environment: "PRODUCTION", owner: "BILL" },
  { code: "DATA-PLAT", name: "大数据平台", nameEn: "Data platform", kind: "PLATFORM", environment: "PRODUCTION", owner: "DATA" },
  { code: "NMS", name: "网络管理系统", nameEn: "Network management", kind: "BACK_END", environment: "PRODUCTION", owner: "NET" },
  { code: "SMS-GW", name: "短信网关", nameEn: "SMS gateway", kind: "BACK_END", environment: "PRODUCTION", owner: "NET" },
  { code: "CRM-TEST", name: "客户关系管理系统（测试）", nameEn: "CRM (test)", kind: "FRONT_END", environment: "TEST", owner: "IT-DEV" },
] as const;

export type DemoJobCategory =
  | "PRODUCT_RD"
  | "MARKETING_POLICY"
  | "BUSINESS_MANAGEMENT"
  | "OPERATIONS_SUPPORT"
  | "SERVICE_MARKETING_FRONT_LINE"
  | "SERVICE_MARKETING_OTHER"
  | "OPS_INFRASTRUCTURE_ADMIN"
  | "OPS_APPLICATION_ADMIN"
  | "DEV_TEST"
  | "PRODUCTION_OPERATIONS";

/** The catalogue category of a demo job title (the policy engine's catalogue rules use it). */
export function jobCategoriesOf(jobTitle: string): DemoJobCategory[] {
  if (jobTitle.startsWith("产品研发")) return ["PRODUCT_RD"];
  if (jobTitle.startsWith("市场政策")) return ["MARKETING_POLICY"];
  if (jobTitle.startsWith("业务管理")) return ["BUSINESS_MANAGEMENT"];
  if (jobTitle.startsWith("运营系统支撑")) return ["OPERATIONS_SUPPORT"];
  if (jobTitle.startsWith("服务营销")) return ["SERVICE_MARKETING_FRONT_LINE"];
  if (jobTitle.includes("主机管理员") || jobTitle.includes("数据库管理员") || jobTitle.includes("驻场"))
    return ["OPS_INFRASTRUCTURE_ADMIN"];
  if (jobTitle.includes("应用管理员")) return ["OPS_APPLICATION_ADMIN"];
  if (jobTitle.startsWith("开发测试")) return ["DEV_TEST"];
  if (jobTitle.startsWith("生产运营")) return ["PRODUCTION_OPERATIONS"];
  return [];
}

// Who holds what in the demo: front-line service on CRM, billing operations on BOSS, analysts on
// the data platform, network administrators on NMS; a third-party seat with statistics only. The
// fourth column is how many days the grant lasts (null: permanent). Sensitive roles and third parties
// are time-bound, as every grant must be (lib/grants/grant-role.ts); E0100's ends within the week so
// the demo shows the expiry reminder and renewal from My access.
export const DEMO_GRANTS: [employeeNo: string, system: string, role: string, days: number | null][] = [
  ["E0100", "CRM", "FRONT_LINE", 5],
  ["E0106", "CRM", "FRONT_LINE", 60],
  ["E0107", "CRM", "FRONT_LINE", 60],
  ["E0108", "CRM", "QUERY_ONLY", 90],
  ["E0117", "CRM", "FRONT_LINE", 30],
  ["E0129", "BOSS", "BILLING_OPERATOR", 90],
  ["E0130", "BOSS", "BILLING_OPERATOR", 90],
  ["E0131", "BOSS", "BILLING_BULK", 30],
  ["E0115", "DATA-PLAT", "ANALYST", null],
  ["E0112", "DATA-PLAT", "DATA_OPERATOR", 90],
  ["E0121", "NMS", "NET_ADMIN", 90],
  ["E0122", "NMS", "NOC_OPERATOR", null],
  ["E0126", "CRM-TEST", "TESTER", null],
  ["V0001", "CRM-TEST", "TESTER", 60],
  ["V0006", "CRM", "STATS_ANALYST", 30],
];

export type DemoPerson = {
  employeeNo: string;
  name: string;
  unit: string;
  jobTitle: string;
  vendor?: string;
  // Third parties: the employee who sponsors them, and how many months before the vendor's contract
  // end their own contract ends (R10).
  sponsor?: string;
  contractMonthsBeforeVendorEnd?: number;
  email?: string;
  portalRoles?: { role: "SYSTEM_ADMIN" | "ACCOUNT_ADMIN" | "APPROVER" | "HR" | "SECURITY_OFFICER"; system?: string; unit?: string }[];
  headOf?: string;
};

// The sign-ins the README lists, one per portal role.
export const DEMO_SIGN_INS: DemoPerson[] = [
  {
    employeeNo: "E0001",
    name: "王建国",
    unit: "IT",
    jobTitle: "平台管理员",
    email: "wang.jianguo@demo.example",
    portalRoles: [{ role: "SYSTEM_ADMIN" }],
  },
  {
    employeeNo: "E0002",
    name: "李敏",
    unit: "IT",
    jobTitle: "运营系统支撑",
    email: "li.min@demo.example",
    portalRoles: [
      { role: "ACCOUNT_ADMIN", system: "CRM" },
      { role: "ACCOUNT_ADMIN", system: "BOSS" },
    ],
  },
  {
    employeeNo: "E0003",
    name: "张伟",
    unit: "MKT",
    jobTitle: "市场部总经理",
    email: "zhang.wei@demo.example",
    portalRoles: [{ role: "APPROVER", unit: "MKT" }],
    headOf: "MKT",
  },
  { employeeNo: "E0004", name: "刘芳", unit: "HR", jobTitle: "人事专员", email: "liu.fang@demo.example", portalRoles: [{ role: "HR" }] },
  {
    employeeNo: "E0005",
    name: "陈静",
    unit: "SEC",
    jobTitle: "安全审计员",
    email: "chen.jing@demo.example",
    portalRoles: [{ role: "SECURITY_OFFICER" }],
  },
  { employeeNo: "E0100", name: "赵磊", unit: "CS", jobTitle: "服务营销", email: "zhao.lei@demo.example" },
];

const SURNAMES = ["杨", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高", "林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐"];
const GIVEN = [
  "晓明",
  "丽娟",
  "志强",
  "海燕",
  "俊杰",
  "雪梅",
  "国栋",
  "婷婷",
  "宏伟",
  "秀英",
  "建华",
  "文静",
  "子涵",
  "欣怡",
  "浩然",
  "佳琪",
  "振宇",
  "思远",
  "雅琴",
  "立新",
];

// Job titles from the default catalogue, by department.
const STAFF_PLAN: { unit: string; jobTitle: string; count: number }[] = [
  { unit: "MKT", jobTitle: "市场政策与策划", count: 3 },
  { unit: "MKT", jobTitle: "业务管理", count: 2 },
  { unit: "CS", jobTitle: "服务营销", count: 6 },
  { unit: "DATA", jobTitle: "产品研发", count: 3 },
  { unit: "DATA", jobTitle: "业务管理", count: 2 },
  { unit: "GOV", jobTitle: "服务营销", count: 3 },
  { unit: "GOV", jobTitle: "产品研发", count: 1 },
  { unit: "NET", jobTitle: "运行维护（主机管理员）", count: 2 },
  { unit: "NET", jobTitle: "运行维护（数据库管理员）", count: 1 },
  { unit: "IT", jobTitle: "运行维护（应用管理员）", count: 2 },
  { unit: "IT-DEV", jobTitle: "开发测试", count: 3 },
  { unit: "BILL", jobTitle: "生产运营（计费）", count: 3 },
  { unit: "HR", jobTitle: "人事专员", count: 1 },
  { unit: "SEC", jobTitle: "安全审核", count: 1 },
];

const VENDORS = ["华信科技有限公司", "博远软件服务有限公司"];

/**
 * The two demo vendors. Contract periods are relative to the seed's year, so a demo seeded in any
 * year has vendors (and third parties) under a running contract.
 */
export const DEMO_VENDORS: {
  name: string;
  contactName: string;
  contactPhone: string;
  contactEmail: string;
  startsYearOffset: number;
  startsMonth: number;
  endsYearOffset: number;
  endsMonth: number;
}[] = [
  {
    name: VENDORS[0]!,
    contactName: "孙经理",
    contactPhone: "13900001001",
    contactEmail: "pm@huaxin.demo.example",
    startsYearOffset: -1,
    startsMonth: 1,
    endsYearOffset: 1,
    endsMonth: 12,
  },
  {
    name: VENDORS[1]!,
    contactName: "钱经理",
    contactPhone: "13900001002",
    contactEmail: "service@boyuan.demo.example",
    startsYearOffset: 0,
    startsMonth: 1,
    endsYearOffset: 2,
    endsMonth: 6,
  },
];

/** A demo vendor's contract period for a seed run in `year`: first day of the start month, last day of the end month (UTC). */
export function demoVendorContract(v: (typeof DEMO_VENDORS)[number], year: number): { contractStartsOn: Date; contractEndsOn: Date } {
  return {
    contractStartsOn: new Date(Date.UTC(year + v.startsYearOffset, v.startsMonth - 1, 1)),
    contractEndsOn: new Date(Date.UTC(year + v.endsYearOffset, v.endsMonth, 0)),
  };
}

/**
 * The end of a demo grant lasting `days` days: the last instant of that day (UTC), as the grant form
 * makes it, and for a third party never past the last day of their contract.
 */
export function demoGrantEnd(now: Date, days: number, contractEndsOn: Date | null = null): Date {
  const day = addDays(dayIn(now), days);
  const contractDay = contractEndsOn?.toISOString().slice(0, 10);
  return endOfDay(contractDay && contractDay < day ? contractDay : day);
}

/** The last day of the month `months` before the month of `end` (UTC). */
export function monthsBefore(end: Date, months: number): Date {
  return new Date(Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - months + 1, 0));
}

const THIRD_PARTY_PLAN: { unit: string; jobTitle: string; vendor: string }[] = [
  { unit: "IT-DEV", jobTitle: "开发测试（外包）", vendor: VENDORS[0]! },
  { unit: "IT-DEV", jobTitle: "开发测试（外包）", vendor: VENDORS[0]! },
  { unit: "IT-DEV", jobTitle: "开发测试（外包）", vendor: VENDORS[1]! },
  { unit: "NET", jobTitle: "运行维护（驻场）", vendor: VENDORS[0]! },
  { unit: "NET", jobTitle: "运行维护（驻场）", vendor: VENDORS[1]! },
  { unit: "CS", jobTitle: "服务营销（外包坐席）", vendor: VENDORS[1]! },
  { unit: "CS", jobTitle: "服务营销（外包坐席）", vendor: VENDORS[1]! },
  { unit: "BILL", jobTitle: "生产运营（驻场）", vendor: VENDORS[0]! },
];

export function demoPeople(): DemoPerson[] {
  const people: DemoPerson[] = [...DEMO_SIGN_INS];
  let n = 0;
  const nextName = () => {
    const name = `${SURNAMES[n % SURNAMES.length]}${GIVEN[(n * 7) % GIVEN.length]}`;
    n += 1;
    return name;
  };
  let no = 101;
  for (const plan of STAFF_PLAN) {
    for (let i = 0; i < plan.count; i++) {
      people.push({ employeeNo: `E${String(no++).padStart(4, "0")}`, name: nextName(), unit: plan.unit, jobTitle: plan.jobTitle });
    }
  }
  // Heads of the other departments approve for their own subtree.
  const heads: Record<string, string> = { DATA: "E0112", GOV: "E0117", NET: "E0121", IT: "E0124", BILL: "E0129", CS: "E0106" };
  for (const [unit, employeeNo] of Object.entries(heads)) {
    const p = people.find((x) => x.employeeNo === employeeNo);
    if (p) {
      p.headOf = unit;
      p.portalRoles = [...(p.portalRoles ?? []), { role: "APPROVER", unit }];
    }
  }
  // Third parties come last (their sponsors exist by then): sponsored by the head of their unit, or
  // of the nearest unit above that has one.
  const headOf = (unit: string | undefined): string | undefined => {
    if (!unit) return undefined;
    return people.find((x) => x.headOf === unit)?.employeeNo ?? headOf(DEMO_UNITS.find((u) => u.code === unit)?.parent);
  };
  let tp = 1;
  for (const plan of THIRD_PARTY_PLAN) {
    people.push({
      employeeNo: `V${String(tp).padStart(4, "0")}`,
      name: nextName(),
      unit: plan.unit,
      jobTitle: plan.jobTitle,
      vendor: plan.vendor,
      sponsor: headOf(plan.unit),
      contractMonthsBeforeVendorEnd: (tp % 3) * 3,
    });
    tp += 1;
  }
  return people;
}

/** Deterministic fake personal data (obviously fake ranges). */
export function demoPii(index: number) {
  const phone = `139${String(10000000 + index * 7919).slice(-8)}`;
  const idNumber = `11010119${String(80 + (index % 20)).padStart(2, "0")}${String((index % 12) + 1).padStart(2, "0")}${String((index % 28) + 1).padStart(2, "0")}${String(100 + index).slice(-3)}X`;
  return { phone, idNumber };
}

type DemoPermission = [
  code: string,
  name: string,
  nameEn: string,
  dataKind: "NONE" | "IDENTITY" | "USER_DATA" | "SERVICE_DATA",
  sensitivity: "EXTREME" | "SENSITIVE" | "RELATIVE" | "LOW",
  operation: "QUERY" | "ADD" | "DELETE" | "MODIFY" | "BULK_IMPORT" | "BULK_EXPORT" | "BULK_SERVICE" | "BULK_DOWNLOAD" | "SCREEN_COPY",
  flags?: { log?: boolean; accountCreation?: boolean },
];
type DemoRole = [code: string, name: string, nameEn: string, permissions: string[], flags?: { administrative?: boolean }];

// Each system's classified permissions and job roles, following the default catalogue.
export const DEMO_CATALOG: Record<string, { permissions: DemoPermission[]; roles: DemoRole[] }> = {
  CRM: {
    permissions: [
      ["CUST.QUERY", "查询客户资料", "Query customer profile", "IDENTITY", "SENSITIVE", "QUERY"],
      ["CUST.MODIFY", "修改客户资料", "Modify customer profile", "USER_DATA", "SENSITIVE", "MODIFY"],
      ["ORDER.ADD", "受理业务订单", "Accept service orders", "SERVICE_DATA", "RELATIVE", "ADD"],
      ["CUST.BULK_EXPORT", "批量导出客户资料", "Bulk export customer data", "USER_DATA", "EXTREME", "BULK_EXPORT"],
      ["STATS.VIEW", "查看统计报表", "View statistics", "NONE", "LOW", "QUERY"],
      ["ACCOUNT.CREATE", "创建系统帐号", "Create system accounts", "NONE", "LOW", "ADD", { accountCreation: true }],
    ],
    roles: [
      ["FRONT_LINE", "一线服务营销", "Front-line service", ["CUST.QUERY", "CUST.MODIFY", "ORDER.ADD"]],
      ["QUERY_ONLY", "客户资料查询", "Customer query only", ["CUST.QUERY"]],
      ["STATS_ANALYST", "统计分析", "Statistics analyst", ["STATS.VIEW"]],
      ["CRM_ADMIN", "CRM 系统管理员", "CRM administrator", ["ACCOUNT.CREATE", "STATS.VIEW"], { administrative: true }],
    ],
  },
  BOSS: {
    permissions: [
      ["BILL.QUERY", "查询账单详单", "Query bills and call records", "SERVICE_DATA", "SENSITIVE", "QUERY"],
      ["BILL.ADJUST", "账务调整", "Adjust bills", "SERVICE_DATA", "SENSITIVE", "MODIFY"],
      ["BILL.BULK_IMPORT", "批量导入账务数据", "Bulk import billing data", "SERVICE_DATA", "SENSITIVE", "BULK_IMPORT"],
      ["LOG.MANAGE", "日志管理", "Log management", "NONE", "RELATIVE", "MODIFY", { log: true }],
      ["ACCOUNT.CREATE", "创建系统帐号", "Create system accounts", "NONE", "LOW", "ADD", { accountCreation: true }],
    ],
    roles: [
      ["BILLING_OPERATOR", "计费操作员", "Billing operator", ["BILL.QUERY", "BILL.ADJUST"]],
      ["BILLING_BULK", "计费批量操作", "Billing bulk operations", ["BILL.QUERY", "BILL.BULK_IMPORT"]],
      ["LOG_ADMIN", "日志管理员", "Log administrator", ["LOG.MANAGE"]],
      ["BOSS_SUPERADMIN", "BOSS 超级管理员", "BOSS super administrator", ["ACCOUNT.CREATE", "LOG.MANAGE"], { administrative: true }],
    ],
  },
  "DATA-PLAT": {
    permissions: [
      ["REPORT.VIEW", "查看经营报表", "View business reports", "NONE", "LOW", "QUERY"],
      ["DETAIL.QUERY", "查询明细数据", "Query detailed records", "SERVICE_DATA", "SENSITIVE", "QUERY"],
      ["DETAIL.BULK_DOWNLOAD", "批量下载明细数据", "Bulk download detailed records", "SERVICE_DATA", "EXTREME", "BULK_DOWNLOAD"],
    ],
    roles: [
      ["ANALYST", "数据分析", "Analyst", ["REPORT.VIEW"]],
      ["DATA_OPERATOR", "数据运营", "Data operator", ["REPORT.VIEW", "DETAIL.QUERY"]],
    ],
  },
  NMS: {
    permissions: [
      ["ALARM.VIEW", "查看告警", "View alarms", "NONE", "LOW", "QUERY"],
      ["DEVICE.CONFIG", "设备配置", "Configure devices", "NONE", "LOW", "MODIFY"],
      ["LOG.MANAGE", "日志管理", "Log management", "NONE", "RELATIVE", "MODIFY", { log: true }],
    ],
    roles: [
      ["NOC_OPERATOR", "网管值班员", "NOC operator", ["ALARM.VIEW"]],
      ["NET_ADMIN", "网络管理员", "Network administrator", ["ALARM.VIEW", "DEVICE.CONFIG", "LOG.MANAGE"], { administrative: true }],
    ],
  },
  "SMS-GW": {
    permissions: [
      ["SMS.SEND_BULK", "批量发送短信", "Send bulk SMS", "USER_DATA", "SENSITIVE", "BULK_SERVICE"],
      ["SMS.LOG_QUERY", "查询短信记录", "Query SMS records", "SERVICE_DATA", "SENSITIVE", "QUERY"],
    ],
    roles: [
      ["SMS_OPERATOR", "短信运营", "SMS operator", ["SMS.SEND_BULK"]],
      ["SMS_AUDITOR", "短信稽核", "SMS auditor", ["SMS.LOG_QUERY"]],
    ],
  },
  "CRM-TEST": {
    permissions: [["CUST.QUERY", "查询客户资料（脱敏测试数据）", "Query customer profile (masked test data)", "IDENTITY", "LOW", "QUERY"]],
    roles: [["TESTER", "测试人员", "Tester", ["CUST.QUERY"]]],
  },
};
