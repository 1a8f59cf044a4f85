import { ts } from "ts-morph";
import { builtinConstructor, builtinFunction, builtinMethod, type BuiltinSite } from "./builtins.js";
import { isFunctionLike, moduleKey, qualifiedName, type Binding, type EngineContext, type FunctionRecord } from "./context.js";
import {
  Param,
  destinationValue,
  evaluateDestination,
  substituteParams,
  toDestination,
  type DestinationValue,
  type EvaluationEnvironment,
} from "./destinations/index.js";
import { classFact, symbolFact, withStep, type Fact, type SymbolFact } from "./facts.js";
import type { RestrictedDoor, SinkHit, SourceHit } from "../vocabulary/question.js";
import { EMPTY_SUMMARY, makeSummary, type CallbackEntry, type FlowRecord, type SinkEntry, type SinkSite, type Summary } from "./summary.js";
import { addStep, concatTrace, type FileRef } from "./trace.js";
import {
  ELEMENTS,
  EMPTY,
  capFacts,
  collectFacts,
  factsValue,
  flatten,
  joinAll,
  joinValues,
  makeValue,
  mapFacts,
  readField,
  readPath,
  truncate,
  valueLeq,
  isEmpty as isEmptyValue,
  withoutFields,
  writePath,
  type FnRef,
  type Value,
} from "./value.js";

/** Variables of one program point: local keys to values. Module bindings and class fields live in the context's stores. */
class State {
  constructor(
    public vars: Map<string, Value> = new Map(),
    public alive = true,
  ) {}
  clone(): State {
    return new State(new Map(this.vars), this.alive);
  }
  /** Join of two program points; a dead one (after return/throw) contributes nothing. */
  static join(a: State, b: State): State {
    if (!a.alive) return b.clone();
    if (!b.alive) return a.clone();
    const out = a.clone();
    for (const [k, v] of b.vars) {
      const old = out.vars.get(k);
      out.vars.set(k, old ? joinValues(old, v) : v);
    }
    return out;
  }
  leq(other: State): boolean {
    if (!this.alive) return true;
    if (!other.alive) return false;
    for (const [k, v] of this.vars) {
      const o = other.vars.get(k);
      if (!o ? !valueLeq(v, EMPTY) : !valueLeq(v, o)) return false;
    }
    return true;
  }
}

interface Scope {
  readonly names: Map<string, Binding>;
  readonly parent: Scope | undefined;
  /** Function scopes take `var`; the module scope maps to the context's module store. */
  readonly kind: "block" | "function" | "module";
}

interface Control {
  readonly kind: "loop" | "switch" | "label";
  readonly labels: string[];
  readonly breaks: State[];
  readonly continues: State[];
}

/** One function body being interpreted (the analysed function, or a closure inlined at its call). */
interface Frame {
  readonly fn: ts.Node;
  readonly name: string;
  readonly vetted: boolean;
  /** The door vetted for some data classes only that this body belongs to. */
  readonly door: RestrictedDoor | undefined;
  returns: Value;
  /** Join of `this` and parameter trees at every exit: the function's effects on its caller's objects. */
  exits: State | undefined;
  readonly params: { key: string; root: string }[];
  readonly classNode: ts.ClassLikeDeclaration | undefined;
  readonly generator: boolean;
  controls: Control[];
  throws: State[][];
}

const MAX_NESTING = 500;
const MAX_CALLEE_NESTING = 150;

const COMPARISON = new Set([
  ts.SyntaxKind.EqualsEqualsToken, ts.SyntaxKind.EqualsEqualsEqualsToken, ts.SyntaxKind.ExclamationEqualsToken,
  ts.SyntaxKind.ExclamationEqualsEqualsToken, ts.SyntaxKind.LessThanToken, ts.SyntaxKind.GreaterThanToken,
  ts.SyntaxKind.LessThanEqualsToken, ts.SyntaxKind.GreaterThanEqualsToken, ts.SyntaxKind.InstanceOfKeyword,
  ts.SyntaxKind.InKeyword,
]);

/** Doors nested in doors: a class is vetted when any of them vets it (the outer door is the reviewed way out). */
function joinDoors(outer: RestrictedDoor | undefined, inner: RestrictedDoor | undefined): RestrictedDoor | undefined {
  if (!outer || !inner || outer === inner) return outer ?? inner;
  return { label: inner.label, classes: [...new Set([...outer.classes, ...inner.classes])].sort() };
}

function isAssignmentOperator(k: ts.SyntaxKind): boolean {
  return k >= ts.SyntaxKind.FirstAssignment && k <= ts.SyntaxKind.LastAssignment;
}

/** Operators whose result carries both operands' data: `+` chains are walked iteratively (no recursion per term). */
function isCombining(k: ts.SyntaxKind): boolean {
  return !isAssignmentOperator(k) && !COMPARISON.has(k) && k !== ts.SyntaxKind.CommaToken &&
    k !== ts.SyntaxKind.AmpersandAmpersandToken && k !== ts.SyntaxKind.BarBarToken &&
    k !== ts.SyntaxKind.QuestionQuestionToken;
}

function unwrap(e: ts.Expression): ts.Expression {
  let x = e;
  for (;;) {
    switch (x.kind) {
      case ts.SyntaxKind.ParenthesizedExpression:
      case ts.SyntaxKind.AsExpression:
      case ts.SyntaxKind.NonNullExpression:
      case ts.SyntaxKind.TypeAssertionExpression:
      case ts.SyntaxKind.SatisfiesExpression:
      case ts.SyntaxKind.AwaitExpression:
        // (e), e as T, e!, await e: the value of e (a promise's facts are its value's facts)
        x = (x as ts.ParenthesizedExpression).expression;
        continue;
      default:
        return x;
    }
  }
}

function propertyNameText(name: ts.PropertyName | ts.BindingName | undefined): string | undefined {
  if (!name) return undefined;
  if (ts.isIdentifier(name) || ts.isStringLiteral(name) || ts.isNumericLiteral(name) || ts.isPrivateIdentifier(name)) {
    return name.text;
  }
  if (ts.isNoSubstitutionTemplateLiteral(name)) return name.text;
  if (ts.isComputedPropertyName(name)) {
    const e = name.expression;
    if (ts.isStringLiteralLike(e) || ts.isNumericLiteral(e)) return e.text;
  }
  return undefined;
}

function shortText(node: ts.Node, sf: ts.SourceFile): string {
  const t = node.getText(sf).replace(/\s+/g, " ");
  return t.length > 60 ? `${t.slice(0, 57)}...` : t;
}

function calleeText(call: ts.CallExpression | ts.NewExpression, sf: ts.SourceFile): string {
  let e: ts.Expression = call.expression;
  if (ts.isPropertyAccessExpression(e)) return shortText(e.name, sf);
  e = unwrap(e);
  return ts.isIdentifier(e) ? e.text : shortText(e, sf);
}

/** The dotted name of a callee built from identifiers only (`JSON.stringify`, `Object.assign`), for built-ins. */
function dottedName(e: ts.Expression): string | undefined {
  if (ts.isIdentifier(e)) return e.text;
  if (ts.isPropertyAccessExpression(e)) {
    const left = dottedName(e.expression);
    return left ? `${left}.${e.name.text}` : undefined;
  }
  return undefined;
}

function isLiteralExpression(e: ts.Expression): boolean {
  switch (e.kind) {
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NumericLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.NullKeyword:
    case ts.SyntaxKind.BigIntLiteral:
      return true;
    default:
      return ts.isIdentifier(e) && e.text === "undefined";
  }
}

function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (ts.isClassDeclaration(n) || ts.isClassExpression(n)) return n;
    if (ts.isFunctionDeclaration(n) || ts.isFunctionExpression(n)) return undefined;
  }
  return undefined;
}

/** Whether `inner` is lexically inside `outer` (a closure of it). */
function isInside(inner: ts.Node, outer: ts.Node): boolean {
  if (inner === outer) return false;
  for (let n = inner.parent; n; n = n.parent) if (n === outer) return true;
  return false;
}

/** Interprets one function body (flow-sensitively, by structure) and produces its summary and its concrete flows. */
export class FunctionAnalysis implements BuiltinSite {
  private state = new State();
  private scope: Scope;
  private frame!: Frame;
  private readonly file: FileRef;
  private readonly sinks: SinkEntry[] = [];
  /** State keys of the analysed function's parameters, to their positions (destinations evaluate them as Param(i)). */
  private readonly paramIndex = new Map<string, number>();
  private readonly callbacks: CallbackEntry[] = [];
  /** Summary sink entries by fact × sink argument × destination, to their index in `sinks`. */
  private readonly sinkIndex = new Map<string, number>();
  private readonly siteKeys = new Map<SinkSite, string>();
  private readonly flows: FlowRecord[] = [];
  private readonly egress = new Map<ts.Node, { site: SinkSite; classes: Set<string> }>();
  private readonly unresolved = new Set<ts.Node>();
  private steps = 0;
  private cheap = false;
  private inlineStack: ts.Node[] = [];
  readonly fieldDepth: number;
  /** Receiver path of the call being modelled by a built-in (for `arr.push(x)`), and its arguments' paths. */
  private builtinTarget: { recv?: ts.Expression; args: readonly ts.Expression[]; call?: ts.Node } = { args: [] };

  constructor(
    private readonly ctx: EngineContext,
    private readonly rec: FunctionRecord,
  ) {
    this.file = rec.file;
    this.fieldDepth = ctx.budgets.fieldDepth;
    this.scope = { names: ctx.moduleScope(rec.file.sourceFile), parent: undefined, kind: "module" };
  }

  /** Analyses the record's body from symbolic parameters; returns its summary. Flows land on the record. */
  run(): Summary {
    const node = this.rec.node;
    let summary: Summary;
    if (ts.isSourceFile(node)) {
      this.frame = this.newFrame(node, undefined);
      this.execStatements(node.statements);
      summary = { returns: EMPTY, effects: new Map(), sinks: [], callbacks: [], key: "" };
    } else {
      const fn = node as ts.SignatureDeclaration;
      const cls = enclosingClass(fn);
      this.frame = this.newFrame(fn, cls);
      this.scope = { names: new Map(), parent: this.scope, kind: "function" };
      this.state.vars.set("this", factsValue(new Map([["s|this|", symbolFact("this", [], undefined)]])));
      const params = fn.parameters.map((_, i) => this.symbolic(`p${i}`));
      this.enterFunction(fn, params, cls);
      const effects = new Map<string, Value>();
      const exit = this.frame.exits ?? this.state;
      for (const p of this.frame.params) {
        const v = exit.vars.get(p.key);
        if (v?.fields) effects.set(p.root, makeValue(undefined, v.fields));
      }
      const thisV = exit.vars.get("this");
      if (thisV?.fields) effects.set("this", makeValue(undefined, thisV.fields));
      const returns = capFacts(truncate(this.frame.returns, this.fieldDepth), this.ctx.budgets.factsPerPath, () =>
        this.budget("budget-facts", `facts per path capped in the return value of ${this.rec.name}`),
      );
      let sinks = this.sinks;
      if (sinks.length > this.ctx.budgets.summaryEntries) {
        this.budget(
          "budget-summary",
          `summary of ${this.rec.name} cut to ${this.ctx.budgets.summaryEntries} sink entries (of ${sinks.length})`,
        );
        sinks = sinks.slice(0, this.ctx.budgets.summaryEntries);
      }
      const callbacks = this.callbacks;
      summary = makeSummary(returns, effects, sinks, callbacks);
    }
    this.keepPartial();
    return summary;
  }

  /** The flows and egress found so far become the record's (all of them once `run` has finished). */
  keepPartial(): void {
    this.rec.flows = this.flows;
    this.rec.egress = this.egress;
    this.rec.unresolved = this.unresolved;
  }

  private symbolic(root: string): Value {
    const f = symbolFact(root, [], undefined);
    return factsValue(new Map([[f.key, f]]));
  }

  private newFrame(fn: ts.Node, cls: ts.ClassLikeDeclaration | undefined): Frame {
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
    };
  }

  /** Binds parameters, runs field initialisers for constructors, then the body. */
  private enterFunction(fn: ts.SignatureDeclaration, args: Value[], cls: ts.ClassLikeDeclaration | undefined): void {
    fn.parameters.forEach((p, i) => {
      let v = p.dotDotDotToken ? makeValue(undefined, new Map([[ELEMENTS, joinAll(args.slice(i))]])) : args[i] ?? EMPTY;
      if (p.dotDotDotToken && args[i]?.facts && [...args[i]!.facts!.values()].some((f) => f.kind === "symbol")) {
        v = args[i]!;
      }
      if (p.initializer) v = joinValues(v, this.evalExpr(p.initializer));
      v = joinValues(v, this.sourcesOf(p, p.name));
      if (ts.isIdentifier(p.name)) {
        const key = this.declare(p.name, "function");
        this.frame.params.push({ key, root: `p${i}` });
        this.paramIndex.set(key, i);
        this.state.vars.set(key, v);
        // constructor(private phone: string): the parameter is also this.phone
        if (ts.isConstructorDeclaration(fn) && ts.isParameterPropertyDeclaration(p, fn)) {
          this.writeThisField([p.name.text], v, p);
        }
      } else {
        this.bindPattern(p.name, v, "function");
      }
    });
    if (ts.isConstructorDeclaration(fn) && cls) this.initialiseFields(cls);
    const body = (fn as ts.FunctionLikeDeclaration).body;
    if (!body) return;
    if (ts.isBlock(body)) this.execStatements(body.statements);
    else this.frame.returns = joinValues(this.frame.returns, this.evalExpr(body));
    this.recordExit();
  }

  /** Instance field initialisers (`private last = user.phone`) run at the start of the constructor. */
  private initialiseFields(cls: ts.ClassLikeDeclaration): void {
    for (const m of cls.members) {
      if (ts.isPropertyDeclaration(m) && m.initializer && !ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword)) {
        const name = propertyNameText(m.name);
        if (name) this.writeThisField([name], this.evalExpr(m.initializer), m);
      }
    }
  }

  private recordExit(): void {
    if (!this.state.alive) return;
    const snap = new State(new Map(), true);
    for (const p of this.frame.params) {
      const v = this.state.vars.get(p.key);
      if (v) snap.vars.set(p.key, v);
    }
    const t = this.state.vars.get("this");
    if (t) snap.vars.set("this", t);
    this.frame.exits = this.frame.exits ? State.join(this.frame.exits, snap) : snap;
  }

  // ---- budgets and notifications ---------------------------------------------------------------------------

  private budget(id: string, message: string, node?: ts.Node): void {
    this.ctx.notify(id, "warning", message, node, true);
  }

  /** One transfer step; past the per-function budget, loops stop iterating and closures stop being inlined. */
  private tick(node: ts.Node): void {
    if (++this.steps === this.ctx.budgets.stepsPerFunction) {
      this.cheap = true;
      this.budget(
        "budget-steps",
        `step budget (${this.ctx.budgets.stepsPerFunction}) spent in ${this.rec.name}: the rest of it is analysed with one pass per loop and without inlining callbacks`,
        node,
      );
    }
  }

  // ---- scopes ------------------------------------------------------------------------------------------------

  private declare(id: ts.Identifier, kind: "block" | "function"): string {
    let s: Scope = this.scope;
    if (kind === "function") while (s.kind === "block" && s.parent) s = s.parent;
    const key = s.kind === "module" ? moduleKey(this.file.path, id) : `l:${id.pos}:${id.text}`;
    if (s.kind !== "module") s.names.set(id.text, { key });
    return key;
  }

  private lookup(name: string): Binding | undefined {
    for (let s: Scope | undefined = this.scope; s; s = s.parent) {
      const b = s.names.get(name);
      if (b) return b;
    }
    return undefined;
  }

  private readBinding(b: Binding): Value {
    if (b.importName) {
      const target = this.ctx.resolveImport(b.importName);
      return target ? this.readBinding(target) : EMPTY;
    }
    if (b.fn) return makeValue(undefined, undefined, [{ node: b.fn, file: this.ctx.fileOf(b.fn) ?? this.file }]);
    if (b.key.startsWith("m:")) return this.ctx.readStore(b.key, this.rec);
    if (b.key.startsWith("f:")) return EMPTY;
    return this.state.vars.get(b.key) ?? EMPTY;
  }

  private writeBinding(b: Binding, v: Value): void {
    if (b.key.startsWith("m:")) {
      this.ctx.writeStore(b.key, this.concreteOnly(v), this.rec);
      // a module binding also keeps its flow-sensitive value within this body
      return;
    }
    if (b.key.startsWith("f:") || b.importName) return;
    this.state.vars.set(b.key, this.bounded(v));
  }

  private bounded(v: Value): Value {
    let out = v;
    if (out.depth > this.fieldDepth) {
      this.budget("budget-field-depth", `field paths deeper than ${this.fieldDepth} cut in ${this.frame.name}`);
      out = truncate(out, this.fieldDepth);
    }
    return capFacts(out, this.ctx.budgets.factsPerPath, () =>
      this.budget("budget-facts", `more than ${this.ctx.budgets.factsPerPath} facts on one path in ${this.frame.name}: kept the shortest per data class`),
    );
  }

  /** Symbolic facts only mean something inside this function: stores keep concrete data. */
  private concreteOnly(v: Value): Value {
    return mapFacts(v, (f) => (f.kind === "class" ? f : undefined));
  }

  // ---- sources -----------------------------------------------------------------------------------------------

  /**
   * Restricted data the Question sees at a read. `carried` is the value already flowing there: a name that only
   * repeats a class the value carries (`const phone = user.phone`, `{ phone: user.phone }`) adds no second source.
   */
  private sourcesOf(node: ts.Node, shown: ts.Node = node, carried?: Value): Value {
    let hits: readonly SourceHit[];
    hits = this.ctx.question.sourcesAt(node);
    if (hits.length === 0) return EMPTY;
    // a parameter's or a `this` field's name: callers may put their own (more upstream) sources there
    const shadowable =
      ts.isParameter(node) ||
      ((ts.isPropertyAccessExpression(node) || ts.isElementAccessExpression(node)) &&
        node.expression.kind === ts.SyntaxKind.ThisKeyword);
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
    if (ts.isParameter(node)) place = paramPlace(node, this.ctx.fileOf(node) ?? this.file);
    else if (shadowable) {
      const name = ts.isPropertyAccessExpression(node) ? node.name.text : this.constantKey((node as ts.ElementAccessExpression).argumentExpression);
      const key = this.classKey();
      if (name && key) place = `f:${key}:${name}`;
    }
    return this.sourceValue(hits, node, shown, shadowable, place);
  }

  private sourceValue(hits: readonly SourceHit[], node: ts.Node, shown: ts.Node, shadowable = false, place?: string): Value {
    let out = EMPTY;
    const expression = shortText(shown, this.file.sourceFile);
    for (const h of hits) {
      const origin = { dataClass: h.dataClass, reason: h.reason, node: shown, file: this.file, expression, shadowable, place };
      const where = h.path && h.path.length > 0 ? `${expression}.${h.path.join(".")}` : expression;
      const step = addStep(undefined, shown, this.file, `${h.dataClass} read from \`${where}\``, "source");
      const f = classFact(origin, step);
      const v = factsValue(new Map([[f.key, f]]));
      out = joinValues(out, h.path && h.path.length > 0 ? writePath(EMPTY, h.path, v, false, this.fieldDepth) : v);
    }
    void node;
    return out;
  }

  // ---- statements --------------------------------------------------------------------------------------------

  private execStatements(stmts: readonly ts.Statement[]): void {
    const outer = this.scope;
    this.scope = { names: new Map(), parent: outer, kind: outer.kind === "module" && this.frame.fn === this.rec.node && ts.isSourceFile(this.rec.node) ? "module" : "block" };
    if (this.scope.kind === "module") (this.scope as { names: Map<string, Binding> }).names = outer.names;
    // hoisting: function declarations are callable before their statement
    for (const st of stmts) {
      if (ts.isFunctionDeclaration(st) && st.name && this.scope.kind !== "module") {
        this.scope.names.set(st.name.text, { key: `f:${this.file.path}:${st.pos}`, fn: st });
      }
    }
    for (const st of stmts) {
      if (!this.state.alive) break;
      this.execStatement(st);
    }
    this.scope = outer;
  }

  private execStatement(st: ts.Statement): void {
    this.tick(st);
    if (this.ctx.depth > MAX_NESTING) {
      this.budget(
        "budget-nesting",
        `statements nested too deeply in ${this.frame.name}: approximated (every variable assigned there may hold any data read there; sinks inside are not analysed)`,
        st,
      );
      this.approximateStatement(st);
      return;
    }
    this.ctx.depth++;
    try {
      this.execStatementInner(st);
    } finally {
      this.ctx.depth--;
    }
  }

  private execStatementInner(st: ts.Statement): void {
    switch (st.kind) {
      case ts.SyntaxKind.Block:
        this.execStatements((st as ts.Block).statements);
        return;
      case ts.SyntaxKind.VariableStatement:
        this.execDeclarationList((st as ts.VariableStatement).declarationList);
        return;
      case ts.SyntaxKind.ExpressionStatement:
        this.evalExpr((st as ts.ExpressionStatement).expression);
        return;
      case ts.SyntaxKind.IfStatement: {
        // if: both arms from the state after the condition, joined
        const s = st as ts.IfStatement;
        this.evalExpr(s.expression);
        const before = this.state.clone();
        this.execStatement(s.thenStatement);
        const afterThen = this.state;
        this.state = before;
        if (s.elseStatement) this.execStatement(s.elseStatement);
        this.state = State.join(afterThen, this.state);
        return;
      }
      case ts.SyntaxKind.ReturnStatement: {
        // return e: the whole value of e joins the function's return value
        const e = (st as ts.ReturnStatement).expression;
        if (e) this.frame.returns = joinValues(this.frame.returns, this.evalExpr(e));
        this.recordExit();
        this.state.alive = false;
        return;
      }
      case ts.SyntaxKind.ThrowStatement: {
        this.evalExpr((st as ts.ThrowStatement).expression);
        this.frame.throws[this.frame.throws.length - 1]?.push(this.state.clone());
        this.state.alive = false;
        return;
      }
      case ts.SyntaxKind.ForStatement: {
        const s = st as ts.ForStatement;
        const outer = this.scope;
        this.scope = { names: new Map(), parent: outer, kind: "block" };
        if (s.initializer) {
          if (ts.isVariableDeclarationList(s.initializer)) this.execDeclarationList(s.initializer);
          else this.evalExpr(s.initializer);
        }
        this.loop(st, () => {
          if (s.condition) this.evalExpr(s.condition);
        }, () => {
          this.execStatement(s.statement);
        }, () => {
          if (s.incrementor) this.evalExpr(s.incrementor);
        });
        this.scope = outer;
        return;
      }
      case ts.SyntaxKind.WhileStatement: {
        const s = st as ts.WhileStatement;
        this.loop(st, () => this.evalExpr(s.expression), () => this.execStatement(s.statement));
        return;
      }
      case ts.SyntaxKind.DoStatement: {
        const s = st as ts.DoStatement;
        this.loop(st, undefined, () => this.execStatement(s.statement), () => this.evalExpr(s.expression));
        return;
      }
      case ts.SyntaxKind.ForOfStatement:
      case ts.SyntaxKind.ForInStatement: {
        // for (x of xs): x takes the elements of xs on every round; for (k in o): k is a field name (no data)
        const s = st as ts.ForOfStatement;
        const coll = this.evalExpr(s.expression);
        const item = st.kind === ts.SyntaxKind.ForOfStatement ? readField(coll, ELEMENTS, this.fieldDepth) : EMPTY;
        const outer = this.scope;
        this.scope = { names: new Map(), parent: outer, kind: "block" };
        this.loop(st, () => {
          this.assignTarget(s.initializer, item, s.initializer);
        }, () => this.execStatement(s.statement));
        this.scope = outer;
        return;
      }
      case ts.SyntaxKind.TryStatement:
        this.execTry(st as ts.TryStatement);
        return;
      case ts.SyntaxKind.SwitchStatement:
        this.execSwitch(st as ts.SwitchStatement);
        return;
      case ts.SyntaxKind.LabeledStatement: {
        const s = st as ts.LabeledStatement;
        const inner = s.statement;
        if (ts.isIterationStatement(inner, false)) {
          this.pendingLabels.push(s.label.text);
          this.execStatement(inner);
          return;
        }
        const c: Control = { kind: "label", labels: [s.label.text], breaks: [], continues: [] };
        this.frame.controls.push(c);
        this.execStatement(inner);
        this.frame.controls.pop();
        for (const b of c.breaks) this.state = State.join(this.state, b);
        return;
      }
      case ts.SyntaxKind.BreakStatement:
      case ts.SyntaxKind.ContinueStatement: {
        const s = st as ts.BreakStatement;
        const label = s.label?.text;
        const isBreak = st.kind === ts.SyntaxKind.BreakStatement;
        for (let i = this.frame.controls.length - 1; i >= 0; i--) {
          const c = this.frame.controls[i]!;
          const matches = label ? c.labels.includes(label) : isBreak ? c.kind !== "label" : c.kind === "loop";
          if (matches) {
            (isBreak ? c.breaks : c.continues).push(this.state.clone());
            break;
          }
        }
        this.state.alive = false;
        return;
      }
      case ts.SyntaxKind.FunctionDeclaration:
        // hoisted in execStatements; analysed on its own (and inlined where called)
        return;
      case ts.SyntaxKind.ClassDeclaration:
        this.execClassStatics(st as ts.ClassDeclaration);
        return;
      case ts.SyntaxKind.ExportAssignment: {
        // export default e / export = e: the module's exports
        const v = this.evalExpr((st as ts.ExportAssignment).expression);
        this.ctx.writeStore(`x:${this.file.path}`, this.concreteOnly(v), this.rec);
        return;
      }
      default:
        return;
    }
  }

  private pendingLabels: string[] = [];

  private execClassStatics(cls: ts.ClassDeclaration): void {
    for (const m of cls.members) {
      if (ts.isPropertyDeclaration(m) && m.initializer && ts.getModifiers(m)?.some((x) => x.kind === ts.SyntaxKind.StaticKeyword)) {
        this.evalExpr(m.initializer);
      }
    }
  }

  private execDeclarationList(list: ts.VariableDeclarationList): void {
    const kind = list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using) ? "block" : "function";
    for (const d of list.declarations) {
      // const x = e: x takes e's value (and is itself a source when its name or type says so)
      let v = d.initializer ? this.evalExpr(d.initializer) : EMPTY;
      if (ts.isIdentifier(d.name)) {
        v = joinValues(this.stepped(v, d.name, `assigned to \`${d.name.text}\``), this.sourcesOf(d, d.name, v));
        const key = this.declare(d.name, kind);
        const b: Binding = { key };
        this.writeBinding(b, v);
      } else {
        this.bindPattern(d.name, v, kind);
      }
    }
  }

  /** Appends one step to every fact of a value (an assignment, a call boundary). */
  private stepped(v: Value, node: ts.Node, message: string, role: "step" | "call" | "return" = "step", enters?: string): Value {
    if (!v.facts && !v.fields) return v;
    return mapFacts(v, (f) => withStep(f, addStep(f.step, node, this.file, message, role, enters)));
  }

  /** Destructuring: `{ a, b: c = d, ...rest }` and `[x, , ...ys]` bind parts of the value. */
  private bindPattern(name: ts.BindingName, v: Value, kind: "block" | "function" | "assign"): void {
    if (ts.isIdentifier(name)) {
      const val = this.stepped(v, name, `assigned to \`${name.text}\``);
      if (kind === "assign") {
        const b = this.lookup(name.text);
        if (b) this.writeBinding(b, val);
        return;
      }
      const key = this.declare(name, kind);
      this.writeBinding({ key }, val);
      return;
    }
    if (ts.isObjectBindingPattern(name)) {
      const named: string[] = [];
      for (const el of name.elements) {
        if (el.dotDotDotToken) {
          // { ...rest }: everything except the fields named before it
          this.bindPattern(el.name, withoutFields(v, named), kind);
          continue;
        }
        const prop = propertyNameText(el.propertyName ?? el.name);
        let part = prop !== undefined ? readField(v, prop, this.fieldDepth) : readField(v, ELEMENTS, this.fieldDepth);
        if (prop !== undefined) named.push(prop);
        if (el.initializer) part = joinValues(part, this.evalExpr(el.initializer));
        part = joinValues(part, this.sourcesOf(el, el.name, part));
        this.bindPattern(el.name, part, kind);
      }
      return;
    }
    // [a, b, ...rest]: each element (and the rest) takes the elements of the value
    const els = readField(v, ELEMENTS, this.fieldDepth);
    for (const el of name.elements) {
      if (ts.isOmittedExpression(el)) continue;
      let part = el.dotDotDotToken ? makeValue(undefined, new Map([[ELEMENTS, els]])) : els;
      if (el.initializer) part = joinValues(part, this.evalExpr(el.initializer));
      this.bindPattern(el.name, part, kind);
    }
  }

  /**
   * Iterates a loop body until the state stops growing (bounded by the loop-rounds budget), joining `continue`s into
   * the head and `break`s into the exit.
   */
  private loop(node: ts.Node, head: (() => void) | undefined, body: () => void, tail?: () => void): void {
    const labels = this.pendingLabels;
    this.pendingLabels = [];
    const c: Control = { kind: "loop", labels, breaks: [], continues: [] };
    this.frame.controls.push(c);
    const entry = this.state.clone();
    const rounds = this.cheap ? 1 : this.ctx.budgets.loopRounds;
    let converged = false;
    for (let round = 0; round < rounds; round++) {
      const before = this.state.clone();
      head?.();
      const afterHead = this.state.clone();
      c.continues.length = 0;
      body();
      for (const k of c.continues) this.state = State.join(this.state, k);
      tail?.();
      this.state = State.join(this.state, afterHead);
      this.state = State.join(before, this.state);
      if (this.state.leq(before)) {
        converged = true;
        break;
      }
    }
    if (!converged && !this.cheap) {
      this.budget("budget-loop", `loop did not reach a fixpoint in ${this.ctx.budgets.loopRounds} rounds in ${this.frame.name}`, node);
    }
    this.frame.controls.pop();
    let exit = State.join(entry, this.state);
    for (const b of c.breaks) exit = State.join(exit, b);
    this.state = exit;
  }

  /** try/catch/finally: catch starts from the join of the states inside try; finally runs on every exit. */
  private execTry(s: ts.TryStatement): void {
    const entry = this.state.clone();
    const points: State[] = [];
    this.frame.throws.push(points);
    const outerScope = this.scope;
    this.scope = { names: new Map(), parent: outerScope, kind: "block" };
    for (const st of s.tryBlock.statements) {
      if (!this.state.alive) break;
      this.execStatement(st);
      points.push(this.state.clone());
    }
    this.scope = outerScope;
    this.frame.throws.pop();
    let out = this.state;
    if (s.catchClause) {
      let start = entry;
      for (const p of points) start = State.join(start, p);
      start.alive = true;
      this.state = start;
      const outer = this.scope;
      this.scope = { names: new Map(), parent: outer, kind: "block" };
      const decl = s.catchClause.variableDeclaration;
      if (decl) this.bindPattern(decl.name, EMPTY, "block");
      this.execStatements(s.catchClause.block.statements);
      this.scope = outer;
      out = State.join(out, this.state);
    }
    if (s.finallyBlock) {
      const wasAlive = out.alive;
      this.state = out;
      this.state.alive = true;
      this.execStatements(s.finallyBlock.statements);
      if (!wasAlive) this.state.alive = false;
    } else {
      this.state = out;
    }
  }

  private execSwitch(s: ts.SwitchStatement): void {
    this.evalExpr(s.expression);
    const entry = this.state.clone();
    const c: Control = { kind: "switch", labels: [], breaks: [], continues: [] };
    this.frame.controls.push(c);
    let fall: State | undefined;
    let hasDefault = false;
    for (const clause of s.caseBlock.clauses) {
      if (ts.isDefaultClause(clause)) hasDefault = true;
      else {
        this.state = entry.clone();
        this.evalExpr(clause.expression);
      }
      // each case starts from the entry joined with the fall-through of the previous one
      this.state = fall ? State.join(entry, fall) : entry.clone();
      this.execStatements(clause.statements);
      fall = this.state;
    }
    this.frame.controls.pop();
    let exit = fall ?? entry.clone();
    if (!hasDefault) exit = State.join(exit, entry);
    for (const b of c.breaks) exit = State.join(exit, b);
    // a continue inside a switch belongs to the enclosing loop
    const loop = [...this.frame.controls].reverse().find((x) => x.kind === "loop");
    if (loop) loop.continues.push(...c.continues);
    this.state = exit;
  }

  // ---- expressions -------------------------------------------------------------------------------------------

  evalExpr(node: ts.Expression): Value {
    this.tick(node);
    if (this.ctx.depth > MAX_NESTING) {
      this.budget("budget-nesting", `expression nested too deeply in ${this.frame.name}: approximated by the data it mentions`, node);
      return this.approximate(node);
    }
    this.ctx.depth++;
    try {
      return this.evalInner(unwrap(node));
    } finally {
      this.ctx.depth--;
    }
  }

  /**
   * Degraded evaluation for input nested past the interpreter's depth guard: an iterative walk that joins every
   * variable and source the subtree mentions. Over-approximates; never recurses.
   */
  private approximate(root: ts.Node): Value {
    let out = EMPTY;
    const stack: ts.Node[] = [root];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (isFunctionLike(n)) continue;
      if (ts.isIdentifier(n)) {
        const p = n.parent;
        const isName = p && (ts.isPropertyAccessExpression(p) || ts.isPropertyAssignment(p)) && p.name === n;
        const b = isName ? undefined : this.lookup(n.text);
        if (b) out = joinValues(out, flatten(this.readBinding(b)));
      } else if (ts.isPropertyAccessExpression(n) || ts.isElementAccessExpression(n)) {
        out = joinValues(out, this.sourcesOf(n));
      }
      ts.forEachChild(n, (c) => {
        stack.push(c);
      });
    }
    return flatten(out);
  }

  /** Degraded statement: whatever it reads may end up in whatever it assigns (weakly). Iterative. */
  private approximateStatement(st: ts.Statement): void {
    const v = this.approximate(st);
    if (!v.facts) return;
    const stack: ts.Node[] = [st];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (isFunctionLike(n)) continue;
      let target: ts.Node | undefined;
      if (ts.isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind)) target = n.left;
      else if (ts.isVariableDeclaration(n)) target = n.name;
      if (target && ts.isIdentifier(target)) {
        const b = this.lookup(target.text) ?? (ts.isVariableDeclaration(n) ? { key: this.declare(target, "block") } : undefined);
        if (b) this.writeBinding(b, joinValues(this.readBinding(b), v));
      }
      ts.forEachChild(n, (c) => {
        stack.push(c);
      });
    }
  }

  private evalInner(node: ts.Expression): Value {
    switch (node.kind) {
      case ts.SyntaxKind.Identifier: {
        const id = node as ts.Identifier;
        if (id.text === "undefined") return EMPTY;
        const b = this.lookup(id.text);
        return b ? this.readBinding(b) : EMPTY;
      }
      case ts.SyntaxKind.ThisKeyword:
        return this.readThis();
      case ts.SyntaxKind.PropertyAccessExpression: {
        // o.f: the field's facts (plus o's deep facts), and a source if the Question says so
        const e = node as ts.PropertyAccessExpression;
        const name = e.name.text;
        let v: Value;
        if (e.expression.kind === ts.SyntaxKind.ThisKeyword) v = this.readThisField(name);
        else {
          const obj = this.evalExpr(e.expression);
          // url.href / url.search: the whole URL as a string; url.searchParams: the URL object's own parts
          const urlPart = (name === "href" || name === "search" || name === "searchParams") && !obj.fields?.has(name);
          if (name === "length" && !obj.fields?.has(name)) return EMPTY; // a count, not the data
          v = urlPart ? (name === "searchParams" ? obj : flatten(obj)) : readField(obj, name, this.fieldDepth);
        }
        return joinValues(v, this.sourcesOf(e, e, v));
      }
      case ts.SyntaxKind.ElementAccessExpression: {
        const e = node as ts.ElementAccessExpression;
        const key = this.constantKey(e.argumentExpression);
        const obj = e.expression.kind === ts.SyntaxKind.ThisKeyword && key !== undefined ? undefined : this.evalExpr(e.expression);
        if (key === undefined) this.evalExpr(e.argumentExpression);
        const v = obj === undefined ? this.readThisField(key!) : readField(obj, key ?? ELEMENTS, this.fieldDepth);
        return joinValues(v, this.sourcesOf(e, e, v));
      }
      case ts.SyntaxKind.CallExpression:
      case ts.SyntaxKind.NewExpression:
        return this.evalCall(node as ts.CallExpression | ts.NewExpression);
      case ts.SyntaxKind.TemplateExpression: {
        // `a${x}b`: the string carries every part
        let out = EMPTY;
        for (const span of (node as ts.TemplateExpression).templateSpans) out = joinValues(out, flatten(this.evalExpr(span.expression)));
        return out;
      }
      case ts.SyntaxKind.TaggedTemplateExpression: {
        const t = (node as ts.TaggedTemplateExpression).template;
        return ts.isTemplateExpression(t) ? this.evalInner(t) : EMPTY;
      }
      case ts.SyntaxKind.BinaryExpression:
        return this.evalBinary(node as ts.BinaryExpression);
      case ts.SyntaxKind.ConditionalExpression: {
        // c ? a : b: both arms from the state after c, joined
        const e = node as ts.ConditionalExpression;
        this.evalExpr(e.condition);
        const before = this.state.clone();
        const a = this.evalExpr(e.whenTrue);
        const afterA = this.state;
        this.state = before;
        const b = this.evalExpr(e.whenFalse);
        this.state = State.join(afterA, this.state);
        return joinValues(a, b);
      }
      case ts.SyntaxKind.ObjectLiteralExpression:
        return this.evalObjectLiteral(node as ts.ObjectLiteralExpression);
      case ts.SyntaxKind.ArrayLiteralExpression: {
        // [a, ...b]: elements join into the array's element pseudo-field
        let els = EMPTY;
        for (const el of (node as ts.ArrayLiteralExpression).elements) {
          if (ts.isSpreadElement(el)) els = joinValues(els, readField(this.evalExpr(el.expression), ELEMENTS, this.fieldDepth));
          else if (!ts.isOmittedExpression(el)) els = joinValues(els, this.evalExpr(el));
        }
        return makeValue(undefined, new Map([[ELEMENTS, els]]));
      }
      case ts.SyntaxKind.ArrowFunction:
      case ts.SyntaxKind.FunctionExpression:
        return makeValue(undefined, undefined, [{ node: node as ts.SignatureDeclaration, file: this.file }]);
      case ts.SyntaxKind.PrefixUnaryExpression: {
        const e = node as ts.PrefixUnaryExpression;
        const v = this.evalExpr(e.operand);
        if (e.operator === ts.SyntaxKind.ExclamationToken) return EMPTY;
        return flatten(v);
      }
      case ts.SyntaxKind.PostfixUnaryExpression:
        return flatten(this.evalExpr((node as ts.PostfixUnaryExpression).operand));
      case ts.SyntaxKind.TypeOfExpression:
        this.evalExpr((node as ts.TypeOfExpression).expression);
        return EMPTY;
      case ts.SyntaxKind.VoidExpression:
        this.evalExpr((node as ts.VoidExpression).expression);
        return EMPTY;
      case ts.SyntaxKind.DeleteExpression: {
        // delete o.f: o.f is gone (strongly clean)
        const target = (node as ts.DeleteExpression).expression;
        this.assignTarget(target, EMPTY, target);
        return EMPTY;
      }
      case ts.SyntaxKind.YieldExpression: {
        // yield e: e becomes an element of the generator's result
        const e = node as ts.YieldExpression;
        if (e.expression) {
          const v = this.evalExpr(e.expression);
          const el = e.asteriskToken ? readField(v, ELEMENTS, this.fieldDepth) : v;
          this.frame.returns = joinValues(this.frame.returns, makeValue(undefined, new Map([[ELEMENTS, el]])));
        }
        return EMPTY;
      }
      case ts.SyntaxKind.SpreadElement:
        return readField(this.evalExpr((node as ts.SpreadElement).expression), ELEMENTS, this.fieldDepth);
      case ts.SyntaxKind.ClassExpression:
        return EMPTY;
      default:
        return EMPTY;
    }
  }

  private constantKey(e: ts.Expression): string | undefined {
    const x = unwrap(e);
    if (ts.isStringLiteralLike(x)) return x.text;
    return undefined;
  }

  private evalBinary(e: ts.BinaryExpression): Value {
    const op = e.operatorToken.kind;
    if (op === ts.SyntaxKind.EqualsToken) {
      // x = e: strong update of x's path
      const v = this.evalExpr(e.right);
      this.assignTarget(e.left, v, e.left);
      return v;
    }
    if (isAssignmentOperator(op)) {
      // x += e, x ??= e, …: x joins e
      const old = this.evalExpr(e.left);
      const v = joinValues(op === ts.SyntaxKind.PlusEqualsToken ? flatten(old) : old, op === ts.SyntaxKind.PlusEqualsToken ? flatten(this.evalExpr(e.right)) : this.evalExpr(e.right));
      this.assignTarget(e.left, v, e.left);
      return v;
    }
    if (op === ts.SyntaxKind.CommaToken) {
      this.evalExpr(e.left);
      return this.evalExpr(e.right);
    }
    if (op === ts.SyntaxKind.AmpersandAmpersandToken || op === ts.SyntaxKind.BarBarToken || op === ts.SyntaxKind.QuestionQuestionToken) {
      // a && b, a || b, a ?? b: b may not run; the result is either
      const a = this.evalExpr(e.left);
      const before = this.state.clone();
      const b = this.evalExpr(e.right);
      this.state = State.join(before, this.state);
      return joinValues(op === ts.SyntaxKind.AmpersandAmpersandToken ? EMPTY : a, b);
    }
    if (COMPARISON.has(op)) {
      this.evalExpr(e.left);
      this.evalExpr(e.right);
      return EMPTY;
    }
    // a + b + c …: the left spine of combining operators, walked iteratively so 50,000 terms do not recurse
    const rights: ts.Expression[] = [];
    let left: ts.Expression = e;
    while (ts.isBinaryExpression(left) && isCombining(left.operatorToken.kind)) {
      rights.push(left.right);
      left = unwrap(left.left);
    }
    let out = flatten(this.evalExpr(left));
    for (let i = rights.length - 1; i >= 0; i--) out = joinValues(out, flatten(this.evalExpr(rights[i]!)));
    return out;
  }

  private evalObjectLiteral(o: ts.ObjectLiteralExpression): Value {
    let facts: Value = EMPTY;
    const fields = new Map<string, Value>();
    const put = (k: string, v: Value) => {
      const old = fields.get(k);
      fields.set(k, old && k === ELEMENTS ? joinValues(old, v) : v);
    };
    for (const p of o.properties) {
      switch (p.kind) {
        case ts.SyntaxKind.PropertyAssignment: {
          // { k: e }: field k takes e (and a key that names restricted data marks it, unless e is a literal)
          const name = propertyNameText(p.name);
          if (!name && ts.isComputedPropertyName(p.name)) this.evalExpr(p.name.expression);
          let v = this.evalExpr(p.initializer);
          if (!isLiteralExpression(unwrap(p.initializer)) && !ts.isFunctionLike(unwrap(p.initializer))) {
            v = joinValues(v, this.sourcesOf(p, p.name, v));
          }
          put(name ?? ELEMENTS, v);
          break;
        }
        case ts.SyntaxKind.ShorthandPropertyAssignment: {
          const b = this.lookup(p.name.text);
          put(p.name.text, b ? this.readBinding(b) : EMPTY);
          break;
        }
        case ts.SyntaxKind.SpreadAssignment: {
          // { ...o }: o's fields and facts are copied
          const v = this.evalExpr(p.expression);
          facts = joinValues(facts, makeValue(v.facts, undefined));
          for (const [k, c] of v.fields ?? []) put(k, fields.has(k) && k !== ELEMENTS ? joinValues(fields.get(k)!, c) : c);
          break;
        }
        case ts.SyntaxKind.MethodDeclaration:
        case ts.SyntaxKind.GetAccessor:
        case ts.SyntaxKind.SetAccessor: {
          const name = propertyNameText(p.name);
          if (name) put(name, makeValue(undefined, undefined, [{ node: p, file: this.file }]));
          break;
        }
      }
    }
    return this.bounded(makeValue(facts.facts, fields));
  }

  // ---- this and class fields ---------------------------------------------------------------------------------

  private classKey(): string | undefined {
    const cls = this.frame.classNode;
    if (!cls) return undefined;
    const f = this.ctx.fileOf(cls) ?? this.file;
    return `k:${f.path}:${cls.pos}`;
  }

  private readThis(): Value {
    const v = this.state.vars.get("this") ?? EMPTY;
    const key = this.classKey();
    return key ? joinValues(v, this.ctx.readStore(key, this.rec)) : v;
  }

  /** this.f: the flow-sensitive value in this body, joined with what any method of the class stores there. */
  private readThisField(name: string): Value {
    const local = readField(this.state.vars.get("this") ?? EMPTY, name, this.fieldDepth);
    const key = this.classKey();
    if (!key) return local;
    const stored = readField(this.ctx.readStore(key, this.rec), name, this.fieldDepth);
    const getter = this.frame.classNode ? this.gettersOf(this.frame.classNode).get(name) : undefined;
    let out = joinValues(local, stored);
    if (getter && !this.inlineStack.includes(getter)) out = joinValues(out, this.invokeFn({ node: getter, file: this.file }, this.state.vars.get("this") ?? EMPTY, [], getter));
    return out;
  }

  private gettersOf(cls: ts.ClassLikeDeclaration): ReadonlyMap<string, ts.GetAccessorDeclaration> {
    let byName = this.ctx.getters.get(cls);
    if (!byName) {
      const found = new Map<string, ts.GetAccessorDeclaration>();
      for (const m of cls.members) {
        const name = ts.isGetAccessorDeclaration(m) ? propertyNameText(m.name) : undefined;
        if (name !== undefined && !found.has(name)) found.set(name, m as ts.GetAccessorDeclaration);
      }
      this.ctx.getters.set(cls, (byName = found));
    }
    return byName;
  }

  private writeThisField(path: string[], v: Value, node: ts.Node): void {
    const cur = this.state.vars.get("this") ?? EMPTY;
    this.state.vars.set("this", writePath(cur, path, this.bounded(v), true, this.fieldDepth));
    const key = this.classKey();
    if (key) this.ctx.writeStore(key, writePath(EMPTY, path, this.concreteOnly(v), false, this.fieldDepth), this.rec);
    void node;
  }

  // ---- assignment targets ------------------------------------------------------------------------------------

  /** The access path an expression denotes (`x.a.b`, `this.f`, `arr[i]`), if it is one. */
  private pathOf(e: ts.Expression): { root: "this" | Binding; path: string[] } | undefined {
    const path: string[] = [];
    let x = unwrap(e);
    for (;;) {
      if (ts.isPropertyAccessExpression(x)) {
        path.push(x.name.text);
        x = unwrap(x.expression);
      } else if (ts.isElementAccessExpression(x)) {
        path.push(this.constantKey(x.argumentExpression) ?? ELEMENTS);
        x = unwrap(x.expression);
      } else break;
    }
    path.reverse();
    if (x.kind === ts.SyntaxKind.ThisKeyword) return { root: "this", path };
    if (ts.isIdentifier(x)) {
      const b = this.lookup(x.text);
      return b ? { root: b, path } : undefined;
    }
    return undefined;
  }

  /** Writes a value at an access path; `strong` replaces (locals), weak joins (data that may be elsewhere too). */
  private writeAt(target: { root: "this" | Binding; path: string[] }, v: Value, strong: boolean): void {
    const isElement = target.path.includes(ELEMENTS);
    const s = strong && !isElement;
    if (target.root === "this") {
      if (target.path.length === 0) return;
      if (s) this.writeThisField(target.path, v, this.frame.fn);
      else {
        const cur = this.state.vars.get("this") ?? EMPTY;
        this.state.vars.set("this", writePath(cur, target.path, this.bounded(v), false, this.fieldDepth));
        const key = this.classKey();
        if (key) this.ctx.writeStore(key, writePath(EMPTY, target.path, this.concreteOnly(v), false, this.fieldDepth), this.rec);
      }
      return;
    }
    const b = target.root;
    if (target.path.length === 0) {
      this.writeBinding(b, s ? v : joinValues(this.readBinding(b), v));
      return;
    }
    if (b.key.startsWith("m:")) {
      this.ctx.writeStore(b.key, writePath(EMPTY, target.path, this.concreteOnly(v), false, this.fieldDepth), this.rec);
      return;
    }
    if (b.fn || b.key.startsWith("f:") || b.importName) return;
    const cur = this.state.vars.get(b.key) ?? EMPTY;
    this.state.vars.set(b.key, this.bounded(writePath(cur, target.path, v, s, this.fieldDepth)));
  }

  private assignTarget(target: ts.Node, v: Value, node: ts.Node): void {
    if (ts.isVariableDeclarationList(target)) {
      const kind = target.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const) ? "block" : "function";
      for (const d of target.declarations) this.bindPattern(d.name, joinValues(v, this.sourcesOf(d, d.name, v)), kind);
      return;
    }
    const t = unwrap(target as ts.Expression);
    if (ts.isObjectLiteralExpression(t)) {
      // ({ a, b: x } = v): destructuring assignment
      for (const p of t.properties) {
        if (ts.isShorthandPropertyAssignment(p)) this.assignTarget(p.name, readField(v, p.name.text, this.fieldDepth), p);
        else if (ts.isPropertyAssignment(p)) {
          const k = propertyNameText(p.name);
          this.assignTarget(p.initializer, readField(v, k ?? ELEMENTS, this.fieldDepth), p);
        } else if (ts.isSpreadAssignment(p)) this.assignTarget(p.expression, v, p);
      }
      return;
    }
    if (ts.isArrayLiteralExpression(t)) {
      const els = readField(v, ELEMENTS, this.fieldDepth);
      for (const el of t.elements) {
        if (ts.isSpreadElement(el)) this.assignTarget(el.expression, makeValue(undefined, new Map([[ELEMENTS, els]])), el);
        else if (!ts.isOmittedExpression(el)) this.assignTarget(el, els, el);
      }
      return;
    }
    if (ts.isBinaryExpression(t) && t.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      // [a = d] = v: default joins
      this.assignTarget(t.left, joinValues(v, this.evalExpr(t.right)), t);
      return;
    }
    // o.x = v where x is a set accessor of a project class: the setter runs with v
    if (ts.isPropertyAccessExpression(t) && this.ctx.setterNames.has(t.name.text)) {
      const setter = this.setterAt(t);
      if (setter) {
        const recv = t.expression.kind === ts.SyntaxKind.ThisKeyword ? this.state.vars.get("this") ?? EMPTY : this.evalExpr(t.expression);
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
      if (ts.isPropertyAccessExpression(t) || ts.isElementAccessExpression(t)) this.evalExpr(t.expression);
      return;
    }
    const key = p.root === "this" && p.path[0] !== undefined ? this.classKey() : undefined;
    const enters = key ? `f:${key}:${p.path[0]}` : undefined;
    const stepped = ts.isIdentifier(t)
      ? this.stepped(v, t, `assigned to \`${t.text}\``)
      : this.stepped(v, t, `stored in \`${shortText(t, this.file.sourceFile)}\``, "step", enters);
    this.writeAt(p, stepped, true);
    void node;
  }

  private setterAt(t: ts.PropertyAccessExpression): ts.SetAccessorDeclaration | undefined {
    if (t.expression.kind === ts.SyntaxKind.ThisKeyword) {
      return this.frame.classNode?.members.find(
        (m): m is ts.SetAccessorDeclaration => ts.isSetAccessorDeclaration(m) && propertyNameText(m.name) === t.name.text && !!m.body,
      );
    }
    try {
      const sym = this.ctx.checker.getSymbolAtLocation(t.name);
      const d = sym?.declarations?.find((x): x is ts.SetAccessorDeclaration => ts.isSetAccessorDeclaration(x) && !!x.body);
      return d && this.ctx.fileOf(d) ? d : undefined;
    } catch {
      return undefined;
    }
  }

  /** `module.exports = …`, `module.exports.x = …`, `exports.x = …`: the file's CommonJS exports. */
  private isCommonJsExport(t: ts.Expression): boolean {
    let x = t;
    while (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) {
      const inner = x.expression;
      if (ts.isIdentifier(inner) && (inner.text === "exports" || inner.text === "module") && !this.lookup(inner.text)) {
        return inner.text === "exports" || (ts.isPropertyAccessExpression(x) && x.name.text === "exports");
      }
      x = inner;
    }
    return false;
  }

  private writeExports(t: ts.Expression, v: Value): void {
    const path: string[] = [];
    let x = t;
    while (ts.isPropertyAccessExpression(x) || ts.isElementAccessExpression(x)) {
      path.push(ts.isPropertyAccessExpression(x) ? x.name.text : this.constantKey(x.argumentExpression) ?? ELEMENTS);
      x = x.expression;
    }
    path.reverse();
    // drop the leading `exports` of module.exports
    if (ts.isIdentifier(x) && x.text === "module") path.shift();
    this.ctx.writeStore(`x:${this.file.path}`, writePath(EMPTY, path, this.concreteOnly(v), false, this.fieldDepth), this.rec);
  }

  // ---- calls -------------------------------------------------------------------------------------------------

  private evalCall(call: ts.CallExpression | ts.NewExpression): Value {
    const calleeExpr = call.expression;
    // receiver and callee value
    let recv: Value = EMPTY;
    let recvExpr: ts.Expression | undefined;
    let calleeValue: Value = EMPTY;
    let methodName: string | undefined;
    const c = unwrap(calleeExpr);
    if (ts.isPropertyAccessExpression(c) || ts.isElementAccessExpression(c)) {
      recvExpr = c.expression;
      methodName = ts.isPropertyAccessExpression(c) ? c.name.text : this.constantKey(c.argumentExpression);
      if (c.expression.kind === ts.SyntaxKind.SuperKeyword) recv = this.state.vars.get("this") ?? EMPTY;
      else recv = this.evalExpr(c.expression);
      calleeValue = methodName !== undefined
        ? c.expression.kind === ts.SyntaxKind.ThisKeyword
          ? readField(this.state.vars.get("this") ?? EMPTY, methodName, this.fieldDepth)
          : readField(recv, methodName, this.fieldDepth)
        : EMPTY;
    } else if (c.kind !== ts.SyntaxKind.SuperKeyword && c.kind !== ts.SyntaxKind.ImportKeyword) {
      calleeValue = this.evalExpr(c);
    }
    // arguments, in order
    const argNodes = call.arguments ?? ts.factory.createNodeArray<ts.Expression>();
    const args: Value[] = [];
    const argExprs: ts.Expression[] = [];
    for (const a of argNodes) {
      if (ts.isSpreadElement(a)) {
        // f(...xs): every later parameter may take any element
        args.push(readField(this.evalExpr(a.expression), ELEMENTS, this.fieldDepth));
      } else args.push(this.evalExpr(a));
      argExprs.push(a);
    }
    // dynamic code and CommonJS require
    if (ts.isIdentifier(c) && !this.lookup(c.text)) {
      if (c.text === "eval" || (c.text === "Function" )) {
        this.ctx.notify("dynamic-code", "warning", `dynamic code (${c.text}) in ${this.frame.name} is not analysed`, call);
        return flatten(joinAll(args));
      }
      if (c.text === "require" && ts.isCallExpression(call)) return this.evalRequire(call);
    }
    if (c.kind === ts.SyntaxKind.ImportKeyword) {
      const a0 = argNodes[0];
      if (!a0 || !ts.isStringLiteralLike(a0)) this.ctx.notify("dynamic-code", "warning", `dynamic import() in ${this.frame.name} is not analysed`, call);
      return EMPTY;
    }

    const model = this.ctx.question.callAt(call);
    switch (model.kind) {
      case "sink":
        this.sinkCall(call, model.sink, args, argExprs);
        this.invokeCallbacks(args, EMPTY, call);
        return EMPTY;
      case "sanitizer":
      case "synthetic":
      case "vetted":
        // the result of a sanitizer is clean, a generator's is made up; data passed to a vetted door stays inside
        this.invokeCallbacks(args, EMPTY, call);
        return EMPTY;
      case "source": {
        return joinValues(this.sourceValue([model.hit], call, call), EMPTY);
      }
      case "propagate":
        return this.propagate(model.rows, recv, args, recvExpr, argExprs);
      case "validated":
        // Schema.parse(body): what went in comes out, and the validated fields hold their classes whatever their names
        return joinValues(
          this.callUnknown(call, c, methodName, calleeValue, recv, recvExpr, args, argExprs),
          this.sourceValue(model.hits, call, call),
        );
      case "unmodelled":
        // an unmodelled package: what its arguments carry reaches a door nobody vetted; its result carries them on
        this.sinkCall(call, model.sink, args, argExprs);
        return this.callUnknown(call, c, methodName, calleeValue, recv, recvExpr, args, argExprs);
      case "project": {
        const decl = model.declaration;
        const target = ts.isClassDeclaration(decl as ts.Node) || ts.isClassExpression(decl as ts.Node)
          ? (decl as unknown as ts.ClassLikeDeclaration)
          : undefined;
        const result = this.callProject(call, target ? this.constructorOf(target) ?? target : decl, recv, recvExpr, args, argExprs);
        // a door vetted for some classes: the others reach the egress inside it (its summary); its result is clean
        if (model.door) return EMPTY;
        return model.overrides ? joinValues(result, this.callOverrides(call, model.overrides, recv, recvExpr, args, argExprs)) : result;
      }
      default:
        return this.callUnknown(call, c, methodName, calleeValue, recv, recvExpr, args, argExprs);
    }
  }

  /**
   * A call through a declared type also runs the overrides / implementations below it (class-hierarchy dispatch), each
   * through its summary; past `implementationsPerCall` bodies (the resolved one included) the rest are left out.
   */
  private callOverrides(
    call: ts.CallExpression | ts.NewExpression,
    overrides: readonly ts.SignatureDeclaration[],
    recv: Value,
    recvExpr: ts.Expression | undefined,
    args: Value[],
    argExprs: ts.Expression[],
  ): Value {
    const cap = Math.max(0, this.ctx.budgets.implementationsPerCall - 1);
    if (overrides.length > cap) {
      this.budget(
        "budget-dispatch",
        `${calleeText(call, this.file.sourceFile)}() in ${this.frame.name} may run ${overrides.length + 1} implementations: only the first ${cap + 1} are followed`,
        call,
      );
    }
    let out = EMPTY;
    for (const body of overrides.slice(0, cap)) out = joinValues(out, this.callProject(call, body, recv, recvExpr, args, argExprs));
    return out;
  }

  private constructorOf(cls: ts.ClassLikeDeclaration): ts.ConstructorDeclaration | undefined {
    return cls.members.find((m): m is ts.ConstructorDeclaration => ts.isConstructorDeclaration(m) && !!m.body);
  }

  private evalRequire(call: ts.CallExpression): Value {
    const a0 = call.arguments[0];
    if (!a0 || !ts.isStringLiteralLike(a0)) {
      this.ctx.notify("dynamic-code", "warning", `dynamic require() in ${this.frame.name} is not analysed`, call);
      return EMPTY;
    }
    const target = this.resolveRelativeFile(a0.text);
    return target ? this.ctx.readStore(`x:${target.path}`, this.rec) : EMPTY;
  }

  private resolveRelativeFile(spec: string): FileRef | undefined {
    if (!spec.startsWith(".")) return undefined;
    const dir = this.file.path.includes("/") ? this.file.path.slice(0, this.file.path.lastIndexOf("/")) : "";
    const parts = (dir ? `${dir}/${spec}` : spec).split("/");
    const out: string[] = [];
    for (const p of parts) {
      if (p === "." || p === "") continue;
      if (p === "..") out.pop();
      else out.push(p);
    }
    const base = out.join("/");
    for (const cand of [base, `${base}.js`, `${base}.ts`, `${base}.cjs`, `${base}.mjs`, `${base}/index.js`, `${base}/index.ts`]) {
      const f = this.ctx.filesByPath.get(cand);
      if (f) return f;
    }
    const stripped = base.replace(/\.(c|m)?js$/, "");
    for (const cand of [`${stripped}.ts`, `${stripped}.tsx`, `${stripped}.mts`, `${stripped}.cts`]) {
      const f = this.ctx.filesByPath.get(cand);
      if (f) return f;
    }
    return undefined;
  }

  /** A modelled library call that moves data (`arg:0` → `return`). */
  private propagate(
    rows: readonly { from: string; to: string }[],
    recv: Value,
    args: Value[],
    recvExpr: ts.Expression | undefined,
    argExprs: ts.Expression[],
  ): Value {
    let result = EMPTY;
    const endpoint = (s: string): { base: string; path: string[] } => {
      const [base, ...path] = s.split(".");
      return { base: base ?? "", path };
    };
    for (const row of rows) {
      const from = endpoint(row.from);
      let v: Value;
      if (from.base === "receiver") v = recv;
      else if (from.base === "args") v = joinAll(args);
      else if (from.base.startsWith("arg:")) v = args[Number(from.base.slice(4))] ?? EMPTY;
      else continue;
      v = flatten(readPath(v, from.path, this.fieldDepth));
      const to = endpoint(row.to);
      if (to.base === "return") result = joinValues(result, to.path.length ? writePath(EMPTY, to.path, v, false, this.fieldDepth) : v);
      else {
        const expr = to.base === "receiver" ? recvExpr : to.base.startsWith("arg:") ? argExprs[Number(to.base.slice(4))] : undefined;
        const p = expr ? this.pathOf(expr) : undefined;
        if (p) this.writeAt({ root: p.root, path: [...p.path, ...to.path] }, v, false);
      }
    }
    return result;
  }

  /** Calls whose callee the Question could not resolve: built-ins, local closures, `this` methods, else unknown. */
  private callUnknown(
    call: ts.CallExpression | ts.NewExpression,
    c: ts.Expression,
    methodName: string | undefined,
    calleeValue: Value,
    recv: Value,
    recvExpr: ts.Expression | undefined,
    args: Value[],
    argExprs: ts.Expression[],
  ): Value {
    // a function value the engine tracked (local closure, object-literal method, function declaration)
    if (calleeValue.fns) {
      let out = EMPTY;
      for (const fn of calleeValue.fns) out = joinValues(out, this.invokeFn(fn, fn.thisValue ?? recv, args, call, argExprs));
      return out;
    }
    if (c.kind === ts.SyntaxKind.SuperKeyword) return this.callSuper(call, args, argExprs);
    // fn(x) with fn supplied by the caller: each call site runs its own function here
    if (!recvExpr && calleeValue.facts) {
      const r = this.symbolicCall(calleeValue, args, call);
      if (!isEmptyValue(r)) return r;
    }
    // `this.m()` and `super.m()` inside a class: the method of the class or a base class
    if (recvExpr && methodName && (recvExpr.kind === ts.SyntaxKind.ThisKeyword || recvExpr.kind === ts.SyntaxKind.SuperKeyword)) {
      const m = this.findMethod(methodName, recvExpr.kind === ts.SyntaxKind.SuperKeyword);
      if (m) return this.callProject(call, m, recv, recvExpr, args, argExprs);
    }
    this.builtinTarget = { recv: recvExpr, args: argExprs, call };
    const dotted = dottedName(c);
    if (ts.isNewExpression(call)) {
      const name = dotted ?? "";
      const b = !this.lookup(name.split(".")[0] ?? "") ? builtinConstructor(this, name, args) : undefined;
      if (b) return b;
    } else {
      const root = dotted?.split(".")[0];
      const isGlobal = dotted !== undefined && root !== undefined && !this.lookup(root);
      const b = isGlobal ? builtinFunction(this, dotted!, args) : undefined;
      if (b) return b;
      if (methodName && recvExpr) {
        const m = builtinMethod(this, methodName, recv, args);
        if (m) return m;
      }
    }
    // unknown: the result carries every argument and the receiver, whole; callbacks run with them
    this.unresolved.add(call);
    const all = flatten(joinAll([recv, ...args]));
    const r = this.invokeCallbacks(args, all, call);
    return joinValues(all, flatten(r));
  }

  private callSuper(call: ts.Node, args: Value[], argExprs: ts.Expression[]): Value {
    const base = this.baseClass();
    if (!base) return EMPTY;
    const ctor = this.constructorOf(base);
    if (ctor) return this.callProject(call, ctor, this.state.vars.get("this") ?? EMPTY, undefined, args, argExprs, true);
    return EMPTY;
  }

  private baseClass(): ts.ClassLikeDeclaration | undefined {
    const cls = this.frame.classNode;
    const ext = cls?.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]?.expression;
    if (!ext) return undefined;
    try {
      let sym = this.ctx.checker.getSymbolAtLocation(ext);
      if (sym && sym.flags & ts.SymbolFlags.Alias) sym = this.ctx.checker.getAliasedSymbol(sym);
      const d = sym?.valueDeclaration ?? sym?.declarations?.[0];
      return d && (ts.isClassDeclaration(d) || ts.isClassExpression(d)) && this.ctx.fileOf(d) ? d : undefined;
    } catch {
      return undefined;
    }
  }

  private findMethod(name: string, superOnly: boolean): ts.SignatureDeclaration | undefined {
    let cls = superOnly ? this.baseClass() : this.frame.classNode;
    const seen = new Set<ts.Node>();
    while (cls && !seen.has(cls)) {
      seen.add(cls);
      const m = cls.members.find(
        (x): x is ts.MethodDeclaration => ts.isMethodDeclaration(x) && propertyNameText(x.name) === name && !!x.body,
      );
      if (m) return m;
      const save = this.frame.classNode;
      (this.frame as { classNode: ts.ClassLikeDeclaration | undefined }).classNode = cls;
      const next = this.baseClass();
      (this.frame as { classNode: ts.ClassLikeDeclaration | undefined }).classNode = save;
      cls = next;
    }
    return undefined;
  }

  /** Callback arguments of a call the engine does not model: each runs here with `input` as every parameter. */
  private invokeCallbacks(args: Value[], input: Value, call: ts.Node): Value {
    let out = EMPTY;
    for (const a of args) {
      if (!a.fns) continue;
      for (const fn of a.fns) {
        const n = (fn.node as ts.FunctionLikeDeclaration).parameters.length;
        out = joinValues(out, this.invokeFn(fn, EMPTY, Array.from({ length: n }, () => input), call));
      }
    }
    return out;
  }

  /** BuiltinSite: invoke a callback value with arguments. */
  invoke(callback: Value, args: Value[], node?: ts.Node): Value {
    let out = EMPTY;
    for (const fn of callback.fns ?? []) out = joinValues(out, this.invokeFn(fn, EMPTY, args, node ?? fn.node));
    return joinValues(out, this.symbolicCall(callback, args, node ?? this.builtinTarget.call ?? this.frame.fn));
  }

  /**
   * Calling a function the caller supplies (a parameter, or a field of one): recorded in the summary, so each call
   * site runs its own callback with these arguments; the result is the symbol `r<k>` until then.
   */
  private symbolicCall(callee: Value, args: Value[], node: ts.Node): Value {
    if (!callee.facts || ts.isSourceFile(this.rec.node)) return EMPTY;
    let out = EMPTY;
    for (const f of callee.facts.values()) {
      if (f.kind !== "symbol") continue;
      let i = this.callbacks.findIndex((c) => c.callee.key === f.key && c.node === node);
      if (i >= 0) {
        const old = this.callbacks[i]!;
        this.callbacks[i] = { ...old, args: old.args.map((a, j) => joinValues(a, args[j] ?? EMPTY)).concat(args.slice(old.args.length)) };
      } else {
        if (this.callbacks.length >= this.ctx.budgets.summaryEntries) {
          this.budget("budget-summary", `too many callback calls in ${this.rec.name}: the rest are treated as unknown calls`, node);
          return flatten(joinAll(args));
        }
        i = this.callbacks.length;
        this.callbacks.push({ callee: symbolFact(f.root, f.path, undefined), args, index: i, node });
      }
      out = joinValues(out, this.symbolic(`r${i}`));
    }
    return out;
  }

  writeReceiver(path: string[], value: Value): void {
    const p = this.builtinTarget.recv ? this.pathOf(this.builtinTarget.recv) : undefined;
    if (p) this.writeAt({ root: p.root, path: [...p.path, ...path] }, value, false);
  }

  writeArgument(i: number, value: Value): void {
    const e = this.builtinTarget.args[i];
    const p = e ? this.pathOf(e) : undefined;
    if (p) this.writeAt(p, value, false);
  }

  /**
   * Calls a function value: a closure defined in the body being analysed runs inline (it sees and updates the
   * enclosing variables); any other function is applied through its summary.
   */
  private invokeFn(fn: FnRef, thisV: Value, args: Value[], call: ts.Node, argExprs?: ts.Expression[]): Value {
    const node = fn.node;
    const local = isInside(node, this.rec.node) || this.inlineStack.some((n) => isInside(node, n));
    if (!local) return this.callProject(call, node, thisV, undefined, args, argExprs ?? []);
    if (this.inlineStack.includes(node) || this.cheap || this.inlineStack.length > 16) {
      // recursion among closures, or past the budget: the result carries the arguments
      return flatten(joinAll(args));
    }
    const body = (node as ts.FunctionLikeDeclaration).body;
    if (!body) return EMPTY;
    this.inlineStack.push(node);
    const savedFrame = this.frame;
    const savedScope = this.scope;
    const isArrow = ts.isArrowFunction(node);
    const savedThis = this.state.vars.get("this");
    this.frame = this.newFrame(node, isArrow ? savedFrame.classNode : enclosingClass(node) ?? savedFrame.classNode);
    this.frame.exits = undefined;
    this.scope = { names: new Map(), parent: savedScope, kind: "function" };
    if (!isArrow) this.state.vars.set("this", thisV);
    const entryAlive = this.state.alive;
    const named = args.map((a, i) => {
      const p = (node as ts.FunctionLikeDeclaration).parameters[i];
      return p && ts.isIdentifier(p.name) && argExprs?.[i]
        ? this.stepped(a, argExprs[i]!, `passed as argument \`${p.name.text}\` of \`${this.calleeName(node)}()\``, "call", paramPlace(p, fn.file))
        : a;
    });
    const returnStates: State[] = [];
    const savedRecordExit = this.recordExit;
    this.recordExit = () => {
      returnStates.push(this.state.clone());
    };
    try {
      this.enterFunctionInline(node as ts.FunctionLikeDeclaration, named);
    } finally {
      this.recordExit = savedRecordExit;
    }
    let after = this.state;
    for (const r of returnStates) after = State.join(after, r);
    after.alive = entryAlive;
    this.state = after;
    if (!isArrow) {
      if (savedThis) this.state.vars.set("this", savedThis);
      else this.state.vars.delete("this");
    }
    const ret = this.frame.returns;
    this.frame = savedFrame;
    this.scope = savedScope;
    this.inlineStack.pop();
    return ret;
  }

  private enterFunctionInline(fn: ts.FunctionLikeDeclaration, args: Value[]): void {
    fn.parameters.forEach((p, i) => {
      let v = p.dotDotDotToken ? makeValue(undefined, new Map([[ELEMENTS, joinAll(args.slice(i))]])) : args[i] ?? EMPTY;
      if (p.initializer) v = joinValues(v, this.evalExpr(p.initializer));
      v = joinValues(v, this.sourcesOf(p, p.name));
      this.bindPattern(p.name, v, "function");
    });
    const body = fn.body;
    if (!body) return;
    if (ts.isBlock(body)) this.execStatements(body.statements);
    else this.frame.returns = joinValues(this.frame.returns, this.evalExpr(body));
    this.recordExit();
  }

  /** A project function, through its summary: returns, effects on the caller's objects, and sinks inside. */
  private callProject(
    call: ts.Node,
    decl: ts.Node,
    recv: Value,
    recvExpr: ts.Expression | undefined,
    args: Value[],
    argExprs: readonly ts.Expression[],
    isSuper = false,
  ): Value {
    // a closure of this very body: inline, so it sees the enclosing variables
    if (isFunctionLike(decl) && (isInside(decl, this.rec.node) || this.inlineStack.some((n) => isInside(decl, n)))) {
      return this.invokeFn({ node: decl, file: this.file }, recv, args, call, [...argExprs]);
    }
    const isNew = ts.isNewExpression(call) || isSuper;
    if (ts.isClassDeclaration(decl) || ts.isClassExpression(decl)) {
      // a class without a constructor body: the object its field initialisers build
      return this.callProjectClass(call, decl, args);
    }
    const callee = this.ctx.recordFor(decl);
    if (!callee || !(decl as ts.FunctionLikeDeclaration).body) {
      this.unresolved.add(call);
      const all = flatten(joinAll([recv, ...args]));
      return joinValues(all, flatten(this.invokeCallbacks(args, all, call)));
    }
    const summary = this.summaryOf(callee);
    const fnDecl = decl as ts.FunctionLikeDeclaration;
    const name = this.calleeName(decl);
    const paramName = (i: number) => {
      const p = fnDecl.parameters[Math.min(i, fnDecl.parameters.length - 1)];
      return p && ts.isIdentifier(p.name) ? p.name.text : `#${i + 1}`;
    };
    // each symbolic fact of the callee becomes the caller's actual value at that path
    const actualOf = (root: string): { value: Value; node: ts.Node; label: string } | undefined => {
      if (root === "this") return { value: recv, node: recvExpr ?? call, label: "this" };
      if (!root.startsWith("p")) return undefined;
      const i = Number(root.slice(1));
      const p = fnDecl.parameters[i];
      if (p?.dotDotDotToken) {
        return { value: makeValue(undefined, new Map([[ELEMENTS, joinAll(args.slice(i))]])), node: argExprs[i] ?? call, label: paramName(i) };
      }
      return { value: args[i] ?? EMPTY, node: argExprs[i] ?? call, label: paramName(i) };
    };
    const resolve = (f: SymbolFact): Value => {
      const a = actualOf(f.root);
      if (!a) return EMPTY;
      let v = readPath(a.value, f.path, this.fieldDepth);
      if (f.without) v = withoutFields(v, f.without);
      const message = f.root === "this" ? `receiver of \`${name}()\`` : `passed as argument \`${a.label}\` of \`${name}()\``;
      const param = f.root.startsWith("p") ? fnDecl.parameters[Number(f.root.slice(1))] : undefined;
      const enters = param ? paramPlace(param, callee.file) : undefined;
      return mapFacts(v, (g) => withStep(g, concatTrace(addStep(g.step, a.node, this.file, message, "call", enters), f.step)));
    };
    // callbacks the callee calls: this call site's own functions run here, with the callee's (substituted) arguments
    const results = new Map<string, Value>();
    const resolveAll = (f: SymbolFact): Value => {
      const r = results.get(f.root);
      if (r) return readPath(r, f.path, this.fieldDepth);
      return resolve(f);
    };
    for (const cb of summary.callbacks) {
      const fnValue = resolve(cb.callee);
      // `results` grows with each callback: what resolves `r<k>` is fixed only for this callback's arguments
      const resolveNow = resolveOnce(resolveAll);
      const memo = new Map<Value, Value>();
      const cbArgs = cb.args.map((a) => substituteValue(a, resolveNow, memo));
      let r = this.invoke(fnValue, cbArgs, call);
      if (!fnValue.fns && !hasSymbol(fnValue)) r = joinValues(r, flatten(joinAll(cbArgs)));
      results.set(`r${cb.index}`, r);
    }
    // from here on `results` is complete: one resolution per fact object and one substitution per tree node
    const resolveFinal = resolveOnce(resolveAll);
    const substituted = new Map<Value, Value>();

    // sinks inside the callee: concrete data here is a flow; the caller's own symbols go into its summary
    const sites = new Map<SinkSite, SinkSite>();
    for (const entry of summary.sinks) {
      const actual = resolveFinal(entry.fact);
      const facts = collectFacts(actual);
      if (!facts) continue;
      let site = sites.get(entry.site);
      if (!site) sites.set(entry.site, (site = this.inDoor(this.siteAt(entry.site, argExprs))));
      for (const f of facts.values()) this.reachSink(f, site, undefined);
    }
    // effects on the caller's objects: fields written into parameters and `this`
    for (const [root, tree] of summary.effects) {
      if (root === "this" && isNew) continue;
      const expr = root === "this" ? recvExpr : argExprs[Number(root.slice(1))];
      const target = root === "this" && isSuper ? { root: "this" as const, path: [] } : expr ? this.pathOf(expr) : undefined;
      if (!target) continue;
      const sub = substituteValue(tree, resolveFinal, substituted);
      for (const [k, fv] of sub.fields ?? []) this.writeAt({ root: target.root, path: [...target.path, k] }, fv, false);
    }
    let result: Value;
    if (isNew) {
      // new C(…): the object the constructor built
      const built = substituteValue(summary.effects.get("this") ?? EMPTY, resolveFinal, substituted);
      if (isSuper) {
        for (const [k, fv] of built.fields ?? []) this.writeAt({ root: "this", path: [k] }, fv, true);
        return EMPTY;
      }
      result = built;
    } else {
      result = substituteValue(summary.returns, resolveFinal, substituted);
    }
    return this.stepped(result, call, `returned from \`${name}()\``, "return");
  }

  private callProjectClass(call: ts.Node, cls: ts.ClassLikeDeclaration, args: Value[]): Value {
    // no constructor: the base class constructor gets the arguments; field initialisers are evaluated here
    let out = EMPTY;
    const savedThis = this.state.vars.get("this");
    const savedFrame = this.frame;
    this.frame = { ...this.frame, classNode: cls };
    this.state.vars.set("this", EMPTY);
    const base = this.baseClass();
    if (base) {
      const ctor = this.constructorOf(base);
      if (ctor) this.callProject(call, ctor, EMPTY, undefined, args, [], true);
    }
    this.initialiseFields(cls);
    out = this.state.vars.get("this") ?? EMPTY;
    this.frame = savedFrame;
    if (savedThis) this.state.vars.set("this", savedThis);
    else this.state.vars.delete("this");
    return out;
  }

  /** The reviewer-facing name of a callee (`post`, `new Notifier`), once per declaration. */
  private calleeName(decl: ts.Node): string {
    let name = this.ctx.calleeNames.get(decl);
    if (name === undefined) this.ctx.calleeNames.set(decl, (name = calleeName(decl)));
    return name;
  }

  /** The callee's summary: computed on demand (bottom-up), or the current one inside a recursive cycle. */
  private summaryOf(callee: FunctionRecord): Summary {
    if (callee.status === "new" && this.ctx.depth < MAX_CALLEE_NESTING) {
      const summary = analyseRecord(this.ctx, callee);
      // this caller uses the finished summary right away: it is analysed again only when that summary changes later
      // (a dependent added before would be queued by the first summary itself, and analysed twice for nothing)
      callee.dependents.add(this.rec);
      return summary;
    }
    callee.dependents.add(this.rec);
    if (callee.status === "done" && callee.summary) {
      this.ctx.summariesReused++;
      return callee.summary;
    }
    // running (recursion) or too deep to descend now: use what exists; the worklist revisits this caller
    if (callee.status === "new") this.ctx.worklist.add(callee);
    return this.ctx.summaryOrEmpty(callee);
  }

  // ---- sinks -------------------------------------------------------------------------------------------------

  private sinkCall(call: ts.CallExpression | ts.NewExpression, hit: SinkHit, args: Value[], argExprs: ts.Expression[]): void {
    if (this.frame.vetted) return;
    const dv = hit.destination ? destinationValue(hit.destination, call, this.destinationEnv()) : undefined;
    const destination = dv ? toDestination(dv) : { status: "none" as const };
    const door = joinDoors(this.frame.door, hit.door);
    const withValue = { ...(dv ? { destinationValue: dv } : {}), ...(door ? { door } : {}) };
    const indices = hit.arguments === "all" ? args.map((_, i) => i) : hit.arguments;
    let egress = this.egress.get(call);
    if (!egress) {
      const site: SinkSite = { hit, call, argument: argExprs[indices[0] ?? 0] ?? call, file: this.file, enclosing: this.frame.name, destination, ...withValue };
      egress = { site, classes: new Set() };
      this.egress.set(call, egress);
    }
    for (const i of indices) {
      const argNode = argExprs[i];
      const v = args[i];
      if (!argNode || !v) continue;
      const facts = collectFacts(v);
      if (!facts) continue;
      const site: SinkSite = { hit, call, argument: argNode, file: this.file, enclosing: this.frame.name, destination, ...withValue };
      for (const f of facts.values()) this.reachSink(f, site, egress.classes);
    }
  }

  /**
   * How names evaluate for the destination evaluator here: a parameter of the analysed function is `Param(i)` (so a
   * summary's destination is substituted per call site); everything else the evaluator follows itself.
   */
  private destinationEnv(): EvaluationEnvironment {
    return {
      checker: this.ctx.checker,
      nameValue: (node) => {
        if (!ts.isIdentifier(node) || node.getSourceFile() !== this.file.sourceFile || !isInside(node, this.rec.node)) {
          return undefined;
        }
        const b = this.lookup(node.text);
        const i = b ? this.paramIndex.get(b.key) : undefined;
        return i !== undefined ? Param(i, [], node.text) : undefined;
      },
    };
  }

  /** A summary's sink seen from this call site: its destination with the callee's parameters replaced by our arguments. */
  private siteAt(site: SinkSite, argExprs: readonly ts.Expression[]): SinkSite {
    const dv = site.destinationValue;
    if (!dv || !mentionsParam(dv)) return site;
    const env = this.destinationEnv();
    const sub = substituteParams(dv, (i) => (argExprs[i] ? evaluateDestination(argExprs[i]!, env) : undefined));
    return { ...site, destinationValue: sub, destination: toDestination(sub) };
  }

  /** A callee's sink seen from inside a door vetted for some classes: those classes are vetted there too. */
  private inDoor(site: SinkSite): SinkSite {
    const door = joinDoors(this.frame.door, site.door);
    return door === site.door ? site : { ...site, door };
  }

  /** A fact at a sink argument: a flow if concrete, an entry of this function's summary if symbolic. */
  private reachSink(f: Fact, site: SinkSite, classes: Set<string> | undefined): void {
    if (f.kind === "class") {
      // data of a class the enclosing door is vetted for stays inside
      if (site.door?.classes.includes(f.dataClass)) return;
      classes?.add(f.dataClass);
      const dest = site.destination.status === "resolved" ? ` to ${site.destination.host}` : "";
      const step = addStep(f.step, site.argument, site.file, `sent by \`${site.hit.label}\`${dest}`, "sink");
      this.flows.push({ fact: f, site, step });
      return;
    }
    if (ts.isSourceFile(this.rec.node)) return;
    let at = this.siteKeys.get(site);
    if (at === undefined) {
      at = `${site.file.path}:${site.argument.pos}>${JSON.stringify(site.destinationValue ?? site.destination)}`;
      this.siteKeys.set(site, at);
    }
    const key = `${f.key}@${at}`;
    const i = this.sinkIndex.get(key);
    if (i !== undefined) {
      const old = this.sinks[i]!;
      if ((f.step?.length ?? 0) < (old.fact.step?.length ?? 0)) this.sinks[i] = { fact: f, site };
      return;
    }
    this.sinkIndex.set(key, this.sinks.length)
    this.sinks.push({ fact: f, site });
  }
}

function mentionsParam(v: DestinationValue): boolean {
  switch (v.kind) {
    case "param":
      return true;
    case "concat":
      return v.parts.some(mentionsParam);
    case "url":
      return mentionsParam(v.input) || (v.base !== undefined && mentionsParam(v.base));
    case "object":
      return [...v.properties.values()].some(mentionsParam);
    case "fallback":
      return mentionsParam(v.left) || mentionsParam(v.right);
    default:
      return false;
  }
}

/** The place a parameter is, for Step.enters / SourceOrigin.place. */
function paramPlace(p: ts.ParameterDeclaration, file: FileRef): string {
  return `p:${file.path}:${p.pos}:${p.end}`;
}

function hasSymbol(v: Value): boolean {
  for (const f of v.facts?.values() ?? []) if (f.kind === "symbol") return true;
  return false;
}

function calleeName(decl: ts.Node): string {
  const q = qualifiedName(decl);
  const parts = q.split(".");
  const last = parts[parts.length - 1] ?? q;
  return last === "constructor" && parts.length > 1 ? `new ${parts[parts.length - 2]}` : last;
}

/**
 * Replaces every symbolic fact of a value by the caller's value at that path (deep facts, fields, element trees).
 * `resolve` must give the same value for the same fact object; `memo` (shared by the substitutions of one call site
 * while `resolve` does not change) maps each tree node once, so subtrees shared by several parents cost one visit and
 * the result shares them too. A node without symbolic facts below it is kept as it is.
 */
export function substituteValue(
  v: Value,
  resolve: (f: SymbolFact) => Value,
  memo: Map<Value, Value> = new Map(),
): Value {
  const done = memo.get(v);
  if (done) return done;
  let out: Value = EMPTY;
  let concrete: Map<string, Fact> | undefined;
  let symbolic = false;
  for (const f of v.facts?.values() ?? []) {
    if (f.kind === "symbol") {
      symbolic = true;
      out = joinValues(out, resolve(f));
    } else (concrete ??= new Map()).set(f.key, f);
  }
  let fields: Map<string, Value> | undefined;
  let fieldsChanged = false;
  if (v.fields) {
    fields = new Map();
    for (const [k, c] of v.fields) {
      const d = substituteValue(c, resolve, memo);
      if (d !== c) fieldsChanged = true;
      fields.set(k, d);
    }
  }
  const result = !symbolic && !fieldsChanged ? v : joinValues(makeValue(concrete, fields, v.fns, v.strong), out);
  memo.set(v, result);
  return result;
}

/** `resolve` asked once per symbolic fact object (the same fact sits at many nodes of a summary's trees). */
function resolveOnce(resolve: (f: SymbolFact) => Value): (f: SymbolFact) => Value {
  const resolved = new Map<SymbolFact, Value>();
  return (f) => {
    let v = resolved.get(f);
    if (!v) resolved.set(f, (v = resolve(f)));
    return v;
  };
}

/** Analyses one function (once per change of what it depends on) and memoises its summary. */
export function analyseRecord(ctx: EngineContext, rec: FunctionRecord): Summary {
  rec.status = "running";
  rec.runs++;
  ctx.functionsAnalysed++;
  const analysis = new FunctionAnalysis(ctx, rec);
  const caller = ctx.current;
  ctx.current = rec;
  let summary: Summary;
  try {
    summary = analysis.run();
  } catch (error) {
    // A bug of ours in this function's analysis: said once per cause (exit 3), and what it found before is kept. Its
    // callers go on with the summary it had (or none): one broken function must not cost the rest of the scan.
    ctx.internalError(error, "engine", rec.node);
    analysis.keepPartial();
    summary = rec.summary ?? EMPTY_SUMMARY;
  } finally {
    ctx.current = caller;
  }
  const changed = !rec.summary || rec.summary.key !== summary.key;
  rec.summary = summary;
  rec.status = "done";
  if (changed) for (const d of rec.dependents) ctx.worklist.add(d);
  return summary;
}
