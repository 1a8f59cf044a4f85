import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { ts } from "ts-morph";
import { describe, expect, it } from "vitest";
import { loadPolicy } from "../../src/config/load-policy.js";
import type { Policy } from "../../src/config/policy.js";
import { knownModels } from "../../src/config/packs.js";
import type { Question } from "../../src/vocabulary/question.js";
import { compileModel } from "../../src/model/compile-model.js";
import { memoryWorkspace } from "../support/memory-workspace.js";
import { FIXTURES_DIR } from "../support/paths.js";

/*
 * The catalogue's own check, independent of the engine: every library model has a fixture case written in that
 * library's idiom, and on every line a fixture annotates as a leak, the model recognises a sink of that kind whose
 * leaving argument starts there. (test/fixtures.test.ts checks the same annotations end to end through the engine.)
 */
const CATALOGUE = path.join(FIXTURES_DIR, "catalogue");
const ANNOTATION = /\/\/ @flowgate (.*)$/;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return /\.(ts|tsx|js|jsx|mts|cts|mjs|cjs)$/.test(name) ? [full] : [];
  });
}

interface Annotated {
  file: string;
  line: number;
  kinds: string[];
}

function annotations(caseDir: string): { leaks: Annotated[]; clean: number } {
  const leaks: Annotated[] = [];
  let clean = 0;
  for (const file of sourceFiles(caseDir)) {
    readFileSync(file, "utf8")
      .split("\n")
      .forEach((text, index) => {
        const body = ANNOTATION.exec(text)?.[1]?.trim();
        if (body === undefined) return;
        if (body === "clean") clean++;
        else if (body.startsWith("leak-to-")) {
          const kinds = body.split(",").map((part) => part.trim().split(/\s+/)[0]!.slice("leak-to-".length));
          leaks.push({ file: path.relative(caseDir, file).split(path.sep).join("/"), line: index + 1, kinds });
        }
      });
  }
  return { leaks, clean };
}

describe("the library catalogue", () => {
  it("has a fixture case with a leak and a clean line for every model in rules/models", () => {
    const missing: string[] = [];
    for (const model of knownModels()) {
      const dir = path.join(CATALOGUE, model);
      if (!existsSync(path.join(dir, "flowgate.config.yaml"))) {
        missing.push(`${model}: no fixtures/catalogue/${model}/flowgate.config.yaml`);
        continue;
      }
      const { leaks, clean } = annotations(dir);
      if (leaks.length === 0) missing.push(`${model}: no leak annotation`);
      if (clean === 0) missing.push(`${model}: no clean annotation`);
    }
    expect(missing).toEqual([]);
  });

  it("recognises a sink of the annotated kind on every annotated leak line", () => {
    const unmatched: string[] = [];
    const policies = new Map<string, Policy>(); // loading a policy compiles its schemas: once per distinct file
    for (const name of readdirSync(CATALOGUE).sort()) {
      const root = path.join(CATALOGUE, name);
      const { leaks } = annotations(root);
      if (leaks.length === 0) continue;
      const text = readFileSync(path.join(root, "flowgate.config.yaml"), "utf8");
      let policy = policies.get(text);
      if (policy === undefined) {
        policy = loadPolicy({ root });
        policies.set(text, policy);
      }
      const files = Object.fromEntries(
        sourceFiles(root).map((file) => [path.relative(root, file).split(path.sep).join("/"), readFileSync(file, "utf8")]),
      );
      const workspace = memoryWorkspace(root, files, { experimentalDecorators: true });
      const question = compileModel(policy, workspace);
      for (const leak of leaks) {
        const file = workspace.files.find((f) => f.path === leak.file);
        const kinds = file ? sinkKindsStartingOn(file.sourceFile, leak.line, question.callAt) : new Set<string>();
        for (const kind of leak.kinds) if (!kinds.has(kind)) unmatched.push(`${name}/${leak.file}:${leak.line} ${kind}`);
      }
    }
    expect(unmatched).toEqual([]);
  });
});

/** The kinds of the modelled sinks whose leaving arguments start on `line` (1-based) of the file. */
function sinkKindsStartingOn(
  sourceFile: ts.SourceFile,
  line: number,
  callAt: Question["callAt"],
): Set<string> {
  const kinds = new Set<string>();
  const pending: ts.Node[] = [sourceFile];
  while (pending.length > 0) {
    const node = pending.pop()!;
    ts.forEachChild(node, (child) => {
      pending.push(child);
    });
    if (!ts.isCallExpression(node) && !ts.isNewExpression(node)) continue;
    const model = callAt(node);
    if (model.kind !== "sink") continue;
    const args = node.arguments ?? [];
    const leaving = model.sink.arguments === "all" ? args.map((_, i) => i) : model.sink.arguments;
    for (const index of leaving) {
      const arg = args[index];
      if (arg && sourceFile.getLineAndCharacterOfPosition(arg.getStart(sourceFile)).line + 1 === line) kinds.add(model.sink.kind);
    }
  }
  return kinds;
}
