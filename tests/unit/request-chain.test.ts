import { describe, expect, it } from "vitest";
import {
  chainFor,
  DEFAULT_SENSITIVE_CHAIN,
  DEFAULT_STANDARD_CHAIN,
  parseChainDefinition,
  pickApprovers,
  principalsOf,
  requiredApprovals,
  stageOutcome,
  type StageApproverFacts,
} from "@/lib/requests/chain";
import { ChainDefinitionSchema } from "@/lib/requests/schemas";

const kinds = (stages: { kind: string }[]) => stages.map((s) => s.kind);
const none = new Set<string>();

describe("chainFor: default chains", () => {
  it("standard roles: department head, then the system's owner", () => {
    expect(kinds(chainFor({ kind: "GRANT", isSensitive: false, isAdministrative: false }, null))).toEqual([
      "DEPARTMENT_HEAD",
      "SYSTEM_OWNER",
    ]);
  });
  it("sensitive or administrative roles add security (R8)", () => {
    expect(kinds(chainFor({ kind: "GRANT", isSensitive: true, isAdministrative: false }, null))).toEqual([
      "DEPARTMENT_HEAD",
      "SYSTEM_OWNER",
      "SECURITY",
    ]);
    expect(kinds(chainFor({ kind: "GRANT", isSensitive: false, isAdministrative: true }, null))).toEqual([
      "DEPARTMENT_HEAD",
      "SYSTEM_OWNER",
      "SECURITY",
    ]);
  });
  it("a third party's elevation: sponsor then security, whatever the system configured (R10)", () => {
    const custom = ChainDefinitionSchema.parse({ standard: [{ kind: "SYSTEM_OWNER" }], sensitive: [{ kind: "SECURITY" }] });
    expect(kinds(chainFor({ kind: "ELEVATION", isSensitive: false, isAdministrative: true }, custom))).toEqual(["SPONSOR", "SECURITY"]);
  });
  it("a matrix change: the owning department's leader", () => {
    expect(kinds(chainFor({ kind: "MATRIX_CHANGE", isSensitive: false, isAdministrative: false }, null))).toEqual(["OWNER_LEADER"]);
  });
  it("returns copies: callers cannot change the defaults", () => {
    const c = chainFor({ kind: "GRANT", isSensitive: false, isAdministrative: false }, null);
    c[0]!.rule = "ALL";
    expect(DEFAULT_STANDARD_CHAIN[0]!.rule).toBe("ANY");
    expect(DEFAULT_SENSITIVE_CHAIN).toHaveLength(3);
  });
});

describe("chainFor: a system's own chain (R7)", () => {
  const named = "0190f0a0-0000-7000-8000-000000000001";
  const def = ChainDefinitionSchema.parse({
    standard: [{ kind: "NAMED", rule: "ANY", namedApproverIds: [named, named] }],
    sensitive: [{ kind: "DEPARTMENT_HEAD" }, { kind: "SECURITY", rule: "N_OF_M", requiredCount: 2 }],
  });
  it("uses the standard or the sensitive stages by the role's classification", () => {
    expect(chainFor({ kind: "GRANT", isSensitive: false, isAdministrative: false }, def)).toEqual([
      { kind: "NAMED", rule: "ANY", namedApproverIds: [named] },
    ]);
    expect(chainFor({ kind: "GRANT", isSensitive: true, isAdministrative: false }, def)).toEqual([
      { kind: "DEPARTMENT_HEAD", rule: "ANY" },
      { kind: "SECURITY", rule: "N_OF_M", requiredCount: 2 },
    ]);
  });
  it("refuses a sensitive chain without security, an N of M without N, a named stage without names", () => {
    expect(
      ChainDefinitionSchema.safeParse({ standard: [{ kind: "DEPARTMENT_HEAD" }], sensitive: [{ kind: "DEPARTMENT_HEAD" }] }).success,
    ).toBe(false);
    expect(
      ChainDefinitionSchema.safeParse({ standard: [{ kind: "DEPARTMENT_HEAD", rule: "N_OF_M" }], sensitive: [{ kind: "SECURITY" }] })
        .success,
    ).toBe(false);
    expect(ChainDefinitionSchema.safeParse({ standard: [{ kind: "NAMED" }], sensitive: [{ kind: "SECURITY" }] }).success).toBe(false);
    expect(ChainDefinitionSchema.safeParse({ standard: [], sensitive: [{ kind: "SECURITY" }] }).success).toBe(false);
    expect(ChainDefinitionSchema.safeParse({ standard: [{ kind: "SPONSOR" }], sensitive: [{ kind: "SECURITY" }] }).success).toBe(false);
    expect(
      ChainDefinitionSchema.safeParse({
        standard: [{ kind: "NAMED", rule: "N_OF_M", requiredCount: 2, namedApproverIds: [named] }],
        sensitive: [{ kind: "SECURITY" }],
      }).success,
    ).toBe(false);
  });
  it("an unreadable stored definition falls back to the default (which keeps security)", () => {
    expect(parseChainDefinition({ standard: "nonsense" })).toBeNull();
    expect(parseChainDefinition(null)).toBeNull();
    expect(kinds(chainFor({ kind: "GRANT", isSensitive: true, isAdministrative: false }, parseChainDefinition({ bad: 1 })))).toContain(
      "SECURITY",
    );
  });
});

describe("pickApprovers: nobody approves their own request or one for themselves", () => {
  it("keeps the resolved approvers", () => {
    expect(pickApprovers({ resolved: ["head"], routeUp: ["boss"], excluded: new Set(["me"]), delegations: [] })).toEqual([
      { approverId: "head", source: "RESOLVED", onBehalfOfId: null, delegationId: null },
    ]);
  });
  it("a head requesting for themselves: routed up to the next head", () => {
    expect(pickApprovers({ resolved: ["head"], routeUp: ["boss", "ceo"], excluded: new Set(["head"]), delegations: [] })).toEqual([
      { approverId: "boss", source: "ROUTED_UP", onBehalfOfId: null, delegationId: null },
    ]);
  });
  it("routes past heads who are also excluded (the requester is the next head up)", () => {
    expect(
      pickApprovers({ resolved: ["subject"], routeUp: ["requester", "ceo"], excluded: new Set(["subject", "requester"]), delegations: [] }),
    ).toMatchObject([{ approverId: "ceo", source: "ROUTED_UP" }]);
  });
  it("removes only the excluded people from a multi-approver stage, without routing up", () => {
    expect(
      kinds2(
        pickApprovers({
          resolved: ["admin1", "requester", "admin2"],
          routeUp: ["boss"],
          excluded: new Set(["requester"]),
          delegations: [],
        }),
      ),
    ).toEqual(["admin1", "admin2"]);
  });
  it("nobody eligible at all: empty", () => {
    expect(pickApprovers({ resolved: ["me"], routeUp: ["me"], excluded: new Set(["me"]), delegations: [] })).toEqual([]);
    expect(pickApprovers({ resolved: [], routeUp: [], excluded: none, delegations: [] })).toEqual([]);
  });
  it("each person once", () => {
    expect(kinds2(pickApprovers({ resolved: ["a", "a", "b"], routeUp: [], excluded: none, delegations: [] }))).toEqual(["a", "b"]);
  });
});

describe("pickApprovers: delegation", () => {
  it("adds the delegate of an out-of-office approver, on their behalf", () => {
    expect(
      pickApprovers({
        resolved: ["head"],
        routeUp: [],
        excluded: none,
        delegations: [{ delegatorId: "head", delegateId: "deputy", delegationId: "d1" }],
      }),
    ).toEqual([
      { approverId: "head", source: "RESOLVED", onBehalfOfId: null, delegationId: null },
      { approverId: "deputy", source: "DELEGATED", onBehalfOfId: "head", delegationId: "d1" },
    ]);
  });
  it("never a delegate who is the requester or the subject", () => {
    expect(
      kinds2(
        pickApprovers({
          resolved: ["head"],
          routeUp: [],
          excluded: new Set(["deputy"]),
          delegations: [{ delegatorId: "head", delegateId: "deputy", delegationId: "d1" }],
        }),
      ),
    ).toEqual(["head"]);
  });
  it("a routed-up approver's delegate too; a delegate who already approves is not added twice", () => {
    const picks = pickApprovers({
      resolved: ["me"],
      routeUp: ["boss"],
      excluded: new Set(["me"]),
      delegations: [
        { delegatorId: "boss", delegateId: "deputy", delegationId: "d1" },
        { delegatorId: "boss", delegateId: "boss", delegationId: "d2" },
      ],
    });
    expect(picks.map((p) => [p.approverId, p.source])).toEqual([
      ["boss", "ROUTED_UP"],
      ["deputy", "DELEGATED"],
    ]);
  });
  it("ignores delegations of people who are not approvers of the stage", () => {
    expect(
      kinds2(
        pickApprovers({
          resolved: ["a"],
          routeUp: [],
          excluded: none,
          delegations: [{ delegatorId: "x", delegateId: "y", delegationId: "d" }],
        }),
      ),
    ).toEqual(["a"]);
  });
});

function kinds2(picks: { approverId: string }[]) {
  return picks.map((p) => p.approverId);
}

const a = (
  approverId: string,
  source: StageApproverFacts["source"] = "RESOLVED",
  onBehalfOfId: string | null = null,
): StageApproverFacts => ({ approverId, source, onBehalfOfId });
const yes = (approverId: string, onBehalfOfId: string | null = null) => ({ approverId, onBehalfOfId, outcome: "APPROVE" as const });
const no = (approverId: string) => ({ approverId, onBehalfOfId: null, outcome: "REJECT" as const });

describe("stage rules", () => {
  const three = [a("x"), a("y"), a("z"), a("dx", "DELEGATED", "x")];
  it("ANY: one approval", () => {
    expect(stageOutcome({ rule: "ANY", requiredCount: 1 }, three, [])).toBe("PENDING");
    expect(stageOutcome({ rule: "ANY", requiredCount: 1 }, three, [yes("y")])).toBe("APPROVED");
  });
  it("any rejection rejects, whatever the rule", () => {
    expect(stageOutcome({ rule: "ALL", requiredCount: 3 }, three, [yes("x"), yes("y"), no("z")])).toBe("REJECTED");
    expect(stageOutcome({ rule: "ANY", requiredCount: 1 }, three, [no("dx")])).toBe("REJECTED");
  });
  it("ALL: every principal; a delegate's approval counts for the delegator", () => {
    expect(stageOutcome({ rule: "ALL", requiredCount: 3 }, three, [yes("x"), yes("y")])).toBe("PENDING");
    expect(stageOutcome({ rule: "ALL", requiredCount: 3 }, three, [yes("dx", "x"), yes("y"), yes("z")])).toBe("APPROVED");
  });
  it("N of M: N distinct principals (a delegate and their delegator count once)", () => {
    expect(stageOutcome({ rule: "N_OF_M", requiredCount: 2 }, three, [yes("x"), yes("dx", "x")])).toBe("PENDING");
    expect(stageOutcome({ rule: "N_OF_M", requiredCount: 2 }, three, [yes("dx", "x"), yes("z")])).toBe("APPROVED");
  });
  it("N of M never needs more than the principals left (the requester was removed from a two-of-two)", () => {
    expect(requiredApprovals("N_OF_M", 2, 1)).toBe(1);
    expect(stageOutcome({ rule: "N_OF_M", requiredCount: 2 }, [a("only")], [yes("only")])).toBe("APPROVED");
    expect(requiredApprovals("ANY", 5, 3)).toBe(1);
    expect(requiredApprovals("ALL", 1, 4)).toBe(4);
  });
  it("an escalated approver's approval counts for the approver they went over", () => {
    const stage = [a("x"), a("y"), a("boss", "ESCALATED", "x")];
    expect(stageOutcome({ rule: "ALL", requiredCount: 2 }, stage, [yes("boss", "x"), yes("y")])).toBe("APPROVED");
  });
});

describe("pickApprovers at the top of the tree (issue 9 §5)", () => {
  const tiers = [
    { ids: ["root"], source: "ROOT_APPROVER" as const },
    { ids: ["officer", "owner"], source: "TOP_OF_TREE" as const },
  ];

  it("takes the first tier with someone not excluded, only when no head is left", () => {
    expect(pickApprovers({ resolved: ["ceo"], routeUp: [], excluded: new Set(["ceo"]), delegations: [], topOfTree: tiers })).toMatchObject([
      { approverId: "root", source: "ROOT_APPROVER" },
    ]);
    expect(
      pickApprovers({ resolved: ["root"], routeUp: [], excluded: new Set(["root"]), delegations: [], topOfTree: tiers }).map((p) => [
        p.approverId,
        p.source,
      ]),
    ).toEqual([
      ["officer", "TOP_OF_TREE"],
      ["owner", "TOP_OF_TREE"],
    ]);
    expect(pickApprovers({ resolved: ["head"], routeUp: [], excluded: new Set(), delegations: [], topOfTree: tiers })).toMatchObject([
      { approverId: "head", source: "RESOLVED" },
    ]);
    expect(pickApprovers({ resolved: ["ceo"], routeUp: [], excluded: new Set(["ceo"]), delegations: [] })).toEqual([]);
  });

  it("counts top-of-tree approvers as principals", () => {
    expect(principalsOf([{ approverId: "officer", onBehalfOfId: null, source: "TOP_OF_TREE" }])).toEqual(["officer"]);
  });
});
