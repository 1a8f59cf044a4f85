import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Finding } from "../../src/findings/finding.js";
import { scan, type ScanOptions } from "../../src/scan.js";
import { createRepo, type TestRepo } from "./support/git-repo.js";

// One repository: a base commit with an existing leak, and one branch per kind of update. Each test checks out its
// branch and runs the real pipeline on both sides (flowgate's engine and models, no hand-made flows).

const POLICY = `extends: recommended
sanitizers: ["src/privacy.ts#redact"]
vetted:
  hosts: ["*.enclave.eu.internal"]
`;

const PRIVACY = `export function redact(value: string): string {
  return value.slice(0, 2) + "***";
}
`;

const AUDIT = `import { redact } from "./privacy";

export interface User {
  name: string;
  phone: string;
  email: string;
}

export function audit(user: User) {
  console.log("audit", user.phone);
  console.log("contact", redact(user.email));
}
`;

const BASE = { "flowgate.config.yaml": POLICY, "src/privacy.ts": PRIVACY, "src/audit.ts": AUDIT };

let repo: TestRepo;

beforeAll(() => {
  repo = createRepo(BASE);
  // (a) a new leak
  repo.branch("new-leak", {
    "src/audit.ts": `${AUDIT}
export function login(user: User) {
  console.log("login", user.email);
}
`,
  });
  // (b) code moved in above the old leak, nothing else
  repo.branch("moved", {
    "src/audit.ts": AUDIT.replace(
      "export function audit(",
      `export function initials(user: User): string {
  return user.name.slice(0, 1);
}

export function audit(`,
    ),
  });
  // (c) the update vets a host and declares a sanitizer of its own, and uses both for a new flow
  repo.branch("weakened-policy", {
    "flowgate.config.yaml": `extends: recommended
sanitizers: ["src/privacy.ts#redact", "src/format.ts#tidy"]
vetted:
  hosts: ["*.enclave.eu.internal", "api.partner.example"]
`,
    "src/format.ts": `export function tidy(value: string): string {
  return value.trim();
}
`,
    "src/partner.ts": `import { tidy } from "./format";

export async function share(user: { phone: string }) {
  await fetch("https://api.partner.example/contacts", { method: "POST", body: tidy(user.phone) });
}
`,
  });
  // (d) a suppression of the old leak without a justification
  repo.branch("unjustified", {
    "src/audit.ts": AUDIT.replace(`  console.log("audit", user.phone);`, `  // flowgate-ignore-next-line leak-to-log\n  console.log("audit", user.phone);`),
  });
  // (e) the redact() call deleted
  repo.branch("redact-removed", {
    "src/audit.ts": AUDIT.replace(`redact(user.email)`, `user.email`).replace(`import { redact } from "./privacy";\n\n`, ""),
  });
  // (g) the old leak fixed, below code moved in: its base line holds other code in the head
  repo.branch("fixed", {
    "src/audit.ts": AUDIT.replace(`user.phone);`, `user.name);`).replace(
      "export function audit(",
      `export function initials(user: User): string {
  return user.name.slice(0, 1);
}

export function audit(`,
    ),
  });
  // (h) the update excludes the file it adds a leak to
  repo.branch("excluded-leak", {
    "flowgate.config.yaml": `${POLICY}exclude: ["src/audit.ts"]\n`,
    "src/audit.ts": `${AUDIT}
export function login(user: User) {
  console.log("login", user.email);
}
`,
  });
  // (f) a new destination that no restricted data reaches (yet)
  repo.branch("new-destination", {
    "src/status.ts": `export async function ping() {
  await fetch("https://status.vendor.example/ping", { method: "POST" });
}
`,
  });
});

afterAll(() => repo.remove());

/** Scans `name` checked out, compared with main; findings as `state rule file:line`. */
async function review(name: string, options: Partial<ScanOptions> = {}): Promise<{ lines: string[]; findings: Finding[]; notifications: string[] }> {
  repo.git("checkout", "-q", name);
  const result = await scan({ root: repo.dir, base: "main", ...options });
  return {
    lines: result.findings.map((f) => `${f.baselineState} ${f.ruleId} ${f.location.file}:${f.location.startLine}`),
    findings: result.findings,
    notifications: result.notifications.map((n) => n.id),
  };
}

describe("update review against the merge base (--base)", () => {
  it("(a) reports the new leak only, not the existing one", async () => {
    const { lines, findings } = await review("new-leak");
    expect(lines).toEqual(["new leak-to-log src/audit.ts:15"]);
    expect(findings[0]?.flows?.map((f) => f.dataClass)).toEqual(["email-address"]);
  });

  it("(b) reports nothing when code moves in above the old leak; with --all, the old leak keeps its identity", async () => {
    expect((await review("moved")).lines).toEqual([]);
    const all = await review("moved", { newOnly: false });
    expect(all.lines).toEqual(["unchanged leak-to-log src/audit.ts:14"]);
    repo.git("checkout", "-q", "main");
    const before = await scan({ root: repo.dir });
    expect(all.findings[0]?.fingerprint).toBe(before.findings[0]?.fingerprint);
  });

  it("(c) judges the update with the base policy and reports each weakening at its line", async () => {
    const { lines, findings } = await review("weakened-policy");
    expect(lines).toEqual([
      "new policy-weakened flowgate.config.yaml:2",
      "new policy-weakened flowgate.config.yaml:4",
      "new new-egress-destination src/partner.ts:4",
      "new leak-to-network src/partner.ts:4",
    ]);
    expect(findings.filter((f) => f.ruleId === "policy-weakened").map((f) => f.message)).toEqual([
      "The update declares `src/format.ts#tidy` a sanitizer: data passed through it would count as clean.",
      "The update vets the host `api.partner.example`: restricted data sent there would no longer be reported.",
    ]);
  });

  it("(h) lists the head's files under the base policy when the update changes what the policy selects", async () => {
    // the head's files are listed under the working tree's policy while git answers (review-update.ts, EarlyListing);
    // the trusted policy selects audit.ts, so the review lists again under it and the leak the update adds is reported
    const told: number[] = [];
    const { lines } = await review("excluded-leak", { onSourcesRead: (read) => told.push(read.files) });
    expect(lines).toEqual(["new policy-weakened flowgate.config.yaml:5", "new leak-to-log src/audit.ts:15"]);
    // told once, of the listing the review scans (the base policy selects both files), never of the early one
    expect(told).toEqual([2]);
    const { lines: unchanged } = await review("new-leak", { onSourcesRead: (read) => told.push(read.files) });
    expect(unchanged).toEqual(["new leak-to-log src/audit.ts:15"]);
    // the policy the same: the early listing is the head's, told once
    expect(told).toEqual([2, 2]);
  });

  it("(c) with --policy-from head, the head's policy applies, and says so", async () => {
    const { lines, notifications } = await review("weakened-policy", { policyFrom: "head" });
    expect(lines).toEqual(["new policy-weakened flowgate.config.yaml:2", "new policy-weakened flowgate.config.yaml:4"]);
    expect(notifications).toContain("policy-from-head");
  });

  it("(d) reports a suppression without justification, which suppresses nothing", async () => {
    const { lines, findings } = await review("unjustified");
    expect(lines).toEqual(["new suppression-unjustified src/audit.ts:10"]);
    const all = await review("unjustified", { newOnly: false });
    expect(all.lines).toEqual(["new suppression-unjustified src/audit.ts:10", "unchanged leak-to-log src/audit.ts:11"]);
    expect(all.findings[1]?.suppression).toBeUndefined();
    expect(findings[0]?.message).toMatch(/gives no justification/);
  });

  it("(e) reports the flow a deleted redact() call kept clean, and the removal itself", async () => {
    const { lines, findings } = await review("redact-removed");
    expect(lines).toEqual(["new leak-to-log src/audit.ts:9", "new sanitizer-removed src/audit.ts:9"]);
    expect(findings[1]?.message).toContain('base line 11: `console.log("contact", redact(user.email));`');
  });

  it("(f) reports a new destination at note level even though no restricted data reaches it", async () => {
    const { lines, findings } = await review("new-destination");
    expect(lines).toEqual(["new new-egress-destination src/status.ts:2"]);
    expect(findings[0]).toMatchObject({ level: "note" });
    expect(findings[0]?.message).toContain("status.vendor.example");
  });

  it("(g) shows each reported finding as a scan of its own side does: line hash, snippet and code frame", async () => {
    const presentation = (f: Finding | undefined) => ({ lineHash: f?.lineHash, snippet: f?.snippet, codeFrame: f?.codeFrame });
    const fixed = await review("fixed");
    expect(fixed.lines).toEqual(["absent leak-to-log src/audit.ts:10"]);
    const moved = await review("moved", { newOnly: false });
    expect(moved.lines).toEqual(["unchanged leak-to-log src/audit.ts:14"]);
    const head = await scan({ root: repo.dir });
    repo.git("checkout", "-q", "main");
    const base = await scan({ root: repo.dir });
    // the absent finding from the base's text (the head's line 10 is other code), the unchanged one from the head's
    expect(presentation(fixed.findings[0])).toEqual(presentation(base.findings[0]));
    expect(fixed.findings[0]?.snippet).toBe("user.phone");
    expect(presentation(moved.findings[0])).toEqual(presentation(head.findings[0]));
    expect(moved.findings[0]?.codeFrame).not.toEqual(base.findings[0]?.codeFrame);
  });

  it("with --include-worktree, reviews uncommitted edits too", async () => {
    repo.git("checkout", "-q", "moved");
    writeFileSync(path.join(repo.dir, "src/extra.ts"), `export function f(user: { phone: string }) {\n  console.error(user.phone);\n}\n`);
    try {
      const withWorktree = await scan({ root: repo.dir, base: "main", includeWorktree: true });
      expect(withWorktree.findings.map((f) => `${f.baselineState} ${f.ruleId} ${f.location.file}:${f.location.startLine}`)).toEqual([
        "new leak-to-log src/extra.ts:2",
      ]);
    } finally {
      repo.git("clean", "-q", "-f", "src");
    }
  });
});
