import { ts } from "ts-morph";
import { Kind, isAwaitExpression, isBlock, isCallExpression, isConstructorDeclaration, isDefaultClause, isFunctionDeclaration, isIdentifier, isIterationStatement, isObjectBindingPattern, isOmittedExpression, isParameterPropertyDeclaration, isPropertyDeclaration, isSourceFile, isVariableDeclarationList } from "../../compiler-direct.js";
import { spanKey, type Binding } from "../context.js";
import { ELEMENTS, EMPTY, collectFacts, joinValues, makeValue, readField, readPosition, restArguments, withoutFields, writePath, type Value } from "../value.js";
import { skipOuterExpressions } from "../../workspace/symbols.js";
import { ExpressionInterpreter } from "./expressions.js";
import { exclusiveRun } from "./exclusive-conditions.js";
import { type Alias, type Control, MAX_NESTING, State } from "./state.js";
import { propertyNameText, unwrap } from "./syntax.js";

/**
 * Statements, by structure: sequences, branches joined, loops to a fixpoint, try/catch/finally, switch, declarations and
 * destructuring, and a function's entry (parameters bound, fields initialised, body run).
 */
export abstract class StatementInterpreter extends ExpressionInterpreter {
  /** Binds parameters, runs field initialisers for constructors, then the body. */
  protected enterFunction(fn: ts.SignatureDeclaration, args: Value[], cls: ts.ClassLikeDeclaration | undefined): void {
    fn.parameters.forEach((p, i) => {
      let v = p.dotDotDotToken ? restArguments(args, i) : args[i] ?? EMPTY;
      if (p.dotDotDotToken && args[i]?.facts && [...args[i]!.facts!.values()].some((f) => f.kind === "symbol")) {
        v = args[i]!;
      }
      if (p.initializer) v = joinValues(v, this.evalExpr(p.initializer));
      if (!this.leftOut(p, i)) {
        const declared = this.sourcesOf(p, p.name);
        for (const key of collectFacts(declared)?.keys() ?? []) this.parameterSources.add(key);
        v = joinValues(v, declared);
      }
      if (isIdentifier(p.name)) {
        const key = this.declare(p.name, "function", p);
        this.frame.params.push({ key, root: `p${i}` });
        this.paramIndex.set(key, i);
        this.state.set(key, v);
        // constructor(private phone: string): the parameter is also this.phone
        if (isConstructorDeclaration(fn) && isParameterPropertyDeclaration(p, fn)) {
          this.writeThisField([p.name.text], v, p);
        }
      } else {
        this.bindPattern(p.name, v, "function");
      }
    });
    if (isConstructorDeclaration(fn) && cls) this.initialiseFields(cls);
    const body = (fn as ts.FunctionLikeDeclaration).body;
    if (!body) return;
    if (isBlock(body)) this.execStatements(body.statements);
    else this.frame.returns = joinValues(this.frame.returns, this.evalExpr(body));
    this.recordExit();
  }

  protected execStatements(stmts: readonly ts.Statement[]): void {
    const outer = this.scope;
    this.scope = { names: new Map(), parent: outer, kind: outer.kind === "module" && this.frame.fn === this.rec.node && isSourceFile(this.rec.node) ? "module" : "block" };
    if (this.scope.kind === "module") (this.scope as { names: Map<string, Binding> }).names = outer.names;
    // hoisting: function declarations are callable before their statement
    for (const st of stmts) {
      if (isFunctionDeclaration(st) && st.name && this.scope.kind !== "module") {
        this.scope.names.set(st.name.text, { key: `f:${this.file.path}:${st.pos}`, fn: st });
      }
    }
    for (let i = 0; i < stmts.length && this.state.alive; ) {
      const run = exclusiveRun(stmts, i, () => this.ctx.checker);
      // no array per statement: this loop runs for every statement the engine interprets
      if (run > 1 && this.ctx.depth < MAX_NESTING) this.execExclusiveIfs(stmts.slice(i, i + run) as ts.IfStatement[]);
      else for (let k = i; k < i + run && this.state.alive; k++) this.execStatement(stmts[k]!);
      i += run;
    }
    this.scope = outer;
  }

  /**
   * `if`s that test one member against different constants (exclusive-conditions.ts): at most one body runs, so each
   * starts from the state before the chain, and the chain's exit joins that state (none ran) with each body's end.
   */
  private execExclusiveIfs(ifs: readonly ts.IfStatement[]): void {
    const entry = this.state.clone();
    const ends: State[] = [];
    this.ctx.depth++;
    try {
      for (const s of ifs) {
        this.tick(s);
        this.state = entry.clone();
        this.evalExpr(s.expression);
        const known = this.conditionKnown(s.expression);
        if (known === "falsy") continue;
        this.execStatement(s.thenStatement);
        ends.push(this.state);
      }
    } finally {
      this.ctx.depth--;
    }
    this.state = entry;
    for (const s of ifs) this.evalExpr(s.expression);
    for (const end of ends) this.state = State.join(this.state, end);
  }

  protected execStatement(st: ts.Statement): void {
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

  protected execStatementInner(st: ts.Statement): void {
    switch (st.kind) {
      case Kind.Block:
        this.execStatements((st as ts.Block).statements);
        return;
      case Kind.VariableStatement:
        this.execDeclarationList((st as ts.VariableStatement).declarationList);
        return;
      case Kind.ExpressionStatement:
        this.evalExpr((st as ts.ExpressionStatement).expression);
        return;
      case Kind.IfStatement: {
        // if: both arms from the state after the condition, joined
        const s = st as ts.IfStatement;
        this.evalExpr(s.expression);
        // a variant for call sites that leave a tested option unset: the branch they never take is not taken
        const known = this.conditionKnown(s.expression);
        // a read of what the condition says is absent there holds no datum (absent-paths.ts)
        const runThen = (): void => this.underCondition(s.expression, true, s.thenStatement, () => this.execStatement(s.thenStatement));
        const runElse = (): void => {
          if (s.elseStatement) this.underCondition(s.expression, false, s.elseStatement, () => this.execStatement(s.elseStatement!));
        };
        if (known === "falsy") {
          runElse();
          return;
        }
        if (known === "truthy") {
          runThen();
          return;
        }
        const before = this.state.clone();
        runThen();
        const afterThen = this.state;
        this.state = before;
        runElse();
        this.state = State.join(afterThen, this.state);
        return;
      }
      case Kind.ReturnStatement: {
        // return e: the whole value of e joins the function's return value
        const e = (st as ts.ReturnStatement).expression;
        if (e) this.frame.returns = joinValues(this.frame.returns, this.evalExpr(e));
        this.recordExit();
        this.state.alive = false;
        return;
      }
      case Kind.ThrowStatement: {
        this.evalExpr((st as ts.ThrowStatement).expression);
        this.frame.throws[this.frame.throws.length - 1]?.push(this.state.clone());
        this.state.alive = false;
        return;
      }
      case Kind.ForStatement: {
        const s = st as ts.ForStatement;
        const outer = this.scope;
        this.scope = { names: new Map(), parent: outer, kind: "block" };
        if (s.initializer) {
          if (isVariableDeclarationList(s.initializer)) this.execDeclarationList(s.initializer);
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
      case Kind.WhileStatement: {
        const s = st as ts.WhileStatement;
        this.loop(st, () => this.evalExpr(s.expression), () => this.execStatement(s.statement));
        return;
      }
      case Kind.DoStatement: {
        const s = st as ts.DoStatement;
        this.loop(st, undefined, () => this.execStatement(s.statement), () => this.evalExpr(s.expression));
        return;
      }
      case Kind.ForOfStatement:
      case Kind.ForInStatement: {
        // for (x of xs): x takes the elements of xs on every round; for (k in o): k is a field name (no data)
        const s = st as ts.ForOfStatement;
        const coll = this.evalExpr(s.expression);
        const item = st.kind === Kind.ForOfStatement ? readField(coll, ELEMENTS, this.fieldDepth) : EMPTY;
        const outer = this.scope;
        this.scope = { names: new Map(), parent: outer, kind: "block" };
        // each element of an array at an access path is that array's element: `for (const item of order.items)
        // item.note = email` writes into `order.items`' elements, as does one of `order.items.filter(isOpen)`
        const elementOf = st.kind === Kind.ForOfStatement ? this.elementAliases(s.expression) : [];
        this.loop(st, () => {
          this.assignTarget(s.initializer, item, s.initializer);
          const id = isVariableDeclarationList(s.initializer) ? s.initializer.declarations[0]?.name : unwrap(s.initializer);
          const b = id && isIdentifier(id) ? this.lookup(id.text) : undefined;
          if (b?.key.startsWith("l:") && elementOf.length > 0) {
            this.state.setAliases(b.key, elementOf);
          }
        }, () => this.execStatement(s.statement));
        this.scope = outer;
        return;
      }
      case Kind.TryStatement:
        this.execTry(st as ts.TryStatement);
        return;
      case Kind.SwitchStatement:
        this.execSwitch(st as ts.SwitchStatement);
        return;
      case Kind.LabeledStatement: {
        const s = st as ts.LabeledStatement;
        const inner = s.statement;
        if (isIterationStatement(inner, false)) {
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
      case Kind.BreakStatement:
      case Kind.ContinueStatement: {
        const s = st as ts.BreakStatement;
        const label = s.label?.text;
        const isBreak = st.kind === Kind.BreakStatement;
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
      case Kind.FunctionDeclaration:
        // hoisted in execStatements; analysed on its own (and inlined where called)
        return;
      case Kind.ClassDeclaration:
        this.execClassStatics(st as ts.ClassDeclaration);
        return;
      case Kind.ExportAssignment: {
        // export default e / export = e: the module's exports
        const v = this.evalExpr((st as ts.ExportAssignment).expression);
        this.ctx.writeStore(`x:${this.file.path}`, this.concreteOnly(v), this.rec);
        return;
      }
      default:
        return;
    }
  }

  protected pendingLabels: string[] = [];

  protected execClassStatics(cls: ts.ClassDeclaration): void {
    for (const m of cls.members) {
      if (isPropertyDeclaration(m) && m.initializer && ts.getModifiers(m)?.some((x) => x.kind === Kind.StaticKeyword)) {
        this.evalExpr(m.initializer);
      }
    }
  }

  protected execDeclarationList(list: ts.VariableDeclarationList): void {
    const kind = list.flags & (ts.NodeFlags.Let | ts.NodeFlags.Const | ts.NodeFlags.Using) ? "block" : "function";
    for (const d of list.declarations) {
      // const x = e: x takes e's value (and is itself a source when its name or type says so)
      let v = d.initializer ? this.evalExpr(d.initializer) : EMPTY;
      // the answer kept whole (`const response = await supabase.auth.signUp(…)`): its `error` read as a member is the
      // library's, as when destructured
      if (isIdentifier(d.name) && v.facts !== undefined && d.initializer && this.answeredByUnknownCall(d.initializer)) v = withCleanError(v, this.fieldDepth);
      if (isIdentifier(d.name)) {
        const sources = this.sourcesOf(d, d.name, v);
        const key = this.declare(d.name, kind, d);
        const b: Binding = { key };
        const step = `assigned to \`${d.name.text}\``;
        // A local keeps its value bounded (writeBinding): cut at the field depth, capped per path. The step adds one
        // step to every fact, so it leaves alone which facts the cut and the cap keep (the first of the shortest trace
        // per key and group) and whether they give something up: bounded first, then stepped, is the very value
        // stepped first, then bounded, with the same notifications in the same order — but it steps only what the
        // local keeps. A call's result is the callee's summary with the caller's trees grafted at its symbolic facts,
        // up to twice the field depth deep: a recursive-descent parser's `var expr = this.parseExpr()` stepped a
        // 90,000-node result to keep its top five levels (docs/engine.md, "Cost"). The name's own sources join first,
        // as before, where there are any; a module binding goes to its store unbounded.
        if (sources === EMPTY && !key.startsWith("m:")) v = this.stepped(this.bounded(v), d.name, step);
        else v = joinValues(this.stepped(v, d.name, step), sources);
        this.writeBinding(b, v);
        this.aliasLocal(key, d.initializer);
      } else {
        if (d.initializer && isObjectBindingPattern(d.name)) v = this.withRequestMembers(d.initializer, d.name, v);
        if (d.initializer && isObjectBindingPattern(d.name) && this.answeredByUnknownCall(d.initializer)) v = withCleanError(v, this.fieldDepth);
        this.bindPattern(d.name, v, kind);
        if (d.initializer && isObjectBindingPattern(d.name)) this.aliasMembers(d.name, this.aliasTargets(d.initializer));
      }
    }
  }

  /** Whether `e` is (the awaited answer of) a call nobody models or resolves, evaluated just before. */
  private answeredByUnknownCall(e: ts.Expression): boolean {
    let x = skipOuterExpressions(e);
    if (isAwaitExpression(x)) x = skipOuterExpressions(x.expression);
    return isCallExpression(x) && this.unresolved.has(spanKey(x));
  }

  /**
   * `const { labels, meta: m } = account`: each member bound whole may hold the object at its path of what was
   * destructured (`account.labels`), as `const labels = account.labels` does; a rest element is a new object.
   */
  protected aliasMembers(pattern: ts.ObjectBindingPattern, targets: readonly Alias[]): void {
    if (targets.length === 0) return;
    for (const el of pattern.elements) {
      const prop = el.dotDotDotToken || !isIdentifier(el.name) ? undefined : propertyNameText(el.propertyName ?? el.name);
      const b = prop !== undefined ? this.lookup((el.name as ts.Identifier).text) : undefined;
      if (b === undefined || !b.key.startsWith("l:")) continue;
      this.state.setAliases(
        b.key,
        targets.map((t) => ({ root: t.root, path: [...t.path, prop!], id: `${t.id}.${prop!}` })),
      );
    }
  }

  /** Destructuring: `{ a, b: c = d, ...rest }` and `[x, , ...ys]` bind parts of the value. */
  protected bindPattern(name: ts.BindingName, v: Value, kind: "block" | "function" | "assign"): void {
    if (isIdentifier(name)) {
      const val = this.stepped(v, name, `assigned to \`${name.text}\``);
      if (kind === "assign") {
        const b = this.lookup(name.text);
        if (b) {
          this.writeBinding(b, val);
          this.state.setAliases(b.key, []);
        }
        return;
      }
      const key = this.declare(name, kind);
      this.writeBinding({ key }, val);
      this.state.setAliases(key, []);
      return;
    }
    if (isObjectBindingPattern(name)) {
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
    // [a, b, ...rest]: each element (and the rest) takes the elements of the value, or its position in a pair
    const els = readField(v, ELEMENTS, this.fieldDepth);
    for (const [i, el] of name.elements.entries()) {
      if (isOmittedExpression(el)) continue;
      let part = el.dotDotDotToken ? makeValue(undefined, new Map([[ELEMENTS, els]])) : readPosition(v, i, this.fieldDepth);
      if (el.initializer) part = joinValues(part, this.evalExpr(el.initializer));
      this.bindPattern(el.name, part, kind);
    }
  }

  /**
   * Iterates a loop body until the state stops growing (bounded by the loop-rounds budget), joining `continue`s into
   * the head and `break`s into the exit.
   */
  protected loop(node: ts.Node, head: (() => void) | undefined, body: () => void, tail?: () => void): void {
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
  protected execTry(s: ts.TryStatement): void {
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

  protected execSwitch(s: ts.SwitchStatement): void {
    this.evalExpr(s.expression);
    const entry = this.state.clone();
    const c: Control = { kind: "switch", labels: [], breaks: [], continues: [] };
    this.frame.controls.push(c);
    let fall: State | undefined;
    let hasDefault = false;
    for (const clause of s.caseBlock.clauses) {
      if (isDefaultClause(clause)) hasDefault = true;
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
}

/**
 * The answer of a call nobody models with its `error` member clean: `const { data, error } = await
 * supabase.from("sales").insert(row)` gets the library's error beside the data, which is no more the row than a `catch`
 * clause's error or an error-first callback's (calls.ts); `data` still carries what the call was given.
 */
function withCleanError(v: Value, fieldDepth: number): Value {
  return writePath(v, ["error"], EMPTY, true, fieldDepth);
}
