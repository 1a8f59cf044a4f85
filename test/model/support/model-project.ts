import { ts } from "ts-morph";
import { loadModel } from "../../../src/config/packs.js";
import { compileSchemas, type SchemaValidators } from "../../../src/config/schema-validation.js";
import type { DataClassSpec, LibraryModel, Policy, ValidatorRow } from "../../../src/config/policy.js";
import type { Question } from "../../../src/vocabulary/question.js";
import { compileModel } from "../../../src/model/compile-model.js";
import { lazy } from "../../../src/lazy.js";
import type { Workspace } from "../../../src/workspace/workspace.js";
import { memoryWorkspace } from "../../support/memory-workspace.js";

/** Reads rules/models/<name>.yaml through the config stage's own loader (validated, lists present). */
export function readModel(name: string): LibraryModel {
  return loadModel(name, schemas()).model;
}

let compiledSchemas: SchemaValidators | undefined;
function schemas(): SchemaValidators {
  compiledSchemas ??= compileSchemas();
  return compiledSchemas;
}

export interface ModelProjectOptions {
  models: string[];
  vettedCalls?: string[];
  vettedHosts?: string[];
  sanitizers?: string[];
  dataClasses?: DataClassSpec[];
  extraModels?: LibraryModel[];
  localPackages?: string[];
  classTags?: string[];
  validators?: ValidatorRow[];
  compilerOptions?: ts.CompilerOptions;
  /** Wraps the workspace's checker (a test counting the model's questions). */
  wrapChecker?: (checker: ts.TypeChecker) => ts.TypeChecker;
}

/** An in-memory workspace (no node_modules, like a bare checkout, unless a test gives declaration files) with the Question compiled over it. */
export class ModelProject {
  readonly workspace: Workspace;
  readonly question: Question;

  /** `files` by absolute path (`/src/a.ts`): the workspace is rooted at `/`. */
  constructor(files: Record<string, string>, options: ModelProjectOptions) {
    const relative = Object.fromEntries(Object.entries(files).map(([name, text]) => [name.replace(/^\//, ""), text]));
    const workspace = memoryWorkspace("/", relative, { experimentalDecorators: true, ...options.compilerOptions });
    const wrap = options.wrapChecker;
    this.workspace = wrap === undefined ? workspace : { ...workspace, checker: lazy(() => wrap(workspace.checker())) };
    const policy: Policy = {
      files: [],
      dataClasses: options.dataClasses ?? [],
      models: [...options.models.map(readModel), ...(options.extraModels ?? [])],
      sanitizers: options.sanitizers ?? [],
      vetted: { hosts: (options.vettedHosts ?? []).map((host) => ({ host })), calls: (options.vettedCalls ?? []).map((call) => ({ call })) },
      packages: { local: options.localPackages ?? [] },
      classTags: options.classTags ?? [],
      validators: options.validators ?? [],
      include: [],
      exclude: [],
      origins: new Map(),
    };
    this.question = compileModel(policy, this.workspace);
  }

  /** The first call or `new` in `file` whose callee is spelled `callee` (after `occurrence` earlier ones). */
  call(file: string, callee: string, occurrence = 0): ts.CallExpression | ts.NewExpression {
    let seen = 0;
    const found = this.find(file, (node) => {
      if ((ts.isCallExpression(node) || ts.isNewExpression(node)) && node.expression.getText() === callee) return seen++ === occurrence;
      return false;
    });
    return found as ts.CallExpression | ts.NewExpression;
  }

  /** The first node in `file` of one of the read kinds whose text is exactly `text`. */
  read(file: string, text: string, occurrence = 0): ts.Node {
    let seen = 0;
    return this.find(file, (node) => {
      const isRead =
        ts.isIdentifier(node) || ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node) ||
        ts.isParameter(node) || ts.isBindingElement(node);
      return isRead && node.getText() === text && seen++ === occurrence;
    });
  }

  /** callAt, as a short string: `sink network axios.post`, `project src/a.ts#f`, `unknown x`, `unmodelled pkg pkg.f`. */
  describeCall(file: string, callee: string, occurrence = 0): string {
    const model = this.question.callAt(this.call(file, callee, occurrence));
    switch (model.kind) {
      case "sink":
        return `sink ${model.sink.kind} ${model.sink.callee}`;
      case "project":
        return `project ${model.declaration.getSourceFile().fileName}:${model.declaration.getStart()}`;
      case "source":
        return `source ${model.hits.map((h) => h.dataClass).join(" ")}`;
      case "validated":
        return `validated ${model.hits.map((h) => `${h.dataClass}@${(h.path ?? []).join(".")}`).join(" ")}`;
      case "unmodelled":
        return `unmodelled ${model.sink.package ?? "?"} ${model.sink.label}`;
      case "query":
        return `query ${model.label}${model.echoes !== undefined ? ` echoes ${model.echoes}` : ""}`;
      case "builder":
        return `builder ${model.label} ${model.carries.join(",")}`;
      case "propagate":
      case "router":
      case "sanitizer":
      case "synthetic":
      case "vetted":
      case "unknown":
        return `${model.kind} ${model.label}`;
    }
  }

  sources(file: string, text: string, occurrence = 0): string[] {
    return this.question.sourcesAt(this.read(file, text, occurrence)).map((h) => `${h.dataClass}: ${h.reason}`);
  }

  /** The parsed file at an absolute path (`/src/a.ts`). */
  sourceFile(file: string): ts.SourceFile {
    const found = this.workspace.loaded.find((f) => f.fileName === file)?.sourceFile;
    if (!found) throw new Error(`no file ${file}`);
    return found;
  }

  private find(file: string, predicate: (node: ts.Node) => boolean): ts.Node {
    const sourceFile = this.sourceFile(file);
    const pending: ts.Node[] = [sourceFile];
    while (pending.length > 0) {
      const node = pending.pop()!;
      if (predicate(node)) return node;
      const children: ts.Node[] = [];
      ts.forEachChild(node, (child) => {
        children.push(child);
      });
      pending.push(...children.reverse()); // pre-order, in source order
    }
    throw new Error(`no matching node in ${file}`);
  }
}
