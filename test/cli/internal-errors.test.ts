import { readFileSync } from "node:fs";
import path from "node:path";
import type { Log } from "sarif";
import { describe, expect, it, vi } from "vitest";
import { ts } from "ts-morph";
import { runMain, tempProject } from "../support/run-cli.js";

// Faults injected into flowgate's own code (never into the scanned code): a call named `explode()` makes the model
// throw, and the engine's model of `JSON.parse` throws in the middle of a function's body.
vi.mock("../../src/model/compile-model.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../src/model/compile-model.js")>();
  return {
    ...original,
    compileModel: (...args: Parameters<typeof original.compileModel>) => {
      const question = original.compileModel(...args);
      return {
        ...question,
        callAt(call: ts.CallExpression | ts.NewExpression) {
          if (ts.isIdentifier(call.expression) && call.expression.text === "explode") throw new TypeError("injected model fault");
          return question.callAt(call);
        },
      };
    },
  };
});

vi.mock("../../src/dataflow/builtins.js", async (importOriginal) => {
  const original = await importOriginal<typeof import("../../src/dataflow/builtins.js")>();
  return {
    ...original,
    builtinFunction: (...args: Parameters<typeof original.builtinFunction>) => {
      if (args[1] === "JSON.parse") throw new RangeError("injected engine fault");
      return original.builtinFunction(...args);
    },
  };
});

const PROJECT = {
  "src/user.ts": "export interface User { email: string; phone: string }\n",
  // two calls hit the same bug: one notification; the leak after them is still found
  "src/model-fault.ts": [
    'import type { User } from "./user.js";',
    "declare function explode(): void;",
    "export function a(u: User) {",
    "  explode();",
    "  explode();",
    "  console.log(u.email);",
    "}",
    "",
  ].join("\n"),
  // the engine fails in the middle of b's body: what b found before stays, c is analysed as usual
  "src/engine-fault.ts": [
    'import type { User } from "./user.js";',
    "export function b(u: User) {",
    "  console.info(u.phone);",
    '  JSON.parse("{}");',
    "}",
    "export function c(u: User) {",
    "  console.warn(u.email);",
    "}",
    "",
  ].join("\n"),
};

function sarifOf(file: string): Log {
  return JSON.parse(readFileSync(file, "utf8")) as Log;
}

describe("an internal error (a bug in flowgate's own code)", () => {
  it("exits 3 after writing the report with everything found and one error notification per cause", async () => {
    const dir = tempProject(PROJECT);
    const out = path.join(dir, "out.sarif");
    const run = await runMain(["scan", dir, "--format", "sarif", "--output", out]);
    expect(run.status).toBe(3);
    expect(run.stderr).toMatch(/^flowgate: 2 internal errors, the first: injected \w+ fault\. The scan is incomplete and cannot pass/m);
    expect(run.stderr.trim().split("\n")).toHaveLength(1); // one prominent line, not one per node

    const sarif = sarifOf(out);
    const invocation = sarif.runs[0]!.invocations![0]!;
    expect(invocation.executionSuccessful).toBe(false);
    const internal = (invocation.toolExecutionNotifications ?? []).filter((n) => n.descriptor?.id === "internal-error");
    expect(internal).toHaveLength(2);
    for (const n of internal) expect(n.level).toBe("error");
    const model = internal.find((n) => n.exception?.message === "injected model fault")!;
    // the place it names links to its location
    expect(model.message.text).toMatch(/in \[src\/model-fault\.ts#a\]\(1\) .*It happened 2 times/);
    expect(model.locations?.[0]?.physicalLocation?.artifactLocation?.uri).toBe("src/model-fault.ts");
    expect(model.exception?.stack).toBeUndefined();
    const engine = internal.find((n) => n.exception?.message === "injected engine fault")!;
    expect(engine.message.text).toMatch(/in \[src\/engine-fault\.ts#b\]\(1\) \(engine\)/);

    // nothing found is lost: the leak after the failing calls, what b found before it failed, and c
    const leaks = sarif.runs[0]!.results!.map((r) => `${r.locations![0]!.physicalLocation!.artifactLocation!.uri}:${r.locations![0]!.physicalLocation!.region!.startLine}`);
    expect(leaks).toEqual(expect.arrayContaining(["src/model-fault.ts:6", "src/engine-fault.ts:3", "src/engine-fault.ts:7"]));
    expect(sarif.runs[0]!.invocations![0]!.toolExecutionNotifications!.some((n) => n.descriptor?.id === "model-error")).toBe(false);
  });

  it("carries the stack trace with --debug, and the text report shows the error", async () => {
    const dir = tempProject(PROJECT);
    const out = path.join(dir, "out.sarif");
    const sarif = await runMain(["scan", dir, "--format", "sarif", "--output", out, "--debug"]);
    expect(sarif.status).toBe(3);
    const internal = sarifOf(out).runs[0]!.invocations![0]!.toolExecutionNotifications!.filter((n) => n.descriptor?.id === "internal-error");
    for (const n of internal) expect(n.exception?.stack?.frames?.length).toBeGreaterThan(0);
    expect(sarif.stderr).toMatch(/\n\s+at /); // and on stderr

    const text = await runMain(["scan", dir]);
    expect(text.status).toBe(3);
    expect(text.stdout).toMatch(/error +src\/model-fault\.ts:4:\d+ +flowgate failed in src\/model-fault\.ts#a/);
  });

  it("is not hidden by --fail-on none or by findings: 3 wins", async () => {
    const dir = tempProject(PROJECT);
    expect((await runMain(["scan", dir, "--fail-on", "none"])).status).toBe(3);
  });
});
