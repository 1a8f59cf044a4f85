import { ts } from "ts-morph";
import { skipOuterExpressions, symbolThroughImports } from "../workspace/symbols.js";
import { isArrowFunction, isBindingElement, isClassDeclaration, isClassExpression, isConstructorDeclaration, isEnumDeclaration, isExportAssignment, isFunctionDeclaration, isFunctionExpression, isGetAccessorDeclaration, isIdentifier, isImportDeclaration, isImportEqualsDeclaration, isMethodDeclaration, isNamedImports, isNamespaceImport, isOmittedExpression, isPrivateIdentifier, isPropertyAssignment, isPropertyDeclaration, isSetAccessorDeclaration, isSourceFile, isStringLiteral, isVariableDeclaration, isVariableStatement } from "../compiler-direct.js";
import { Kind } from "../compiler-direct.js";
import type { Notification } from "../result.js";
import { locationOf, type SourceLocation } from "../location.js";
import type { Destination } from "../vocabulary/flow.js";
import type { Budgets } from "./budgets.js";
import type { Workspace } from "../workspace/workspace.js";
import type { CallModel, Question, RestrictedDoor, SinkHit } from "../vocabulary/question.js";
import type { FileRef } from "./trace.js";
import { declaredTypeKey } from "./declared-type.js";
import { EMPTY, joinAll, joinValues, truncate, truncateLoses, valueLeq, type Value } from "./value.js";
import { EMPTY_SUMMARY, type FlowRecord, type Summary } from "./summary.js";
import type { InternalErrors, InternalErrorSite } from "../internal-errors.js";
import type { EarlierRecords } from "./reuse.js";
import { guardedParameters, knowledgeAt, knowledgeKey, MAX_VARIANTS, type ParameterKnowledge } from "./absent-arguments.js";
import { HeapGuard } from "./heap-guard.js";
import { nodeOf, RecordTable } from "./record-table.js";
import { EngineFiles } from "./engine-files.js";
import { PropertyNames } from "./property-names.js";
import { Reads } from "./reads.js";
import { LazyMap } from "./lazy-map.js";
import { Worklist } from "./worklist.js";

/** A function-like body the engine analyses: a function, method, accessor, constructor, or a file's top level. */
export interface FunctionRecord {
  /**
   * The function's node. A record taken over from a cache entry has none until the engine asks for its function, or it
   * is analysed again (record-table.ts): code that reads records it did not get from `recordFor` reads `nodeOf`.
   */
  readonly node: ts.Node;
  readonly file: FileRef;
  /** `src/notify.ts#Notifier.send`; `src/app.ts#<module>` for top-level code. */
  readonly name: string;
  readonly vetted: boolean;
  /** The door vetted for some data classes only that this body belongs to (egress inside it is vetted for those). */
  readonly door: RestrictedDoor | undefined;
  summary: Summary | undefined;
  status: "new" | "running" | "done";
  runs: number;
  /** Functions whose analysis used this one's summary: re-analysed when it changes. */
  readonly dependents: Set<FunctionRecord>;
  /**
   * Functions whose analysis used a variant of this one's summary (`knowledge`, `receiver`). Shared by the record and
   * its variants (a variant is a copy): variants are not kept from one analysis to the next, so a later analysis that
   * redoes this function analyses these callers again (reuse.ts).
   */
  readonly variantUsers: Set<FunctionRecord>;
  /**
   * The key of this function's summary in the earlier analysis this one took over from (reuse.ts, the analysis cache),
   * while it is being analysed again: when the new summary has the same key, the callers taken over stand.
   */
  earlierKey?: string;
  /** Results of the latest analysis. */
  flows: FlowRecord[];
  /** The sink calls in its body, by {@link spanKey} in its file. */
  egress: Map<string, EgressSeen>;
  /** The calls in its body nothing models or resolves (only counted), by {@link spanKey} in its file. */
  unresolved: Set<string>;
  /**
   * What its analyses reported (budgets, dynamic code): kept with the record, so a record taken over from an earlier
   * analysis (reuse.ts, the persistent cache) reports them as a fresh analysis would.
   */
  notes: EngineNote[];
  /**
   * A variant of a function's analysis for call sites that leave some tested parameters falsy (absent-arguments.ts):
   * what they say. A variant only gives a summary; its flows are the general record's.
   */
  readonly knowledge?: ParameterKnowledge;
  /**
   * A variant of a base-class method's analysis for a receiver known to be this subclass (or below): its `this.m()`
   * calls run only the bodies such an instance can run (receiver-dispatch.ts). Like a knowledge variant it only gives a
   * summary; its flows are the general record's (which follows every body, so finds at least the same).
   */
  readonly receiver?: ts.ClassLikeDeclaration;
}

/**
 * A sink call a body makes, without its syntax node: what the report shows of it (analyze.ts's egress points), so a
 * record taken over from a cache entry gives its egress points without the call being found again in a parse of its
 * file (docs/update-review.md). `classes`: those reaching it from this body (its callers' come from their flows).
 */
export interface EgressSeen {
  readonly location: SourceLocation;
  /**
   * The sink's hit as the report reads it (analyze.ts buildEgress). The object is the hit itself, whose destination
   * spec may name expressions (an instance's base URL): a record taken over decodes them located (state-codec.ts), so
   * nothing reads them from here.
   */
  readonly hit: Pick<SinkHit, "kind" | "label" | "callee" | "package">;
  readonly destination: Destination;
  readonly classes: Set<string>;
}

/**
 * A node's span as a key within its file (`pos:end`): what a record keeps of its sink and unresolved calls. Two calls
 * of one file never share a span (a call's callee and arguments are shorter than the call).
 */
export function spanKey(node: { readonly pos: number; readonly end: number }): string {
  return `${node.pos}:${node.end}`;
}

/** A notification raised while analysing one record; `budget` counts it as a budget hit. */
export interface EngineNote {
  readonly notification: Notification;
  readonly budget: boolean;
}

/** Everything one analysis run shares. Created per `analyze` call: no module-level state. */
export class EngineContext {
  readonly records = new RecordTable();
  readonly files = new EngineFiles();
  readonly filesByPath = new Map<string, FileRef>();
  /** Flow-insensitive stores: module bindings (`m:`), class instance fields (`k:`), CommonJS exports (`x:`). */
  readonly store = new LazyMap<string, Value>();
  readonly storeReaders = new Map<string, Set<FunctionRecord>>();
  /**
   * Who wrote each store key (whether or not the value grew), with its part: the join of what it wrote there. A later
   * analysis that redoes one writer rebuilds the store from the other writers' parts and what the redone one writes
   * again (reuse.ts), instead of redoing every writer.
   */
  readonly storeWriters = new Map<string, Map<FunctionRecord, Value>>();
  /**
   * By store key, then reader: the bodies whose writes every read of the store by the reader left out
   * (`readStoreWithout`), or null once it read the store whole: a write by one of those bodies changes nothing the
   * reader saw, and does not queue it (a constructor's own write of its fields, growthbook's `initModels`').
   */
  private readonly readsWithout = new Map<string, Map<FunctionRecord, ReadonlySet<ts.Node> | null>>();
  readonly worklist = new Worklist();
  /** What each record read of its callees' summaries and of the stores, part by part (reads.ts): the worklist's filter. */
  readonly reads = new Reads();
  /** The records an earlier analysis had for the functions this one analyses again (reuse.ts): their callers wait on them. */
  earlier: EarlierRecords | undefined;
  /** Parameters each function tests in a condition, and the variants of its summary by what call sites say of them. */
  private readonly guarded = new Map<ts.Node, ReadonlySet<number>>();
  private readonly sourced = new Map<ts.Node, ReadonlySet<number>>();
  private readonly variants = new Map<FunctionRecord, Map<string, FunctionRecord>>();
  /** Receiver variants of base-class methods, by subclass (receiver-dispatch.ts). */
  private readonly receiverVariants = new Map<FunctionRecord, Map<ts.ClassLikeDeclaration, FunctionRecord>>();
  /**
   * General records of abstract classes' methods made of their receiver variants (joined-variants.ts), or null for a
   * record analysed as a body of its own; once per record.
   */
  readonly joined = new Map<FunctionRecord, readonly FunctionRecord[] | null>();
  /** Whether a method's result may differ by its receiver's class (receiver-dispatch.ts), once per method. */
  readonly dispatching = new Map<ts.Node, boolean>();
  /** Each project class's base class (or null), asked of the checker once per class. */
  readonly bases = new Map<ts.ClassLikeDeclaration, ts.ClassLikeDeclaration | null>();
  /** Names of set accessors in the project: a cheap filter before asking the checker what `o.name = v` calls. */
  readonly setterNames = new Set<string>();
  /** Names the scanned files declare as properties: a cheap filter before asking the checker whether a called member is one. */
  readonly propertyNames = new PropertyNames();
  private readonly typeKeys = new Map<ts.ParameterDeclaration, string | undefined>();
  /** Notes raised outside any record's analysis (none today: every notify runs inside one). */
  readonly looseNotes: EngineNote[] = [];
  /** Records whose summary this analysis made (not one taken over from an earlier analysis): a re-run joins it (interpret.ts). */
  readonly summarisedHere = new WeakSet<FunctionRecord>();
  /** The records being analysed, outermost first (a callee's first analysis runs inside its caller's). */
  readonly running: FunctionRecord[] = [];
  summariesReused = 0;
  /** Records taken over from an earlier analysis (reuse.ts). */
  recordsReused = 0;
  functionsAnalysed = 0;
  /** Reviewer-facing callee names by declaration (`post`, `new Notifier`): asked at every call of a project function. */
  readonly calleeNames = new Map<ts.Node, string>();
  /**
   * Whether an expression's type prints as "[object Object]" (printed.ts), per expression: asked for every tainted
   * template span or `+` operand at every run of its body (loop rounds, worklist re-runs, each inlining of a closure),
   * and the checker's answer for a node never changes.
   */
  readonly printsPlain = new Map<ts.Expression, boolean>();
  /** A class's own get accessors by name (the first of a name), built on the first `this.x` read in the class. */
  readonly getters = new Map<ts.ClassLikeDeclaration, ReadonlyMap<string, ts.GetAccessorDeclaration>>();
  /** Nesting of the interpreter's own recursion across nested analyses (expressions, statements, callees). */
  depth = 0;
  private readonly moduleScopes = new Map<ts.SourceFile, Map<string, Binding>>();
  private readonly imports = new Map<ts.Identifier, Binding | undefined>();

  /** The model, guarded: a failure of its code is an internal error and the engine goes on with a cautious answer. */
  readonly question: Question;
  /** The function being analysed (innermost, while a callee's first analysis runs inside its caller's). */
  current: FunctionRecord | undefined;
  /** Stops the analysis before the heap limit would end the process (heap-guard.ts). */
  readonly heap: HeapGuard;
  /** Analyses asked for after the heap guard stopped the analysis. */
  notAnalysed = 0;

  constructor(
    question: Question,
    readonly budgets: Budgets,
    private readonly workspace: Workspace,
    /** Failures of flowgate's own code (model, engine, destinations): one notification per cause, exit 3. */
    readonly internal: InternalErrors,
  ) {
    this.question = guardedQuestion(question, (error, node) => this.internalError(error, "model", node));
    this.heap = new HeapGuard(budgets.heapShare);
  }

  /** Records a failure of our own code at `node`, while analysing the current function; the analysis goes on. */
  internalError(error: unknown, stage: InternalErrorSite["stage"], node: ts.Node): void {
    const file = this.fileOf(node);
    this.internal.record(error, {
      stage,
      ...(this.current ? { function: this.current.name } : {}),
      ...(file ? { location: locationOf(node, file.sourceFile, file.path) } : {}),
    });
  }

  /** The type checker, created on first need only: syntax settles most questions. */
  get checker(): ts.TypeChecker {
    return this.workspace.checker(); // created once (workspace/program.ts), failure included
  }

  fileOf(node: ts.Node): FileRef | undefined {
    return this.files.get(node.getSourceFile());
  }

  notify(id: string, level: Notification["level"], message: string, node?: ts.Node, budget = false): void {
    const file = node ? this.fileOf(node) : undefined;
    const location = node && file ? locationOf(node, file.sourceFile, file.path) : undefined;
    const notification: Notification = location ? { id, level, message, location } : { id, level, message };
    const notes = this.current?.notes ?? this.looseNotes;
    const key = noteKey(notification);
    if (notes.some((n) => noteKey(n.notification) === key)) return;
    notes.push({ notification, budget });
  }

  /** Every record's notes and the loose ones, each once (the same cause in two records is one notification). */
  notifications(): { notifications: Notification[]; budgetHits: number } {
    const seen = new Set<string>();
    const notifications: Notification[] = [];
    let budgetHits = 0;
    const add = (notes: readonly EngineNote[]) => {
      for (const n of notes) {
        const key = noteKey(n.notification);
        if (seen.has(key)) continue;
        seen.add(key);
        notifications.push(n.notification);
        if (n.budget) budgetHits++;
      }
    };
    for (const r of this.records.values()) add(r.notes);
    add(this.looseNotes);
    return { notifications, budgetHits };
  }

  /** The parameter's declared type, named the same wherever it is written (declared-type.ts); once per parameter. */
  declaredTypeKey(param: ts.ParameterDeclaration): string | undefined {
    if (this.typeKeys.has(param)) return this.typeKeys.get(param);
    const file = this.fileOf(param);
    const key = file ? declaredTypeKey(param, file) : undefined;
    this.typeKeys.set(param, key);
    return key;
  }

  /** `reader` read store `key` with every writer's part: each write may change what it saw. */
  private readWhole(key: string, reader: FunctionRecord): void {
    const byReader = this.readsWithout.get(key);
    if (byReader?.get(reader)) byReader.set(reader, null);
  }

  /** A store's value, read by `reader`: only field `field` of it (a `this.f` read), or all of it. */
  readStore(key: string, reader: FunctionRecord, field?: string): Value {
    this.readWhole(key, reader);
    return this.readStoreAt(key, reader, field);
  }

  private readStoreAt(key: string, reader: FunctionRecord, field?: string): Value {
    let readers = this.storeReaders.get(key);
    if (!readers) this.storeReaders.set(key, (readers = new Set()));
    readers.add(reader);
    const value = this.store.get(key) ?? EMPTY;
    this.reads.storeRead(key, reader, value, field);
    return value;
  }

  /**
   * A store's value, read by `reader`, which says later at which paths it used it (`Reads.readPending`): `this` as the
   * receiver of a `this.m()` call (calls.ts `receiverRead`).
   */
  readStorePending(key: string, reader: FunctionRecord): Value {
    this.readWhole(key, reader);
    let readers = this.storeReaders.get(key);
    if (!readers) this.storeReaders.set(key, (readers = new Set()));
    readers.add(reader);
    const value = this.store.get(key) ?? EMPTY;
    this.reads.readPending(key, reader, value);
    return value;
  }

  /**
   * The store as the other functions wrote it: what the writers analysing the bodies `without` (their runs, their
   * receiver and knowledge variants) put there left out: the bodies that build a fresh instance — a constructor's own,
   * and the private methods only it calls (construction-methods.ts) — read their class's fields so (`readThisField`,
   * interpret/core.ts).
   */
  readStoreWithout(key: string, reader: FunctionRecord, without: ReadonlySet<ts.Node>, field?: string): Value {
    let byReader = this.readsWithout.get(key);
    if (!byReader) this.readsWithout.set(key, (byReader = new Map()));
    // a reader that read the store before read it whole (no entry yet), or left out these bodies
    if (!byReader.has(reader)) byReader.set(reader, this.storeReaders.get(key)?.has(reader) ? null : without);
    const all = this.readStoreAt(key, reader, field);
    const writers = this.storeWriters.get(key);
    if (writers === undefined) return all;
    // the other writers' parts are built only when they are wanted (a part taken over from an entry waits: lazy-map.ts)
    if (![...writers.keys()].some((writer) => without.has(writer.node))) return all;
    const others: Value[] = [];
    for (const writer of writers.keys()) if (!without.has(writer.node)) others.push(writers.get(writer) as Value);
    return joinAll(others);
  }

  /**
   * Joins into a flow-insensitive store; readers that saw an older value are analysed again. What a store holds is cut
   * at the stores' field depth (`storeFieldDepth`, below the values' own; `budget-field-depth`): an object that holds
   * itself — a request context whose models each keep the context (`new ProjectModel(this)`), a parent link — is
   * stored into its own class's store through that field, so each round of the worklist nested the store's previous
   * value one level deeper, and readers analysed again saw a store that grew without end (growthbook's
   * `ReqContextClass` ran out of memory). Cut, the data below the cut stays as deep facts at the prefix: nothing is
   * dropped, and the store reaches a fixpoint. A graph of objects linking back to their owner through other classes (a
   * core that holds its components, each keeping the core: `this.activeTour = new Tour(this)`) unfolds in the stores
   * one level per round too, each level's readers run again: cut at the values' depth (5), a 12,700-line browser SDK
   * ran for more than four minutes; cut at 3 it takes five seconds.
   */
  writeStore(key: string, value: Value, writer: FunctionRecord): void {
    const depth = Math.min(this.budgets.storeFieldDepth, this.budgets.fieldDepth);
    if (value.depth > depth) {
      // a hit only where the cut gives something up (fields holding data or functions below the cut), as budget-symbols
      if (truncateLoses(value, depth)) this.notify(
        "budget-field-depth",
        "warning",
        `field paths deeper than ${depth} cut in what ${writer.name} stores in ${storeKind(key)}`,
        undefined,
        true,
      );
      value = truncate(value, depth);
    }
    let writers = this.storeWriters.get(key);
    if (!writers) this.storeWriters.set(key, (writers = new Map()));
    const part = writers.get(writer) ?? EMPTY;
    if (!writers.has(writer) || !valueLeq(value, part, true)) writers.set(writer, joinValues(part, value));
    const old = this.store.get(key) ?? EMPTY;
    if (valueLeq(value, old, true)) return;
    const now = joinValues(old, value);
    this.store.set(key, now);
    this.worklist.changed(writer);
    // a reader is analysed again when a part it read changed: a `this.f` reader not for a write of `this.g` (reads.ts)
    for (const r of this.storeReaders.get(key) ?? []) {
      if (r.status === "new" || this.readsWithout.get(key)?.get(r)?.has(writer.node)) continue;
      if (this.reads.storeChanged(key, r, now, this.budgets.fieldDepth)) this.worklist.add(r, writer);
    }
  }

  recordFor(node: ts.Node): FunctionRecord | undefined {
    const existing = this.records.get(node);
    if (existing) return existing;
    const file = this.fileOf(node);
    if (!file) return undefined;
    const rec: FunctionRecord = {
      node,
      file,
      name: `${file.path}#${qualifiedName(node)}`,
      vetted: isSourceFile(node) ? false : this.question.isVettedDeclaration(node),
      door: isSourceFile(node) ? undefined : this.question.restrictedDoorAt?.(node),
      summary: undefined,
      status: "new",
      runs: 0,
      dependents: new Set(),
      variantUsers: new Set(),
      flows: [],
      egress: new Map(),
      unresolved: new Set(),
      notes: [],
    };
    this.records.set(node, rec);
    this.earlier?.adopt(rec);
    return rec;
  }

  /**
   * The record whose summary a call of `rec` with these arguments uses: a variant when the call leaves a parameter the
   * body tests falsy (no options passed: `if (options.includeDetails)` is not taken there), else `rec` itself.
   */
  recordAt(
    rec: FunctionRecord,
    argumentCount: number,
    argExprs: readonly ts.Expression[],
    knownFalsy?: (argument: ts.Expression) => boolean,
  ): FunctionRecord {
    const fn = nodeOf(rec);
    if (rec.knowledge !== undefined || !isFunctionLike(fn) || (fn as ts.FunctionLikeDeclaration).body === undefined) return rec;
    let guarded = this.guarded.get(fn);
    if (guarded === undefined) this.guarded.set(fn, (guarded = guardedParameters(fn as ts.FunctionLikeDeclaration)));
    let sourced = this.sourced.get(fn);
    if (sourced === undefined) this.sourced.set(fn, (sourced = this.sourcedParameters(fn as ts.FunctionLikeDeclaration)));
    if (guarded.size === 0 && sourced.size === 0) return rec;
    const knowledge = knowledgeAt(fn as ts.FunctionLikeDeclaration, guarded, argumentCount, argExprs, sourced, knownFalsy);
    if (knowledge === undefined) return rec;
    let variants = this.variants.get(rec);
    if (variants === undefined) this.variants.set(rec, (variants = new Map()));
    const key = knowledgeKey(knowledge);
    let variant = variants.get(key);
    if (variant === undefined) {
      if (variants.size >= MAX_VARIANTS) return rec;
      variant = { ...rec, summary: undefined, earlierKey: undefined, status: "new", runs: 0, dependents: new Set(), flows: [], egress: new Map(), unresolved: new Set(), notes: [], knowledge };
      variants.set(key, variant);
    }
    return variant;
  }

  /** Parameters whose declaration is a source by itself (its name or declared type): `ctx: APIContext` with its IP. */
  private sourcedParameters(fn: ts.FunctionLikeDeclaration): ReadonlySet<number> {
    const out = new Set<number>();
    fn.parameters.forEach((p, i) => {
      if (p.dotDotDotToken === undefined && isIdentifier(p.name) && this.question.sourcesAt(p).length > 0) out.add(i);
    });
    return out;
  }

  /** The variant of `rec` (a method of a base class) analysed for a receiver of class `receiver` or below. */
  receiverVariant(rec: FunctionRecord, receiver: ts.ClassLikeDeclaration): FunctionRecord {
    let variants = this.receiverVariants.get(rec);
    if (variants === undefined) this.receiverVariants.set(rec, (variants = new Map()));
    let variant = variants.get(receiver);
    if (variant === undefined) {
      variant = { ...rec, summary: undefined, earlierKey: undefined, status: "new", runs: 0, dependents: new Set(), flows: [], egress: new Map(), unresolved: new Set(), notes: [], receiver };
      variants.set(receiver, variant);
    }
    return variant;
  }

  summaryOrEmpty(rec: FunctionRecord): Summary {
    return rec.summary ?? EMPTY_SUMMARY;
  }

  /** Top-level bindings of a file (variables, functions, classes, imports), for resolving free identifiers. */
  moduleScope(sf: ts.SourceFile): Map<string, Binding> {
    let scope = this.moduleScopes.get(sf);
    if (scope) return scope;
    scope = new Map();
    const file = this.files.get(sf);
    for (const st of sf.statements) collectDeclaredNames(st, scope, file?.path ?? sf.fileName, true);
    this.moduleScopes.set(sf, scope);
    return scope;
  }

  /** The module binding an imported name refers to, through aliases and re-exports (checker, asked lazily). */
  resolveImport(name: ts.Identifier): Binding | undefined {
    // an import names the same binding however often it is read: asked of the checker once per import
    if (this.imports.has(name)) return this.imports.get(name);
    const binding = this.resolveImportOnce(name);
    this.imports.set(name, binding);
    return binding;
  }

  private resolveImportOnce(name: ts.Identifier): Binding | undefined {
    let symbol: ts.Symbol | undefined;
    try {
      symbol = symbolThroughImports(this.checker, name);
    } catch {
      return undefined;
    }
    const decl = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
    if (!decl) return undefined;
    const file = this.fileOf(decl);
    if (!file) return undefined;
    if (isVariableDeclaration(decl) && isIdentifier(decl.name)) {
      return { key: moduleKey(file.path, decl.name), decl };
    }
    if (isBindingElement(decl) && isIdentifier(decl.name)) return { key: moduleKey(file.path, decl.name), decl };
    if (isFunctionDeclaration(decl) || isClassDeclaration(decl)) {
      return { key: `f:${file.path}:${decl.pos}`, decl, fn: isFunctionDeclaration(decl) ? decl : undefined };
    }
    // `export default async (req, res) => { … }`: a module whose default export is a function written there (a
    // controller per file, handed to a router by its importer) is that function, as a declared one is
    if (isExportAssignment(decl)) {
      const exported = skipOuterExpressions(decl.expression);
      if (isArrowFunction(exported) || isFunctionExpression(exported)) return { key: `f:${file.path}:${exported.pos}`, decl: exported, fn: exported };
    }
    return undefined;
  }
}

function noteKey(n: Notification): string {
  const l = n.location;
  return `${n.id}|${n.message}|${l ? `${l.file}:${l.startLine}:${l.startColumn}` : ""}`;
}

/** A name in scope: its state key and, for function declarations, the function itself. */
export interface Binding {
  readonly key: string;
  readonly decl?: ts.Node;
  readonly fn?: ts.SignatureDeclaration;
  /** An import, resolved on first read. */
  readonly importName?: ts.Identifier;
}

export function moduleKey(path: string, name: ts.Identifier): string {
  return `m:${path}:${name.pos}:${name.text}`;
}

/** Whether a store key is a module binding's ({@link moduleKey}). */
export function isModuleKey(key: string): boolean {
  return key.startsWith("m:");
}

function collectBindingNames(name: ts.BindingName, out: ts.Identifier[]): void {
  if (isIdentifier(name)) {
    out.push(name);
    return;
  }
  for (const el of name.elements) if (!isOmittedExpression(el)) collectBindingNames(el.name, out);
}

/** Names a top-level statement declares. */
function collectDeclaredNames(st: ts.Statement, scope: Map<string, Binding>, path: string, top: boolean): void {
  if (isVariableStatement(st)) {
    for (const d of st.declarationList.declarations) {
      const ids: ts.Identifier[] = [];
      collectBindingNames(d.name, ids);
      for (const id of ids) scope.set(id.text, { key: moduleKey(path, id), decl: d });
    }
  } else if (isFunctionDeclaration(st) && st.name) {
    scope.set(st.name.text, { key: `f:${path}:${st.pos}`, decl: st, fn: st });
  } else if (isClassDeclaration(st) && st.name) {
    scope.set(st.name.text, { key: `f:${path}:${st.pos}`, decl: st });
  } else if (isEnumDeclaration(st)) {
    scope.set(st.name.text, { key: `f:${path}:${st.pos}`, decl: st });
  } else if (top && isImportDeclaration(st) && st.importClause) {
    const c = st.importClause;
    if (c.name) scope.set(c.name.text, { key: `i:${path}:${c.name.pos}`, importName: c.name });
    const nb = c.namedBindings;
    if (nb && isNamespaceImport(nb)) scope.set(nb.name.text, { key: `i:${path}:${nb.name.pos}`, importName: nb.name });
    if (nb && isNamedImports(nb)) {
      for (const el of nb.elements) scope.set(el.name.text, { key: `i:${path}:${el.name.pos}`, importName: el.name });
    }
  } else if (top && isImportEqualsDeclaration(st)) {
    scope.set(st.name.text, { key: `i:${path}:${st.name.pos}`, importName: st.name });
  }
}

/** Reviewer-facing name of a function-like node inside its file: `Notifier.send`, `buildPayload`, `<module>`. */
export function qualifiedName(node: ts.Node): string {
  if (isSourceFile(node)) return "<module>";
  const parts: string[] = [];
  let n: ts.Node | undefined = node;
  while (n && !isSourceFile(n)) {
    const name = ownName(n);
    if (name !== undefined) parts.push(name);
    else if (isFunctionLike(n)) {
      const sf = n.getSourceFile();
      const line = sf.getLineAndCharacterOfPosition(n.getStart(sf)).line + 1;
      parts.push(`<anonymous@${line}>`);
    }
    n = n.parent;
  }
  return parts.reverse().join(".");
}

function ownName(n: ts.Node): string | undefined {
  if (isConstructorDeclaration(n)) return "constructor";
  if (
    (isFunctionDeclaration(n) ||
      isMethodDeclaration(n) ||
      isClassDeclaration(n) ||
      isGetAccessorDeclaration(n) ||
      isSetAccessorDeclaration(n) ||
      isClassExpression(n) ||
      isFunctionExpression(n)) &&
    n.name &&
    (isIdentifier(n.name) || isPrivateIdentifier(n.name) || isStringLiteral(n.name))
  ) {
    return n.name.text;
  }
  if ((isArrowFunction(n) || isFunctionExpression(n) || isClassExpression(n)) && n.parent) {
    const p = n.parent;
    if ((isVariableDeclaration(p) || isPropertyAssignment(p) || isPropertyDeclaration(p)) && isIdentifier(p.name)) {
      return p.name.text;
    }
  }
  return undefined;
}

// the labels read from Kind, not ts.SyntaxKind: each `ts.X` of the bundled compiler is a getter call (compiler-direct.ts),
// and this is asked of every node of every file (functionsOf) and throughout the engine
export function isFunctionLike(n: ts.Node): n is ts.SignatureDeclaration & { body?: ts.Node } {
  switch (n.kind) {
    case Kind.FunctionDeclaration:
    case Kind.FunctionExpression:
    case Kind.ArrowFunction:
    case Kind.MethodDeclaration:
    case Kind.Constructor:
    case Kind.GetAccessor:
    case Kind.SetAccessor:
      return true;
    default:
      return false;
  }
}

/**
 * The engine's side of the boundary with the model. An exception from the model's code is a bug of ours: it is recorded
 * (one notification per cause, exit 3) and the engine goes on with the answer that hides nothing — no source at this
 * read, an unknown call (its arguments flow into its result), nothing vetted.
 */
function guardedQuestion(question: Question, failed: (error: unknown, node: ts.Node) => void): Question {
  // the model's answer, or the cautious one when its code throws (the failure recorded against the node asked about)
  const ask = <T>(node: ts.Node, cautious: () => T, answer: () => T): T => {
    try {
      return answer();
    } catch (error) {
      failed(error, node);
      return cautious();
    }
  };
  const none = () => undefined;
  const nothing = () => [];
  return {
    sourcesAt: (node) => ask(node, nothing, () => question.sourcesAt(node)),
    membersOf: (expression) => ask(expression, nothing, () => question.membersOf?.(expression) ?? []),
    callAt: (call) => ask(call, (): CallModel => ({ kind: "unknown", label: call.expression.getText() }), () => question.callAt(call)),
    // no channel: the call is what callAt says, nothing more is connected
    channelAt: (call) => ask(call, none, () => question.channelAt?.(call)),
    // no member of a request: the read is what its receiver holds, nothing more is connected
    requestMemberAt: (receiver, member) => ask(receiver, none, () => question.requestMemberAt?.(receiver, member)),
    isVettedDeclaration: (declaration) => ask(declaration, () => false, () => question.isVettedDeclaration(declaration)),
    restrictedDoorAt: (declaration) => ask(declaration, none, () => question.restrictedDoorAt?.(declaration)),
    // no subclass known: the class's methods are analysed as bodies of their own (joined-variants.ts)
    subclassesOf: (cls) => ask(cls, nothing, () => question.subclassesOf?.(cls) ?? []),
    isVettedHost(host) {
      return question.isVettedHost(host); // a pattern match over the policy's hosts: no node, and nothing of the code
    },
    hostVettedOnlyFor(host) {
      return question.hostVettedOnlyFor?.(host); // a pattern match too
    },
  };
}

/** What a flow-insensitive store holds, for a budget notification (the key's prefix says which kind it is). */
function storeKind(key: string): string {
  switch (key.slice(0, 2)) {
    case "k:":
      return "the fields of a class";
    case "m:":
      return "a module binding";
    case "x:":
      return "a module's exports";
    case "c:":
      return "a channel";
    case "q:":
      return "a member of the request";
    default:
      return "a shared store";
  }
}
