import { ts } from "ts-morph";
import { Kind, isArrayLiteralExpression, isArrowFunction, isConditionalExpression, isConstructorDeclaration, isBinaryExpression, isCallExpression, isElementAccessExpression, isFunctionLike, isGetAccessorDeclaration, isIdentifier, isObjectLiteralExpression, isOmittedExpression, isParameter, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isSetAccessorDeclaration, isShorthandPropertyAssignment, isSourceFile, isSpreadAssignment, isSpreadElement, isStringLiteralLike, isVariableDeclaration, isVariableDeclarationList } from "../../compiler-direct.js";
import { knownTruth } from "../absent-arguments.js";
import { moduleKey, qualifiedName, type Binding, type EgressSeen, type EngineContext, type FunctionRecord } from "../context.js";
import { HeapExhausted, STEPS_PER_LOOK } from "../heap-guard.js";
import { classFact, symbolFact, withStep, type SymbolFact } from "../facts.js";
import type { SourceHit } from "../../vocabulary/question.js";
import type { CallbackEntry, FlowRecord, SinkEntry, SinkSite, Summary } from "../summary.js";
import { addStep, type FileRef } from "../trace.js";
import {
  ELEMENTS,
  EMPTY,
  capFacts,
  collectFacts,
  factsValue,
  hasTaint,
  holdsDataOrFunctions,
  joinAll,
  joinValues,
  makeValue,
  filterFacts,
  mapFacts,
  readField,
  readPath,
  readPosition,
  truncate,
  truncateLoses,
  valueLeq,
  writePath,
  type FnRef,
  type Value,
} from "../value.js";
import { type Alias, type Frame, type Scope, MAX_ALIASES, MAX_CALLEE_NESTING, State, joinDoors } from "./state.js";
import { constantKey, isPlacingAssignment, paramPlace, propertyNameText, shortText, unwrap } from "./syntax.js";
import { calledBindingNames } from "./called-bindings.js";
import { absentPaths } from "./absent-paths.js";
import { thisContainer } from "../receiver-dispatch.js";
import { constructionBodies } from "../construction-methods.js";

/** A write passed on through at most this many locals aliasing one another (`const a = o.f; const b = a.g;`). */
const MAX_ALIAS_DEPTH = 4;

/** Built-in array methods by what they answer of their receiver (`builtinAnswer`). */
const BUILTIN_ANSWERS: ReadonlyMap<string, "element" | "copy" | "same"> = new Map([
  ["find", "element"], ["findLast", "element"], ["at", "element"],
  ["filter", "copy"], ["slice", "copy"], ["toSorted", "copy"], ["toReversed", "copy"],
  ["sort", "same"], ["reverse", "same"],
]);

/**
 * What every layer of the interpreter shares: the program point (variables, scopes, the frame of the body being run),
 * budgets, bindings and stores, sources at reads, `this` and class fields, and writes to access paths. The layers
 * above add sinks (sinks.ts), calls and summaries (calls.ts), expressions (expressions.ts) and statements
 * (statements.ts); FunctionAnalysis (../interpret.ts) runs a whole function.
 */
export abstract class InterpreterCore {
  protected state = new State();
  protected scope: Scope;
  protected frame!: Frame;
  protected readonly file: FileRef;
  protected readonly sinks: SinkEntry[] = [];
  /** State keys of the analysed function's parameters, to their positions (destinations evaluate them as Param(i)). */
  protected readonly paramIndex = new Map<string, number>();
  /**
   * Keys of the facts the analysed function's own parameters are sources of by their declarations (`ctx: APIContext`
   * whose `context.ip` is an address): the caller's argument has its own data, so these are no effect on it.
   */
  protected readonly parameterSources = new Set<string>();
  protected readonly callbacks: CallbackEntry[] = [];
  /**
   * What the function put, of what it was handed, on channels (channels.ts) and in its module's bindings, by store key:
   * summary effects, which each call site writes with its own data (calls.ts).
   */
  protected readonly storeEffects = new Map<string, Value>();
  /**
   * Summary sink entries by sink argument × destination, then by fact, to their index in `sinks`. Two levels, not one
   * key `fact@site`: a call site substituting a callee's sink entries looks up every fact of the caller's value at each
   * entry's path (growthbook's query runners: tens of thousands per call), and a key built anew each time was a fresh
   * string to hash; the facts' own keys keep their hashes.
   */
  protected readonly sinkIndex = new Map<string, Map<string, number>>();
  /** Each site object's entry of `sinkIndex` (a site object per sink argument, per callee sink at a call site). */
  protected readonly siteEntries = new Map<SinkSite, Map<string, number>>();
  /**
   * Per index in `sinks`, the same fact met at the same site by other traces (a wrapper reached from several callees):
   * the summary keeps the other paths among them (other-paths.ts); at most {@link MAX_SINK_CANDIDATES} each.
   */
  protected readonly sinkCandidates = new Map<number, SymbolFact[]>();
  protected readonly flows: FlowRecord[] = [];
  protected readonly egress = new Map<string, EgressSeen>();
  protected readonly unresolved = new Set<string>();
  protected steps = 0;
  protected cheap = false;
  protected inlineStack: ts.Node[] = [];
  readonly fieldDepth: number;
  /** Receiver path of the call being modelled by a built-in (for `arr.push(x)`), and its arguments' paths. */
  protected builtinTarget: { recv?: ts.Expression; args: readonly ts.Expression[]; call?: ts.Node } = { args: [] };
  /**
   * Calls the built-ins answered by name (`find`, `at`, `filter`, …: builtins.ts), so an element one returns is an
   * alias of the receiver's elements (`aliasTargets`) only where the call was the built-in, not a library's `find`.
   */
  protected readonly builtinCalls = new Set<ts.Node>();

  constructor(
    protected readonly ctx: EngineContext,
    protected readonly rec: FunctionRecord,
  ) {
    this.file = rec.file;
    this.fieldDepth = ctx.budgets.fieldDepth;
    this.scope = { names: ctx.moduleScope(rec.file.sourceFile), parent: undefined, kind: "module" };
  }

  // what the layers above provide (expressions, statements, calls): reads and writes need them
  /** `field`: only that field of the value is read (a module binding's store is then read at that field, reads.ts). */
  abstract evalExpr(node: ts.Expression, field?: string): Value;
  protected abstract execStatements(stmts: readonly ts.Statement[]): void;
  /** The project file a relative `require` specifier names. */
  protected abstract resolveRelativeFile(spec: string): FileRef | undefined;
  protected abstract bindPattern(name: ts.BindingName, v: Value, kind: "block" | "function" | "assign"): void;
  protected abstract invokeFn(fn: FnRef, thisV: Value, args: Value[], call: ts.Node, argExprs?: ts.Expression[], aliases?: readonly (readonly Alias[])[]): Value;
  /** The project class `cls` extends, if any. */
  protected abstract baseOf(cls: ts.ClassLikeDeclaration): ts.ClassLikeDeclaration | undefined;
  /** The method `name` of the class being run, or of a base class (`superOnly`: of a base class only). */
  protected abstract findMethod(name: string, superOnly: boolean): ts.SignatureDeclaration | undefined;
  protected abstract callProject(
    call: ts.Node,
    decl: ts.Node,
    recv: Value,
    recvExpr: ts.Expression | undefined,
    args: Value[],
    argExprs: readonly ts.Expression[],
    isSuper?: boolean,
    receiver?: ts.ClassLikeDeclaration,
    dropped?: boolean,
    aliases?: readonly (readonly Alias[])[],
  ): Value;

  /** Runs `branch`, taken when `condition` is `truth`, with the paths that condition says are absent (absent-paths.ts). */
  protected underCondition<T>(condition: ts.Expression, truth: boolean, branch: ts.Node, run: () => T): T {
    const paths = absentPaths(condition, truth, branch);
    if (paths.length === 0) return run();
    const absent = this.frame.absent;
    const depth = absent.length;
    absent.push(...paths);
    try {
      return run();
    } finally {
      absent.length = depth;
    }
  }

  /**
   * In a variant analysed for call sites that leave tested parameters falsy (absent-arguments.ts): whether `condition`
   * is then known falsy (its branch is not taken) or known truthy (`!options.includeDetails`, `options.redact` of
   * `{ redact: true }`). Only in the analysed
   * body itself: a closure inlined here may run later, with other values.
   */
  protected conditionKnown(condition: ts.Expression): "falsy" | "truthy" | undefined {
    const knowledge = this.rec.knowledge;
    if (knowledge === undefined || this.frame.fn !== this.rec.node) return undefined;
    return knownTruth(condition, knowledge, (identifier) => this.knownParameter(identifier));
  }

  /** The index of the parameter of the analysed variant this identifier reads, when the variant knows something of it. */
  private knownParameter(identifier: ts.Identifier): number | undefined {
    const knowledge = this.rec.knowledge;
    if (knowledge === undefined || this.frame.fn !== this.rec.node) return undefined;
    const fn = this.rec.node as ts.FunctionLikeDeclaration;
    const index = fn.parameters.findIndex((p) => isIdentifier(p.name) && p.name.text === identifier.text);
    if (index < 0 || !knowledge.has(index)) return undefined;
    // the parameter itself, not a variable of an inner block that shadows it
    return this.ctx.checker.getSymbolAtLocation(identifier)?.valueDeclaration === fn.parameters[index] ? index : undefined;
  }

  /**
   * An argument that is a parameter this variant knows falsy (`presentDocument(ctx, …)` in a variant for callers that
   * pass no `ctx`): the callee's call site leaves it out too.
   */
  protected knownFalsyArgument(argument: ts.Expression): boolean {
    const node = unwrap(argument);
    if (!isIdentifier(node)) return false;
    const index = this.knownParameter(node);
    return index !== undefined && this.rec.knowledge?.get(index)?.kind === "falsy";
  }

  /** A parameter of the analysed variant that its callers leave out: it holds nothing, whatever its declaration says. */
  protected leftOut(parameter: ts.ParameterDeclaration, index: number): boolean {
    return this.frame.fn === this.rec.node && this.rec.knowledge?.get(index)?.kind === "falsy" && (this.rec.node as ts.FunctionLikeDeclaration).parameters[index] === parameter;
  }

  protected symbolic(root: string): Value {
    const f = symbolFact(root, [], undefined);
    return factsValue(new Map([[f.key, f]]));
  }

  protected newFrame(fn: ts.Node, cls: ts.ClassLikeDeclaration | undefined): Frame {
    const outerVetted = this.frame?.vetted ?? this.rec.vetted;
    const outerDoor = this.frame ? this.frame.door : this.rec.door;
    const name = this.frame ? `${this.file.path}#${qualifiedName(fn)}` : this.rec.name;
    return {
      fn,
      name,
      vetted: outerVetted || (this.frame !== undefined && this.ctx.question.isVettedDeclaration(fn)),
      door: joinDoors(outerDoor, this.frame !== undefined ? this.ctx.question.restrictedDoorAt?.(fn) : undefined),
      returns: EMPTY,
      exits: undefined,
      params: [],
      classNode: cls,
      generator: !!(fn as ts.FunctionLikeDeclaration).asteriskToken,
      controls: [],
      throws: [],
      locals: new Set(),
      absent: [],
    };
  }

  /** Instance field initialisers (`private last = user.phone`) run at the start of the constructor. */
  protected initialiseFields(cls: ts.ClassLikeDeclaration): void {
    for (const m of cls.members) {
      if (isPropertyDeclaration(m) && m.initializer && !ts.getModifiers(m)?.some((x) => x.kind === Kind.StaticKeyword)) {
        const name = propertyNameText(m.name);
        if (name) this.writeThisField([name], this.evalExpr(m.initializer), m);
      }
    }
  }

  protected recordExit(): void {
    if (!this.state.alive) return;
    const snap = new State(new Map(), true);
    for (const p of this.frame.params) {
      const v = this.state.vars.get(p.key);
      if (v) snap.set(p.key, v);
    }
    const t = this.state.vars.get("this");
    if (t) snap.set("this", t);
    this.frame.exits = this.frame.exits ? State.join(this.frame.exits, snap) : snap;
  }

  protected budget(id: string, message: string, node?: ts.Node): void {
    this.ctx.notify(id, "warning", message, node, true);
  }

  /** One transfer step; past the per-function budget, loops stop iterating and closures stop being inlined. */
  protected tick(node: ts.Node): void {
    if ((++this.steps & (STEPS_PER_LOOK - 1)) === 0 && this.ctx.heap.exhaustedWithin()) throw new HeapExhausted();
    if (this.steps === this.ctx.budgets.stepsPerFunction) {
      this.cheap = true;
      this.budget(
        "budget-steps",
        `step budget (${this.ctx.budgets.stepsPerFunction}) spent in ${this.rec.name}: the rest of it is analysed with one pass per loop and without inlining callbacks`,
        node,
      );
    }
  }

  /**
   * `decl`: the variable or parameter declaration, kept on a local binding so a write through it can tell a `require`d
   * module and a read through it the parameter's declared type.
   */
  protected declare(id: ts.Identifier, kind: "block" | "function", decl?: ts.VariableDeclaration | ts.ParameterDeclaration): string {
    let s: Scope = this.scope;
    if (kind === "function") while (s.kind === "block" && s.parent) s = s.parent;
    const key = s.kind === "module" ? moduleKey(this.file.path, id) : `l:${id.pos}:${id.text}`;
    if (s.kind !== "module") {
      s.names.set(id.text, decl ? { key, decl } : { key });
      this.frame.locals.add(key);
    }
    return key;
  }

  protected lookup(name: string): Binding | undefined {
    for (let s: Scope | undefined = this.scope; s; s = s.parent) {
      const b = s.names.get(name);
      if (b) return b;
    }
    return undefined;
  }

  /** A name's value; `field`: the reader takes only that field of it (`config.url`), for the store's readers (reads.ts). */
  protected readBinding(b: Binding, field?: string): Value {
    if (b.importName) {
      const target = this.ctx.resolveImport(b.importName);
      return target ? this.readBinding(target, field) : EMPTY;
    }
    if (b.fn) return makeValue(undefined, undefined, [{ node: b.fn, file: this.ctx.fileOf(b.fn) ?? this.file }]);
    if (b.key.startsWith("m:")) {
      if (b.decl !== undefined) this.runModuleFirst(b.decl);
      return this.ctx.readStore(b.key, this.rec, field);
    }
    if (b.key.startsWith("f:")) return EMPTY;
    return this.state.vars.get(b.key) ?? EMPTY;
  }

  /**
   * Before another module's binding is first read, that module's top level runs, as an import runs it at run time: the
   * binding's value is written by the module that declares it, so its readers' first run sees it, where read before
   * that module's turn in file order it read the binding empty and ran again once the write came (growthbook's
   * util/logger.ts, written at its top level after the request context's constructor had read `logger`; 190 re-runs
   * queued by a top level's write of a binding read before). A top level already running (modules importing each
   * other) is left to finish, and its readers are queued by its writes as before; past the callees' nesting it is
   * left to its turn.
   */
  private runModuleFirst(decl: ts.Node): void {
    const file = this.ctx.fileOf(decl);
    if (file === undefined || file === this.file) return;
    const top = this.ctx.recordFor(file.sourceFile);
    if (top !== undefined && top.status === "new" && this.ctx.depth < MAX_CALLEE_NESTING) this.analyseCallee(top);
  }

  /** Analyses a record that has no summary yet (FunctionAnalysis: a new analysis of that function or top level). */
  protected abstract analyseCallee(callee: FunctionRecord): Summary;

  protected writeBinding(b: Binding, v: Value): void {
    if (b.key.startsWith("m:")) {
      // the binding replaced whole (`current = user`, `transport = fn`): what the caller handed is what it holds
      this.writeToStore(b.key, v, true);
      // a module binding also keeps its flow-sensitive value within this body
      return;
    }
    if (b.key.startsWith("f:") || b.importName) return;
    this.state.set(b.key, this.bounded(v));
  }

  protected bounded(v: Value): Value {
    let out = v;
    if (out.depth > this.fieldDepth) {
      // a hit only where the cut gives something up (fields below the cut holding data or functions), as for stores
      if (truncateLoses(out, this.fieldDepth)) this.budget("budget-field-depth", `field paths deeper than ${this.fieldDepth} cut in ${this.frame.name}`);
      out = truncate(out, this.fieldDepth);
    }
    return capFacts(out, this.ctx.budgets.factsPerPath, () =>
      this.budget("budget-facts", `more than ${this.ctx.budgets.factsPerPath} facts on one path in ${this.frame.name}: kept the shortest per data class`),
    );
  }

  /**
   * Joins a value into a module's binding, a flow-insensitive store: its concrete data and functions into the store;
   * what the function was handed (`setLogger(fn) { logger = fn }`), where the binding holds code its module calls
   * (`effects`), into its summary's effects under the store's key, which each call site writes with its own argument.
   */
  protected writeToStore(key: string, v: Value, effects: boolean): void {
    const concrete = this.concreteOnly(v);
    if (holdsDataOrFunctions(concrete)) this.ctx.writeStore(key, concrete, this.rec);
    if (!effects) return;
    const symbolic = filterFacts(v, (f) => f.kind === "symbol");
    if (hasTaint(symbolic)) this.storeEffects.set(key, joinValues(this.storeEffects.get(key) ?? EMPTY, symbolic));
  }

  /** Symbolic facts only mean something inside this function: stores keep concrete data. */
  protected concreteOnly(v: Value): Value {
    return filterFacts(v, (f) => f.kind === "class");
  }

  /**
   * Restricted data the Question sees at a read. `carried` is the value already flowing there: a name that only
   * repeats a class the value carries (`const phone = user.phone`, `{ phone: user.phone }`) adds no second source.
   */
  protected sourcesOf(node: ts.Node, shown: ts.Node = node, carried?: Value): Value {
    let hits: readonly SourceHit[];
    hits = this.ctx.question.sourcesAt(node);
    if (hits.length === 0) return EMPTY;
    // a parameter's or a `this` field's name: callers may put their own (more upstream) sources there
    const shadowable =
      isParameter(node) ||
      ((isPropertyAccessExpression(node) || isElementAccessExpression(node)) &&
        node.expression.kind === Kind.ThisKeyword);
    if (carried && hits.length > 0) {
      const facts = collectFacts(carried);
      if (facts) {
        const have = new Set<string>();
        for (const f of facts.values()) if (f.kind === "class") have.add(f.dataClass);
        hits = hits.filter((h) => !have.has(h.dataClass));
        if (hits.length === 0) return EMPTY;
      }
    }
    let place: string | undefined;
    if (isParameter(node)) place = paramPlace(node, this.ctx.fileOf(node) ?? this.file);
    else if (shadowable) {
      const name = isPropertyAccessExpression(node) ? node.name.text : this.keyOf((node as ts.ElementAccessExpression).argumentExpression);
      const key = this.classKey();
      if (name && key) place = `f:${key}:${name}`;
    }
    return this.sourceValue(hits, node, shown, shadowable, place, carried !== undefined);
  }

  /** `guessed`: read where a value flows that carried none of these classes (SourceOrigin.guessed). */
  protected sourceValue(hits: readonly SourceHit[], node: ts.Node, shown: ts.Node, shadowable = false, place?: string, guessed = false): Value {
    let out = EMPTY;
    const expression = shortText(shown, this.file.sourceFile);
    for (const h of hits) {
      const origin = { dataClass: h.dataClass, reason: h.reason, node: shown, file: this.file, expression, shadowable, place, guessed };
      const where = h.path && h.path.length > 0 ? `${expression}.${h.path.join(".")}` : expression;
      const step = addStep(undefined, shown, this.file, `${h.dataClass} read from \`${where}\``, "source");
      const f = classFact(origin, step);
      const v = factsValue(new Map([[f.key, f]]));
      out = joinValues(out, h.path && h.path.length > 0 ? writePath(EMPTY, h.path, v, false, this.fieldDepth) : v);
    }
    void node;
    return out;
  }

  /** Appends one step to every fact of a value (an assignment, a call boundary). */
  protected stepped(v: Value, node: ts.Node, message: string, role: "step" | "call" | "return" = "step", enters?: string): Value {
    if (!v.facts && !v.fields) return v;
    return mapFacts(v, (f) => withStep(f, addStep(f.step, node, this.file, message, role, enters)));
  }

  protected classKey(): string | undefined {
    const cls = this.frame.classNode;
    return cls ? this.classKeyOf(cls) : undefined;
  }

  protected classKeyOf(cls: ts.ClassLikeDeclaration): string {
    const f = this.ctx.fileOf(cls) ?? this.file;
    return `k:${f.path}:${cls.pos}`;
  }

  /**
   * The store of the objects `new C(…)` built (calls.ts), kept apart from what the class's code writes in its fields:
   * both are read at `this.f`, except in a constructor's own body, whose instance is none of them (`readThisField`).
   */
  protected builtKeyOf(cls: ts.ClassLikeDeclaration): string {
    return `${this.classKeyOf(cls)}:built`;
  }

  /**
   * The objects built through a value rather than a class's name (`new EmailClass(props)` of a registry's entry, `new
   * this(…)`), whose class may be any below `cls`: also kept apart from those built by name (calls.ts `storeBuilt`).
   */
  protected openKeyOf(cls: ts.ClassLikeDeclaration): string {
    return `${this.classKeyOf(cls)}:open`;
  }

  /**
   * The objects `new` built that `this` of a method of `cls` may be (field `name`; all fields when undefined). Where
   * `this` is a receiver variant's own (its body, an arrow it runs inline: `ownReceiver`), for class `C` below `cls`:
   * those built as `C` or below (`C`'s built store) and those built through a value of a class from `C`'s base up to
   * `cls` (their open stores) — not a sibling's, whose instance this receiver is not (outline's e-mail templates: a template that cannot cancel read every other template's props
   * in its cancel branch). Elsewhere every object built as `cls` or below.
   */
  protected readBuilt(cls: ts.ClassLikeDeclaration, name?: string): Value {
    const keys = this.builtKeys(cls);
    let out = this.ctx.readStore(keys[0]!, this.rec, name);
    for (let i = 1; i < keys.length; i++) out = joinValues(out, this.ctx.readStore(keys[i]!, this.rec, name));
    return out;
  }

  /**
   * The receiver variant's class when `this` here is the analysed method's own: in its body, and in an arrow function
   * it runs inline (an arrow's `this` is its enclosing method's). A `function` it runs inline has a `this` of its own.
   */
  protected ownReceiver(): ts.ClassLikeDeclaration | undefined {
    if (this.rec.receiver === undefined) return undefined;
    const fn = this.frame.fn;
    return fn === this.rec.node || (isArrowFunction(fn) && thisContainer(fn) === this.rec.node) ? this.rec.receiver : undefined;
  }

  /** The stores `readBuilt` reads: the first is a built store, the others open ones. */
  private builtKeys(cls: ts.ClassLikeDeclaration): string[] {
    const receiver = this.ownReceiver();
    if (receiver === undefined || receiver === cls) return [this.builtKeyOf(cls)];
    const keys = [this.builtKeyOf(receiver)];
    for (let c = this.baseOf(receiver), level = 0; c !== undefined && level < 16; c = this.baseOf(c), level++) {
      keys.push(this.openKeyOf(c));
      if (c === cls) break;
    }
    return keys;
  }

  /**
   * In a constructor's own body (not a closure it runs, which may run later), or in a private method only that body
   * calls (construction-methods.ts: growthbook's `initModels`): the instance is being built.
   */
  protected inOwnConstructor(): boolean {
    if (this.frame.fn !== this.rec.node) return false;
    if (isConstructorDeclaration(this.rec.node)) return true;
    const cls = this.frame.classNode;
    return cls !== undefined && constructionBodies(cls).has(this.rec.node);
  }

  /** The stores of `cls` as a body building a fresh instance reads them: without what such bodies wrote there. */
  private readStoreBuilding(key: string, cls: ts.ClassLikeDeclaration, field?: string): Value {
    return this.ctx.readStoreWithout(key, this.rec, constructionBodies(cls), field);
  }

  /**
   * `this` whole (an argument, a receiver, `this[k]`): the flow-sensitive value joined with the class's stores, except
   * in a constructor's own body, which reads them as `readThisField` does — without its own earlier runs' writes and
   * the objects `new` built. `console.info(this)` before a field is given a member's address reported the address
   * (the worklist's second run read the constructor's own later write; fixture engine/constructor-stores).
   */
  protected readThis(): Value {
    const v = this.state.vars.get("this") ?? EMPTY;
    const cls = this.frame.classNode;
    if (!cls) return v;
    if (this.inOwnConstructor()) return joinValues(v, this.readStoreBuilding(this.classKeyOf(cls), cls));
    return joinAll([v, this.ctx.readStore(this.classKeyOf(cls), this.rec), this.readBuilt(cls)]);
  }

  /**
   * `this` as the receiver of a `this.m()` call: `readThis`'s value, its stores read pending (context.ts
   * `readStorePending`) — the call says which paths of them it used (calls.ts `receiverRead`). Each store with its value
   * as read; none in a constructor's own body, which reads as `readThis` does.
   */
  protected readThisPending(): { value: Value; stores: [string, Value][] } {
    const v = this.state.vars.get("this") ?? EMPTY;
    const cls = this.frame.classNode;
    if (!cls || this.inOwnConstructor()) return { value: this.readThis(), stores: [] };
    const stores: [string, Value][] = [];
    for (const key of [this.classKeyOf(cls), ...this.builtKeys(cls)]) stores.push([key, this.ctx.readStorePending(key, this.rec)]);
    return { value: joinAll([v, ...stores.map(([, stored]) => stored)]), stores };
  }

  /** this.f: the flow-sensitive value in this body, joined with what any method of the class stores there. */
  protected readThisField(name: string): Value {
    const thisV = this.state.vars.get("this") ?? EMPTY;
    let local = readField(thisV, name, this.fieldDepth);
    // `this.m` of a method the class (or a base) declares, read as a value (`this.m.bind(this)`, `rows.map(this.m)`):
    // that method, bound to this receiver, not something the caller supplies — as a symbol it became a callback entry
    // of every caller's summary up the call chain, each joining in the arguments of its own calls
    const method = this.frame.classNode ? this.findMethod(name, false) : undefined;
    if (method) {
      local = joinValues(
        filterFacts(local, (f) => f.kind === "class"),
        makeValue(undefined, undefined, [{ node: method, file: this.ctx.fileOf(method) ?? this.file, thisValue: thisV }]),
      );
    }
    const cls = this.frame.classNode;
    if (!cls) return local;
    const key = this.classKeyOf(cls);
    // A constructor's own body (not a closure it runs, which may run later) builds a fresh instance: its fields are
    // what this body, its base's constructor and the calls it made have written, all in `local`. What the
    // constructor stored in an earlier run or for another receiver, and the objects `new` built with it, are other
    // instances': read back, they made a class whose field initialisers hand `this.pool` to the members they build
    // feed each run's members into the next run's `this.pool`, one level deeper a run, until the SCC-rounds budget
    // (fixture engine/constructor-stores). The class's methods' writes are still read.
    // only field `name` of the stores is read: a write of another field does not make this body run again (reads.ts)
    const store = this.inOwnConstructor()
      ? this.readStoreBuilding(key, cls, name)
      : joinValues(this.ctx.readStore(key, this.rec, name), this.readBuilt(cls, name));
    const stored = readField(store, name, this.fieldDepth);
    const getter = this.gettersOf(cls).get(name);
    let out = joinValues(local, stored);
    if (getter && !this.inlineStack.includes(getter)) out = joinValues(out, this.invokeFn({ node: getter, file: this.file }, this.state.vars.get("this") ?? EMPTY, [], getter));
    return out;
  }

  protected gettersOf(cls: ts.ClassLikeDeclaration): ReadonlyMap<string, ts.GetAccessorDeclaration> {
    let byName = this.ctx.getters.get(cls);
    if (!byName) {
      const found = new Map<string, ts.GetAccessorDeclaration>();
      for (const m of cls.members) {
        const name = isGetAccessorDeclaration(m) ? propertyNameText(m.name) : undefined;
        if (name !== undefined && !found.has(name)) found.set(name, m as ts.GetAccessorDeclaration);
      }
      this.ctx.getters.set(cls, (byName = found));
    }
    return byName;
  }

  protected writeThisField(path: string[], v: Value, node: ts.Node): void {
    const cur = this.state.vars.get("this") ?? EMPTY;
    this.state.set("this", writePath(cur, path, this.bounded(v), true, this.fieldDepth));
    const key = this.classKey();
    if (key) this.ctx.writeStore(key, writePath(EMPTY, path, this.concreteOnly(v), false, this.fieldDepth), this.rec);
    void node;
  }

  /**
   * A constant key: a string literal, or a member the checker reads as one string — an enum's (`user[FieldNameUser.email]`,
   * hedgedoc's every column) or an `as const` object's (`row[Columns.EMAIL]`). Asked of the checker only for a member
   * access, so `arr[i]` and `map[key]` cost nothing. A key read as its field keeps a store's fields apart: written
   * `updateData[FieldNameUser.email]`, the address is not read back by `user[FieldNameUser.displayName]`.
   */
  protected keyOf(e: ts.Expression): string | undefined {
    const literal = constantKey(e);
    if (literal !== undefined) return literal;
    const x = unwrap(e);
    if (!isPropertyAccessExpression(x)) return undefined;
    const type = this.ctx.checker.getTypeAtLocation(x);
    return type.isStringLiteral() ? type.value : undefined;
  }

  /** The access path an expression denotes (`x.a.b`, `this.f`, `arr[i]`), if it is one. */
  protected pathOf(e: ts.Expression): { root: "this" | Binding; path: string[] } | undefined {
    const path: string[] = [];
    let x = unwrap(e);
    for (;;) {
      if (isPropertyAccessExpression(x)) {
        path.push(x.name.text);
        x = unwrap(x.expression);
      } else if (isElementAccessExpression(x)) {
        path.push(this.keyOf(x.argumentExpression) ?? ELEMENTS);
        x = unwrap(x.expression);
      } else if (isBinaryExpression(x) && isPlacingAssignment(x.operatorToken.kind)) {
        // `(handlers[event] ??= []).push(handler)`: the assignment's value is what its left side holds after it
        x = unwrap(x.left);
      } else break;
    }
    path.reverse();
    if (x.kind === Kind.ThisKeyword) return { root: "this", path };
    if (isIdentifier(x)) {
      const b = this.lookup(x.text);
      return b ? { root: b, path } : undefined;
    }
    return undefined;
  }

  /** Writes a value at an access path; `strong` replaces (locals), weak joins (data that may be elsewhere too). */
  /** `throughAliases`: a write into a local's object is a write into the objects the local aliases too (the default). */
  protected writeAt(target: { root: "this" | Binding; path: string[] }, v: Value, strong: boolean, throughAliases = true): void {
    const isElement = target.path.includes(ELEMENTS);
    const s = strong && !isElement;
    if (target.root === "this") {
      if (target.path.length === 0) return;
      if (s) this.writeThisField(target.path, v, this.frame.fn);
      else {
        const cur = this.state.vars.get("this") ?? EMPTY;
        this.state.set("this", writePath(cur, target.path, this.bounded(v), false, this.fieldDepth));
        const key = this.classKey();
        if (key) this.ctx.writeStore(key, writePath(EMPTY, target.path, this.concreteOnly(v), false, this.fieldDepth), this.rec);
      }
      return;
    }
    const b = target.root;
    if (target.path.length === 0) {
      this.writeBinding(b, s ? v : joinValues(this.readBinding(b), v));
      // replaced, the local holds another object (the assignment says which: aliasLocal); joined into, the object
      // it may hold elsewhere is joined into too (`Object.assign(meta, patch)`)
      if (s) this.state.setAliases(b.key, []);
      else if (throughAliases) this.writeThroughAliases(b.key, [], v);
      return;
    }
    this.writeIntoModule(b, target.path, v);
    if (b.key.startsWith("m:")) {
      this.writeToStore(b.key, writePath(EMPTY, target.path, v, false, this.fieldDepth), installsCode(b, this.rec.node));
      return;
    }
    if (b.fn || b.key.startsWith("f:") || b.importName) return;
    const cur = this.state.vars.get(b.key) ?? EMPTY;
    this.state.set(b.key, this.bounded(writePath(cur, target.path, v, s, this.fieldDepth)));
    if (throughAliases) this.writeThroughAliases(b.key, target.path, v);
  }

  /** How many aliases deep a write is being passed on (a local aliasing a local aliasing a field). */
  private aliasDepth = 0;

  /**
   * A write into the object a local holds (`labels.push(email)`, `meta.note = email`, `Object.assign(meta, patch)`)
   * where the local may hold the object at another access path (`const labels = account.labels`): that object is
   * written too, weakly — the local may also hold a fresh default (`?? []`), and the write stays in the local as well.
   * The local's own value is a copy taken at its declaration, so without this the object never saw the write.
   */
  private writeThroughAliases(key: string, path: readonly string[], v: Value): void {
    const targets = this.state.aliases.get(key);
    if (targets !== undefined) this.writeIntoAliases(targets, path, v);
  }

  /** Writes `v` at `path` inside each object a value may be (`targets`: aliasTargets, elementAliases), weakly. */
  protected writeIntoAliases(targets: readonly Alias[], path: readonly string[], v: Value): void {
    if (this.aliasDepth >= MAX_ALIAS_DEPTH) return;
    // weak, a write of nothing (`feature.dependencies = []`) changes nothing there
    if (!holdsDataOrFunctions(v)) return;
    this.aliasDepth++;
    try {
      for (const t of targets) {
        const full = [...t.path, ...path];
        // What the caller's object (a parameter's, the receiver's) already holds elsewhere is not passed on into it:
        // moved within the object, it is still in the object (logged or sent whole, it leaks as before), and a
        // markdown-it rule that splices `state.tokens` with tokens built of their own children, or a parser that
        // rearranges its tree, spelled the object out deeper at each round and each caller (outline, documenso:
        // field-depth cuts and loops past their budget). The caller's own other data (another parameter's, a source
        // read here) is passed on.
        const own = t.root === "this" ? "this" : this.paramIndex.has(t.root.key) ? `p${this.paramIndex.get(t.root.key)!}` : undefined;
        const moved = own === undefined ? v : filterFacts(v, (f) => f.kind !== "symbol" || f.root !== own);
        if (!holdsDataOrFunctions(moved)) continue;
        // nor one of what the path already holds (`strategy.name = canonical(strategy.name)` writes the field's own
        // value back): written, it would only spell out the object's tree
        const root = t.root === "this" ? this.state.vars.get("this") : t.root.key.startsWith("l:") ? this.state.vars.get(t.root.key) : undefined;
        if (root !== undefined && valueLeq(moved, readPath(root, full, this.fieldDepth))) continue;
        this.writeAt({ root: t.root, path: full }, moved, false);
      }
    } finally {
      this.aliasDepth--;
    }
  }

  /**
   * The access paths whose object an expression's value may be (aliases): `a.f`, `this.f.g`, `a[k]`, a local `a`, and
   * either side of `a.f ?? []`, `a.f || {}`, `c ? a.f : b.g`, the right side of `a && b`. `self`: the local being
   * assigned, whose own paths are left out (`cur = cur.next` walks a chain; as an alias of itself a write through it
   * would never end). A module's or a function's binding whole is none: a write through them is no object's field.
   */
  protected aliasTargets(e: ts.Expression, self?: string): Alias[] {
    const out: Alias[] = [];
    const stack: ts.Expression[] = [e];
    while (stack.length > 0 && out.length < MAX_ALIASES) {
      const x = unwrap(stack.pop()!);
      if (isBinaryExpression(x)) {
        const op = x.operatorToken.kind;
        if (op === Kind.QuestionQuestionToken || op === Kind.BarBarToken) stack.push(x.right, x.left);
        else if (op === Kind.AmpersandAmpersandToken || op === Kind.CommaToken) stack.push(x.right);
        else if (isPlacingAssignment(op)) stack.push(x.left);
        continue;
      }
      if (isConditionalExpression(x)) {
        stack.push(x.whenFalse, x.whenTrue);
        continue;
      }
      // an element a built-in returns is the receiver's own element (`identifiers.find(isTax)`, `contacts.at(0)`,
      // `contacts.filter(isPrimary)[0]`); `sort` and `reverse` answer the receiver itself
      const built = this.builtinAnswer(x);
      if (built !== undefined) {
        const [kind, recv] = built;
        const found = kind === "element" ? this.elementAliases(recv) : kind === "same" ? this.aliasTargets(recv, self) : [];
        for (const a of found) if (out.length < MAX_ALIASES && !out.some((o) => o.id === a.id)) out.push(a);
        continue;
      }
      if (isElementAccessExpression(x) && this.builtinAnswer(unwrap(x.expression)) !== undefined) {
        for (const a of this.elementAliases(x.expression)) if (out.length < MAX_ALIASES && !out.some((o) => o.id === a.id)) out.push(a);
        continue;
      }
      if (!isIdentifier(x) && !isPropertyAccessExpression(x) && !isElementAccessExpression(x) && x.kind !== Kind.ThisKeyword) continue;
      const p = this.pathOf(x);
      if (!p) continue;
      if (p.root === "this" && p.path.length === 0) continue;
      if (p.root !== "this") {
        const b = p.root;
        if (b.fn || b.key.startsWith("f:") || (p.path.length === 0 && (b.importName || b.key.startsWith("m:")))) continue;
        if (b.key === self) continue;
      }
      const id = `${p.root === "this" ? "this" : p.root.key}|${p.path.join(".")}`;
      if (!out.some((a) => a.id === id)) out.push({ root: p.root, path: p.path, id });
    }
    return out;
  }

  /**
   * The access paths of the elements of the array `e` evaluates to: `a.items.[]`, and of a copy of an array whose
   * elements are the same objects (`a.items.filter(…)`, `slice`, `toSorted`, `toReversed`): the original's elements.
   */
  protected elementAliases(e: ts.Expression): Alias[] {
    const x = unwrap(e);
    const built = this.builtinAnswer(x);
    if (built !== undefined) return built[0] === "copy" || built[0] === "same" ? this.elementAliases(built[1]) : [];
    return this.aliasTargets(x).map((t) => ({ root: t.root, path: [...t.path, ELEMENTS], id: `${t.id}.${ELEMENTS}` }));
  }

  /**
   * What a call the built-ins answered (`builtinCalls`) gives of its receiver: one of its elements (`find`, `findLast`,
   * `at`), a new array of its elements (`filter`, `slice`, `toSorted`, `toReversed`), or the receiver itself (`sort`,
   * `reverse`); undefined for any other expression.
   */
  private builtinAnswer(x: ts.Expression): readonly ["element" | "copy" | "same", ts.Expression] | undefined {
    if (!isCallExpression(x) || !this.builtinCalls.has(x)) return undefined;
    const callee = unwrap(x.expression);
    if (!isPropertyAccessExpression(callee)) return undefined;
    const kind = BUILTIN_ANSWERS.get(callee.name.text);
    return kind === undefined ? undefined : [kind, callee.expression];
  }

  /** The local `key` now holds what `e` evaluated to: the object at `e`'s access paths, if it is one (none otherwise). */
  protected aliasLocal(key: string, e: ts.Expression | undefined): void {
    if (!key.startsWith("l:")) return;
    this.state.setAliases(key, e ? this.aliasTargets(e, key) : []);
  }

  /** The project module a binding holds whole (`const db = require("./database")`), if it holds one. */
  protected requiredModule(b: Binding): FileRef | undefined {
    const required = b.decl && isVariableDeclaration(b.decl) && b.decl.initializer ? requiredSpecifier(b.decl.initializer) : undefined;
    return required !== undefined && !this.lookup("require") ? this.resolveRelativeFile(required) : undefined;
  }

  /**
   * o.f = v where `o` is another module of the project (`const server = require("./server")`) or an object one exports
   * (`import { hooks } from "./server"`): the write lands in that module's flow-insensitive store — its exported
   * variable `f` (compiled CommonJS reads an exported `var` through `exports`, so assigning the module's property
   * reassigns it) or the object's field — where every read of it, in any function, sees v. A function assigned so (a
   * request handler installed by instrumentation) is what a call through that variable runs.
   */
  private writeIntoModule(b: Binding, path: string[], v: Value): void {
    if (b.importName) {
      const target = this.ctx.resolveImport(b.importName);
      if (target?.key.startsWith("m:")) this.ctx.writeStore(target.key, writePath(EMPTY, path, this.concreteOnly(v), false, this.fieldDepth), this.rec);
      return;
    }
    const file = this.requiredModule(b);
    if (!file) return;
    const stored = this.concreteOnly(v);
    this.ctx.writeStore(`x:${file.path}`, writePath(EMPTY, path, stored, false, this.fieldDepth), this.rec);
    const [name, ...rest] = path as [string, ...string[]];
    const member = this.ctx.moduleScope(file.sourceFile).get(name);
    if (member?.key.startsWith("m:")) this.ctx.writeStore(member.key, writePath(EMPTY, rest, stored, false, this.fieldDepth), this.rec);
  }

  protected assignTarget(target: ts.Node, v: Value, node: ts.Node): void {
    if (isVariableDeclarationList(target)) {
      const kind = target.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const) ? "block" : "function";
      for (const d of target.declarations) this.bindPattern(d.name, joinValues(v, this.sourcesOf(d, d.name, v)), kind);
      return;
    }
    const t = unwrap(target as ts.Expression);
    if (isObjectLiteralExpression(t)) {
      // ({ a, b: x } = v): destructuring assignment
      for (const p of t.properties) {
        if (isShorthandPropertyAssignment(p)) this.assignTarget(p.name, readField(v, p.name.text, this.fieldDepth), p);
        else if (isPropertyAssignment(p)) {
          const k = propertyNameText(p.name);
          this.assignTarget(p.initializer, readField(v, k ?? ELEMENTS, this.fieldDepth), p);
        } else if (isSpreadAssignment(p)) this.assignTarget(p.expression, v, p);
      }
      return;
    }
    if (isArrayLiteralExpression(t)) {
      // [a, b] = v: each target takes its position of a tuple, else the elements
      const els = readField(v, ELEMENTS, this.fieldDepth);
      for (const [i, el] of t.elements.entries()) {
        if (isSpreadElement(el)) this.assignTarget(el.expression, makeValue(undefined, new Map([[ELEMENTS, els]])), el);
        else if (!isOmittedExpression(el)) this.assignTarget(el, readPosition(v, i, this.fieldDepth), el);
      }
      return;
    }
    if (isBinaryExpression(t) && t.operatorToken.kind === Kind.EqualsToken) {
      // [a = d] = v: default joins
      this.assignTarget(t.left, joinValues(v, this.evalExpr(t.right)), t);
      return;
    }
    // o.x = v where x is a set accessor of a project class: the setter runs with v
    if (isPropertyAccessExpression(t) && this.ctx.setterNames.has(t.name.text)) {
      const setter = this.setterAt(t);
      if (setter) {
        const recv = t.expression.kind === Kind.ThisKeyword ? this.state.vars.get("this") ?? EMPTY : this.evalExpr(t.expression);
        this.callProject(t, setter, recv, t.expression, [v], []);
      }
    }
    if (this.isCommonJsExport(t)) {
      this.writeExports(t, v);
      return;
    }
    const p = this.pathOf(t);
    if (!p) {
      // a write into something that is not an access path (a call result's field): evaluate for its effects only
      if (isPropertyAccessExpression(t) || isElementAccessExpression(t)) this.evalExpr(t.expression);
      return;
    }
    const key = p.root === "this" && p.path[0] !== undefined ? this.classKey() : undefined;
    const enters = key ? `f:${key}:${p.path[0]}` : undefined;
    const stepped = isIdentifier(t)
      ? this.stepped(v, t, `assigned to \`${t.text}\``)
      : this.stepped(v, t, `stored in \`${shortText(t, this.file.sourceFile)}\``, "step", enters);
    this.writeAt(p, stepped, true);
    if (isPropertyAccessExpression(t) || isElementAccessExpression(t)) this.requestMemberWrite(t, stepped);
    void node;
  }

  /**
   * `req.audit = …` (or a write below it, `req.audit.username = …`) where the model says `audit` is a member the project
   * adds to a framework's request (model/request-members.ts): the concrete part of what is stored joins a
   * flow-insensitive store named by the request type and the member, which every read of that member on a request of
   * that framework gets (requestMemberRead) — what a middleware puts on the request reaches the handlers after it.
   */
  private requestMemberWrite(target: ts.PropertyAccessExpression | ts.ElementAccessExpression, v: Value): void {
    const path: string[] = [];
    let access: ts.Expression = target;
    for (;;) {
      const inner = unwrap(access);
      if (!isPropertyAccessExpression(inner) && !isElementAccessExpression(inner)) return;
      const object = unwrap(inner.expression);
      if (isIdentifier(object) && isPropertyAccessExpression(inner)) {
        const member = this.ctx.question.requestMemberAt?.(inner.expression, inner.name.text);
        if (!member) return;
        // what the request holds by its own declared type (`req.audit.ip` named in IAuthRequest, carried whole through
        // an unknown call such as `req.header("authorization")`) is not data put on the request: reads get it anyway
        const param = parameterNamed(object);
        const own = param ? paramPlace(param, this.ctx.fileOf(param) ?? this.file) : undefined;
        const concrete = filterFacts(this.concreteOnly(v), (f) => own === undefined || f.kind !== "class" || f.origin.place !== own);
        if (!hasTaint(concrete)) return;
        const stored = this.stepped(concrete, target, `stored on the ${member.label} as \`${inner.name.text}\``);
        this.ctx.writeStore(requestMemberKey(member.key), writePath(EMPTY, path.reverse(), stored, false, this.fieldDepth), this.rec);
        return;
      }
      path.push(isPropertyAccessExpression(inner) ? inner.name.text : (this.keyOf(inner.argumentExpression) ?? ELEMENTS));
      access = inner.expression;
    }
  }

  /** `req.audit` read off a request: what every write of that member stored (requestMemberWrite). */
  protected requestMemberRead(e: ts.PropertyAccessExpression): Value {
    return this.requestMemberValue(e.expression, e.name.text, e);
  }

  /** `const { audit } = req`: the destructured members hold what was stored on the request, like `req.audit`. */
  protected withRequestMembers(initializer: ts.Expression, pattern: ts.ObjectBindingPattern, v: Value): Value {
    let out = v;
    for (const element of pattern.elements) {
      if (element.dotDotDotToken) continue;
      const name = element.propertyName ? propertyNameText(element.propertyName) : isIdentifier(element.name) ? element.name.text : undefined;
      const stored = name !== undefined ? this.requestMemberValue(initializer, name, element) : EMPTY;
      if (hasTaint(stored)) out = writePath(out, [name!], stored, false, this.fieldDepth);
    }
    return out;
  }

  private requestMemberValue(receiver: ts.Expression, name: string, at: ts.Node): Value {
    if (!isIdentifier(unwrap(receiver))) return EMPTY;
    const member = this.ctx.question.requestMemberAt?.(receiver, name);
    if (!member) return EMPTY;
    const stored = this.ctx.readStore(requestMemberKey(member.key), this.rec);
    const shown = `${shortText(receiver, this.file.sourceFile)}.${name}`;
    return hasTaint(stored) ? this.stepped(stored, at, `read from \`${shown}\`, set on the ${member.label} before`) : EMPTY;
  }

  protected setterAt(t: ts.PropertyAccessExpression): ts.SetAccessorDeclaration | undefined {
    if (t.expression.kind === Kind.ThisKeyword) {
      return this.frame.classNode?.members.find(
        (m): m is ts.SetAccessorDeclaration => isSetAccessorDeclaration(m) && propertyNameText(m.name) === t.name.text && !!m.body,
      );
    }
    try {
      const sym = this.ctx.checker.getSymbolAtLocation(t.name);
      const d = sym?.declarations?.find((x): x is ts.SetAccessorDeclaration => isSetAccessorDeclaration(x) && !!x.body);
      return d && this.ctx.fileOf(d) ? d : undefined;
    } catch {
      return undefined;
    }
  }

  /** `module.exports = …`, `module.exports.x = …`, `exports.x = …`: the file's CommonJS exports. */
  protected isCommonJsExport(t: ts.Expression): boolean {
    let x = t;
    while (isPropertyAccessExpression(x) || isElementAccessExpression(x)) {
      const inner = x.expression;
      if (isIdentifier(inner) && (inner.text === "exports" || inner.text === "module") && !this.lookup(inner.text)) {
        return inner.text === "exports" || (isPropertyAccessExpression(x) && x.name.text === "exports");
      }
      x = inner;
    }
    return false;
  }

  protected writeExports(t: ts.Expression, v: Value): void {
    const path: string[] = [];
    let x = t;
    while (isPropertyAccessExpression(x) || isElementAccessExpression(x)) {
      path.push(isPropertyAccessExpression(x) ? x.name.text : this.keyOf(x.argumentExpression) ?? ELEMENTS);
      x = x.expression;
    }
    path.reverse();
    // drop the leading `exports` of module.exports
    if (isIdentifier(x) && x.text === "module") path.shift();
    this.ctx.writeStore(`x:${this.file.path}`, writePath(EMPTY, path, this.concreteOnly(v), false, this.fieldDepth), this.rec);
  }
}

/** The specifier of `require("./x")` when that is the expression (the module object it returns). */
function requiredSpecifier(e: ts.Expression): string | undefined {
  const x = unwrap(e);
  if (!isCallExpression(x) || !isIdentifier(x.expression) || x.expression.text !== "require") return undefined;
  const a0 = x.arguments[0];
  return a0 && isStringLiteralLike(a0) ? a0.text : undefined;
}

/** The store key of a member the project adds to a framework's request (`q:express#Request.audit`). */
function requestMemberKey(key: string): string {
  return `q:${key}`;
}

/** The parameter of an enclosing function that `name` refers to (the nearest one declaring it), if any. */
function parameterNamed(name: ts.Identifier): ts.ParameterDeclaration | undefined {
  for (let node: ts.Node | undefined = name.parent; node !== undefined && !isSourceFile(node); node = node.parent) {
    if (!isFunctionLike(node)) continue;
    const found = node.parameters.find((p) => isIdentifier(p.name) && p.name.text === name.text);
    if (found) return found;
  }
  return undefined;
}

/**
 * Whether a write into a module binding installs code its module calls later (called-bindings.ts), so that what a
 * function stores there of what it was handed is an effect of its summary. A binding of another file than the writer's
 * counts as one: the answer then depends on a file the writer's cache entry does not hash.
 */
function installsCode(b: Binding, writer: ts.Node): boolean {
  const decl = b.decl;
  if (!decl || decl.getSourceFile() !== writer.getSourceFile()) return true;
  return calledBindingNames(decl.getSourceFile()).has(b.key.slice(b.key.lastIndexOf(":") + 1));
}

/**
 * Traces kept per summary sink entry to choose its other paths from: a loop's body reaches its sinks once per round with
 * the same paths, and a wrapper has a handful of callers in one function.
 */
export const MAX_SINK_CANDIDATES = 8;
