// A hand-made Question and an in-memory workspace, so the engine is unit-tested apart from the model stage.
// Sources: identifiers/properties/keys whose camelCase tokens include phone, email or ip. Sinks: global fetch, console.*,
// axios.* (by import), `send(to, body)` functions from a module named "transport". Sanitizer: `redact(x)`.
import { ts } from "ts-morph";
import { analyze, type AnalysisResult } from "../../src/dataflow/analyze.js";
import { DEFAULT_BUDGETS, type Budgets } from "../../src/dataflow/budgets.js";
import type { CallModel, Question, SourceHit } from "../../src/vocabulary/question.js";
import type { Workspace } from "../../src/workspace/workspace.js";
import { memoryWorkspace as workspaceOf } from "./memory-workspace.js";

const CLASSES: Record<string, string> = { phone: "phone-number", email: "email-address", ip: "ip-address" };

function tokens(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .split(/[^A-Za-z0-9]+/)
    .filter(Boolean)
    .map((t) => t.toLowerCase());
}

function classify(name: string): SourceHit[] {
  const ts_ = tokens(name);
  if (ts_.some((t) => t === "count" || t === "is" || t === "has")) return [];
  const out: SourceHit[] = [];
  for (const t of ts_) {
    const c = CLASSES[t];
    if (c && !out.some((h) => h.dataClass === c)) out.push({ dataClass: c, reason: `named like ${c}` });
  }
  return out;
}

function nameOf(node: ts.Node): string | undefined {
  if (ts.isPropertyAccessExpression(node)) return node.name.text;
  if (ts.isElementAccessExpression(node) && ts.isStringLiteralLike(node.argumentExpression)) return node.argumentExpression.text;
  if (ts.isBindingElement(node)) {
    const n = node.propertyName ?? node.name;
    return ts.isIdentifier(n) ? n.text : undefined;
  }
  if (
    (ts.isParameter(node) || ts.isVariableDeclaration(node) || ts.isPropertyAssignment(node)) &&
    ts.isIdentifier(node.name)
  ) {
    return node.name.text;
  }
  return undefined;
}

function importedFrom(id: ts.Identifier, checker: ts.TypeChecker): string | undefined {
  const sym = checker.getSymbolAtLocation(id);
  const d = sym?.declarations?.[0];
  if (!d) return undefined;
  let n: ts.Node | undefined = d;
  while (n && !ts.isImportDeclaration(n)) n = n.parent;
  if (n && ts.isImportDeclaration(n) && ts.isStringLiteral(n.moduleSpecifier)) return n.moduleSpecifier.text;
  return undefined;
}

export function testQuestion(workspace: Workspace, vettedHosts: string[] = ["vault.enclave.internal"]): Question {
  const checker = () => workspace.checker();
  return {
    sourcesAt(node) {
      const n = nameOf(node);
      return n ? classify(n) : [];
    },
    callAt(call): CallModel {
      const e = call.expression;
      // console.* by name (the harness keeps the checker out of the deep-input tests)
      if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression) && e.expression.text === "console") {
        return { kind: "sink", sink: { id: "console", kind: "log", label: `console.${e.name.text}`, callee: `global#console.${e.name.text}`, arguments: "all" } };
      }
      const c = checker();
      if (ts.isIdentifier(e)) {
        const sym = c.getSymbolAtLocation(e);
        const decl = sym?.declarations?.[0];
        if (e.text === "fetch" && !decl?.getSourceFile().fileName.startsWith("/src")) {
          return { kind: "sink", sink: { id: "fetch", kind: "network", label: "fetch", callee: "global#fetch", arguments: "all", destination: { argument: 0 } } };
        }
        if (e.text === "redact") return { kind: "sanitizer", label: "redact" };
        const from = importedFrom(e, c);
        if (from === "transport") {
          return { kind: "sink", sink: { id: "send", kind: "queue", label: "send", callee: "transport#send", arguments: [1], destination: { argument: 0 } } };
        }
      }
      if (ts.isPropertyAccessExpression(e) && ts.isIdentifier(e.expression)) {
        if (importedFrom(e.expression, c) === "axios") {
          return { kind: "sink", sink: { id: "axios", kind: "network", label: `axios.${e.name.text}`, callee: `axios#default.${e.name.text}`, arguments: [1], destination: { argument: 0 } } };
        }
      }
      // project functions and methods through the checker
      let sym = c.getSymbolAtLocation(ts.isPropertyAccessExpression(e) ? e.name : e);
      if (sym && sym.flags & ts.SymbolFlags.Alias) sym = c.getAliasedSymbol(sym);
      const d = sym?.valueDeclaration ?? sym?.declarations?.[0];
      if (d && d.getSourceFile().fileName.startsWith("/src")) {
        if (ts.isFunctionDeclaration(d) || ts.isMethodDeclaration(d) || ts.isConstructorDeclaration(d)) return { kind: "project", declaration: d };
        if (ts.isVariableDeclaration(d) && d.initializer && (ts.isArrowFunction(d.initializer) || ts.isFunctionExpression(d.initializer))) {
          return { kind: "project", declaration: d.initializer };
        }
        if (ts.isClassDeclaration(d) && ts.isNewExpression(call)) {
          const ctor = d.members.find(ts.isConstructorDeclaration);
          return { kind: "project", declaration: ctor ?? (d as unknown as ts.SignatureDeclaration) };
        }
      }
      return { kind: "unknown", label: e.getText() };
    },
    isVettedDeclaration(decl) {
      return (ts.isFunctionDeclaration(decl) || ts.isMethodDeclaration(decl)) && !!decl.name && decl.name.getText().startsWith("vetted");
    },
    isVettedHost(host) {
      return vettedHosts.includes(host);
    },
  };
}

/** An in-memory workspace over `files` (paths relative to /src's parent, e.g. "src/a.ts"); `parsed` false: parsed when read. */
export function memoryWorkspace(files: Record<string, string>, parsed = true): Workspace {
  return workspaceOf("/", {
    ...files,
    "node_modules/axios/index.d.ts": "declare const axios: any; export default axios;",
    "node_modules/transport/index.d.ts": "export declare function send(to: string, body: unknown): void;",
  }, { strict: true }, parsed);
}

export function analyzeFiles(files: Record<string, string>, budgets: Partial<Budgets> = {}): AnalysisResult {
  const ws = memoryWorkspace(files);
  return analyze(ws, testQuestion(ws), { ...DEFAULT_BUDGETS, ...budgets });
}

/** How many times each function was analysed, by its name without the file (variants left out). */
export function runsOf(result: AnalysisResult): Record<string, number> {
  const out: Record<string, number> = {};
  for (const r of result.state.records.values()) if (r.knowledge === undefined && r.receiver === undefined) out[r.name.replace(/^.*#/, "")] = r.runs;
  return out;
}

/** Flows as compact strings: `line:dataClass:sinkLabel` (sink argument line), sorted. */
export function flowLines(result: AnalysisResult, file?: string): string[] {
  return result.flows
    .filter((f) => !file || f.sink.location.file === file)
    .map((f) => `${f.sink.location.startLine}:${f.dataClass}:${f.sink.label}`)
    .sort();
}
