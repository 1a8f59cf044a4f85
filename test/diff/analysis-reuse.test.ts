import { writeFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scan } from "../../src/scan.js";
import type { ScanResult } from "../../src/result.js";
import { createRepo, type TestRepo } from "./support/git-repo.js";
import { BASE, BRANCHES } from "./support/update-repo.js";

// Update review analyses the head in full and takes the head's analysis of every file the update cannot reach over
// into the base's (src/dataflow/reuse.ts). The yardstick: the same review with the base analysed from scratch
// (`reuseAnalysis: false`). One repository, one branch per way an update reaches code it did not touch — through a
// call, an imported constant, a declared type, a constructor-injected class, an added and a deleted file, an
// implementation of an interface deleted or added and a subclass of one (class-hierarchy dispatch), a file made global
// (a global script, `declare global`) or read without an import (a Nitro server utility), compiler settings — and each
// review must come out identical, finding for finding, with and without reuse.

let repo: TestRepo;

beforeAll(() => {
  repo = createRepo(BASE);
  for (const [name, files] of Object.entries(BRANCHES)) repo.branch(name, files);
});

afterAll(() => repo.remove());

/** The review as data that must not depend on reuse: every finding with its state, rule, place and fingerprint. */
function summary(result: ScanResult): string[] {
  return result.findings.map((f) => `${f.baselineState} ${f.ruleId} ${f.location.file}:${f.location.startLine} ${[...new Set((f.flows ?? []).map((flow) => flow.dataClass))].sort().join(",")} ${f.fingerprint}`);
}

async function review(name: string, reuseAnalysis: boolean, newOnly: boolean): Promise<ScanResult> {
  repo.git("checkout", "-q", name);
  return scan({ root: repo.dir, base: "main", reuseAnalysis, newOnly });
}

function reuseNote(result: ScanResult): string {
  return result.notifications.find((n) => n.id === "update-reuse")?.message ?? "";
}

describe("update review takes the head's analysis over into the base's", () => {
  it.each([
    ["callee", ["new leak-to-log src/users/user.service.ts:8 phone-number", "new sanitizer-removed src/users/user.service.ts:8"]],
    ["constant", ["new leak-to-network src/shared/client.ts:2 email-address"]],
    ["type-only", ["new leak-to-log src/users/notes.ts:4 phone-number"]],
    ["implementation-deleted", ["absent leak-to-log src/notify/sms.ts:5 phone-number"]],
    ["implementation-added", ["new leak-to-log src/notify/email.ts:5 phone-number"]],
    ["added-deleted", ["new leak-to-log src/users/export.ts:5 email-address", "absent leak-to-log src/legacy/old.ts:2 phone-number"]],
    // the caller's file and the interface's untouched; the class implementing it too, now extended by a changed file's
    ["subclass", ["new leak-to-log src/notify/loud.ts:5 phone-number"]],
  ])("%s: the same findings as a base analysed from scratch, with most functions taken over", async (name, expected) => {
    const reused = await review(name, true, true);
    const scratch = await review(name, false, true);
    expect(summary(reused)).toEqual(summary(scratch));
    expect(summary(reused).map((l) => l.split(" ").slice(0, 4).join(" ").trim())).toEqual(expect.arrayContaining(expected));
    expect(reuseNote(reused)).toMatch(/the head's analysis of [1-9]\d* functions? elsewhere was taken over/);
    expect(reuseNote(scratch)).toMatch(/analysed in full: reuse was switched off/);
    // every finding with its state (unchanged, updated, absent) too, not only the new ones
    expect(summary(await review(name, true, false))).toEqual(summary(await review(name, false, false)));
  });

  it("reads the base from the commit, not the head's files, when the working tree has edits outside the diff", async () => {
    repo.git("checkout", "-q", "constant");
    const file = path.join(repo.dir, "src/legacy/old.ts");
    writeFileSync(file, BASE["src/legacy/old.ts"]!.replace(`user.phone`, `user.phone, "again", user.phone`));
    try {
      const reused = await scan({ root: repo.dir, base: "main", newOnly: false });
      const scratch = await scan({ root: repo.dir, base: "main", newOnly: false, reuseAnalysis: false });
      expect(summary(reused)).toEqual(summary(scratch));
      expect(reused.notifications.map((n) => n.id)).toContain("uncommitted-changes");
    } finally {
      repo.git("checkout", "--", ".");
    }
  });

  it.each([
    ["global-script", "src/orders/printer.ts is a global script (its declarations are visible without an import)", "new leak-to-log src/orders/printer.ts:2"],
    ["declare-global", "src/orders/printer.ts declares ambient modules or globals (visible without an import)", "new leak-to-log src/orders/receipt.ts:3"],
    [
      "auto-import",
      "src/web/server/utils/audit.ts is auto-imported by Nitro into the server's files, or decides which files are (visible without an import)",
      "new leak-to-log src/web/server/api/visit.post.ts:3",
    ],
  ])("analyses the base in full when a changed file becomes visible without an import (%s), and says why", async (name, why, finding) => {
    const result = await review(name, true, true);
    expect(reuseNote(result)).toBe(`The base revision was analysed in full: ${why}.`);
    expect(summary(result)).toEqual(summary(await review(name, false, true)));
    // an untouched file's code found the changed file's declaration without importing it
    expect(summary(result).map((l) => l.split(" ").slice(0, 3).join(" "))).toContain(finding);
    expect(summary(await review(name, true, false))).toEqual(summary(await review(name, false, false)));
  });

  it("analyses the base in full when compiler settings change, and says why", async () => {
    const result = await review("settings", true, true);
    expect(reuseNote(result)).toBe("The base revision was analysed in full: tsconfig.json changed (compiler and path settings reach every file).");
    expect(summary(result)).toEqual(summary(await review("settings", false, true)));
    expect(summary(result).map((l) => l.split(" ").slice(0, 3).join(" "))).toContain("new leak-to-log src/legacy/old.ts:6");
  });
});
