import path from "node:path";
import { placedAtOwner } from "../back-references.js";
import { ts } from "ts-morph";
import { Kind, isArrowFunction, isBlock, isCallExpression, isClassDeclaration, isClassExpression, isClassLike, isConstructorDeclaration, isElementAccessExpression, isExpression, isIdentifier, isMethodDeclaration, isNewExpression, isParameterPropertyDeclaration, isPropertyAccessExpression, isPropertyDeclaration, isSourceFile, isSpreadElement, isStringLiteralLike, isVariableDeclaration, isVariableDeclarationList } from "../../compiler-direct.js";
import { builtinConstructor, builtinFunction, builtinMethod, writesReceiver, type BuiltinSite, type Given } from "../builtins.js";
import { isFunctionLike, isModuleKey, qualifiedName, spanKey, type Binding, type FunctionRecord } from "../context.js";
import { declaresProperty } from "../function-list.js";
import { fieldsInstalledByMethods } from "./installed-fields.js";
import { symbolFact, type Fact, type FactSet, type SymbolFact } from "../facts.js";
import type { SinkSite, Summary } from "../summary.js";
import type { FileRef } from "../trace.js";
import {
  CONTINUATION,
  ELEMENTS,
  EMPTY,
  collectFacts,
  factsValue,
  filterFacts,
  flatten,
  hasTaint,
  isContinuation,
  joinAll,
  joinValues,
  makeValue,
  firstEntries,
  mapFact,
  mapFactsWith,
  type FactMapper,
  readField,
  readPath,
  readPathMemo,
  type ReadMemo,
  restArguments,
  spreadRest,
  TUPLE_POSITIONS,
  isEmpty as isEmptyValue,
  withoutFields,
  withoutPath,
  writePath,
  type FnRef,
  type Value,
} from "../value.js";
import { calledOnThisOf, declaringClass, dispatchesOnThis, isMethodBody, thisContainer } from "../receiver-dispatch.js";
import { answerTest, awaitedCall, decideTest, hookConstNames, methodAnswers, type AnswerKind } from "../hook-answers.js";
import { missingModuleImport } from "../missing-module.js";
import { ChannelRecorder, isChannelKey } from "./channels.js";
import { EnteringSteps } from "./entering-steps.js";
import { SubstitutionBudget } from "./substitution-budget.js";
import { type Alias, MAX_CALLEE_NESTING, State } from "./state.js";
import { calleeText, dottedName, enclosingClass, enclosingFunction, isInside, paramPlace, propertyNameText, unwrap, valueDropped } from "./syntax.js";
import { ALWAYS_READ, RECEIVER_PATH_DEPTH, SummaryParts } from "../reads.js";
import { declaredFunctionType } from "../../workspace/declared-function-type.js";
import { declaresThis, symbolThroughImports } from "../../workspace/symbols.js";
import type { PropagateRow } from "../../vocabulary/question.js";

/**
 * Calls: modelled library calls, built-ins, project functions through their summaries (substitution of the callee's
 * symbolic facts by this call site's values), closures inlined at their call, and unknown calls.
 */
export abstract class CallInterpreter extends ChannelRecorder implements BuiltinSite {
  /** `this` as the receiver of the `this.m()` call being evaluated, read pending (`readThisPending`). */
  private receiverRead: ReceiverRead | undefined;

  protected evalCall(call: ts.CallExpression | ts.NewExpression): Value {
    const outer = this.receiverRead;
    this.receiverRead = undefined;
    try {
      return this.evalCallOn(call);
    } finally {
      if (this.receiverRead) this.receiverReadDone(this.receiverRead);
      this.receiverRead = outer;
    }
  }

  /**
   * The stores `this` was read from at a `this.m()` call are read at the paths the call's substitutions took — only
   * where every body the call ran was applied through its summary, whole otherwise (reads.ts): a write of a field of the
   * receiver's store that no summary reads does not make the caller run again. growthbook's handlers that build query
   * runners (`new XQueryRunner(context, …)`) wrote each runner's built store again once the request context's helper
   * had changed, and the runners' variants, whose `this.m()` calls read `this.context.models.<model>`, ran again for
   * the context's other fields and models.
   */
  private receiverReadDone(read: ReceiverRead): void {
    for (const [key, value] of read.stores) {
      if (read.used && !read.whole) this.ctx.reads.storePathsRead(key, this.rec, value, read.paths.values());
      else this.ctx.reads.storeRead(key, this.rec, value, undefined);
      this.ctx.reads.readDone(key, this.rec);
    }
  }

  private evalCallOn(call: ts.CallExpression | ts.NewExpression): Value {
    const calleeExpr = call.expression;
    // receiver and callee value
    let recv: Value = EMPTY;
    let recvExpr: ts.Expression | undefined;
    let calleeValue: Value = EMPTY;
    let methodName: string | undefined;
    const c = unwrap(calleeExpr);
    if (isPropertyAccessExpression(c) || isElementAccessExpression(c)) {
      recvExpr = c.expression;
      methodName = isPropertyAccessExpression(c) ? c.name.text : this.keyOf(c.argumentExpression);
      if (c.expression.kind === Kind.SuperKeyword) recv = this.state.vars.get("this") ?? EMPTY;
      else if (c.expression.kind === Kind.ThisKeyword && isPropertyAccessExpression(c)) {
        const { value, stores } = this.readThisPending();
        if (stores.length > 0) this.receiverRead = { node: c.expression, stores, paths: new Map(), used: false, whole: false };
        recv = value;
      } else recv = this.evalExpr(c.expression);
      calleeValue = methodName !== undefined
        ? c.expression.kind === Kind.ThisKeyword
          ? readField(this.state.vars.get("this") ?? EMPTY, methodName, this.fieldDepth)
          : readField(recv, methodName, this.fieldDepth)
        : EMPTY;
    } else if (c.kind !== Kind.SuperKeyword && c.kind !== Kind.ImportKeyword) {
      calleeValue = this.evalExpr(c);
    }
    // arguments, in order
    const argNodes = call.arguments ?? ts.factory.createNodeArray<ts.Expression>();
    const args: Value[] = [];
    const argExprs: ts.Expression[] = [];
    // the array a last argument spreads (`f(a, ...xs)`): a project callee's later parameters read it position by position
    let spreadLast: Value | undefined;
    for (let k = 0; k < argNodes.length; k++) {
      const a = argNodes[k]!;
      if (isSpreadElement(a)) {
        // f(...xs): every later parameter may take any element
        const spread = this.evalExpr(a.expression);
        if (k === argNodes.length - 1) spreadLast = spread;
        args.push(readField(spread, ELEMENTS, this.fieldDepth));
      } else args.push(this.evalExpr(a));
      argExprs.push(a);
    }
    // dynamic code and CommonJS require
    if (isIdentifier(c) && !this.lookup(c.text)) {
      if (c.text === "eval" || (c.text === "Function" )) {
        this.ctx.notify("dynamic-code", "warning", `dynamic code (${c.text}) in ${this.frame.name} is not analysed`, call);
        return flatten(joinAll(args));
      }
      if (c.text === "require" && isCallExpression(call)) return this.evalRequire(call);
    }
    if (c.kind === Kind.ImportKeyword) {
      const a0 = argNodes[0];
      if (!a0 || !isStringLiteralLike(a0)) this.ctx.notify("dynamic-code", "warning", `dynamic import() in ${this.frame.name} is not analysed`, call);
      return EMPTY;
    }

    // a queue's add or process, an emitter's emit or on: what the channel carries (channels.ts), besides the model
    const channel = this.ctx.question.channelAt?.(call);
    const subscribed = channel ? this.channelCall(channel, call, args, argExprs) : undefined;
    const model = this.ctx.question.callAt(call);
    // the subscriber's callback has run with the channel's message: a library call does not run it again with its
    // receiver and arguments (a project body that takes it, an override, still gets it)
    if (subscribed !== undefined && model.kind !== "project") args[subscribed] = EMPTY;
    switch (model.kind) {
      case "sink":
        this.sinkCall(call, model.sink, args, argExprs);
        this.invokeCallbacks(args, EMPTY, call, argExprs);
        return EMPTY;
      case "query":
        // a link of a table's query chain builds the query on: its callbacks (`modify(fn)`, `where(function () {…})`)
        // get the query; what it carries keeps its shape (a joined subquery's rows, their columns)
        if (model.link) {
          this.invokeCallbacks(args, recv, call, argExprs);
          return joinAll([recv, ...args.filter((a) => !a.fns)]);
        }
        // a query's answer is the database's, whatever filter found it; a write's echoes the data it wrote
        this.invokeCallbacks(args, EMPTY, call, argExprs);
        // a table's saves and reads meet in the table's store (channels.ts)
        if (model.table !== undefined) return this.tableCall(model.table, model, args, argExprs, call);
        return model.echoes !== undefined ? (args[model.echoes] ?? EMPTY) : EMPTY;
      case "sanitizer":
      case "synthetic":
      case "vetted":
        // the result of a sanitizer is clean, a generator's is made up; data passed to a vetted door stays inside
        this.invokeCallbacks(args, EMPTY, call, argExprs);
        return EMPTY;
      case "source": {
        return joinValues(this.sourceValue(model.hits, call, call), EMPTY);
      }
      case "builder": {
        // a builder's link: its callbacks get what the chain carries at its own members (`ctx`), not at the client's
        // input (`parsedInput`), and a `next` that answers what it is given. The builder carries on, field by field,
        // what it had, what went in (a middleware built on the same builder: `t.procedure.use(authenticated)`) and what
        // a middleware handed on at those members (`next({ ctx })`: the request's metadata is not the audit user
        // beside it); what else the callbacks return (a resolver's answer) joins whole
        const given = makeValue(undefined, new Map<string, Value>([...model.carries.map((m): [string, Value] => [m, recv]), ["next", CONTINUATION]]));
        const returned = this.invokeCallbacks(args, given, call, argExprs);
        const handedOn = model.carries.map((m) => readField(returned, m, this.fieldDepth));
        return joinAll([recv, ...args.filter((a) => !a.fns), ...handedOn, flatten(withoutFields(returned, model.carries))]);
      }
      case "router":
        // a handler runs on each request the framework passes it (its sources are read off that request), and what it
        // returns is the response to the client; the error handler's error is what a handler threw, clean like a
        // `catch` clause's. The app is what it was before, and what it was given besides its handlers.
        this.invokeCallbacks(args, EMPTY, call, argExprs);
        return joinValues(recv, flatten(joinAll(args.filter((a) => !a.fns))));
      case "propagate":
        return this.propagate(model.rows, recv, args, recvExpr, argExprs);
      case "validated": {
        // Schema.parse(body): what went in comes out, field by field (a validated feature's name does not carry its
        // author's e-mail), and the validated fields hold their classes whatever their names
        this.invokeCallbacks(args, EMPTY, call, argExprs);
        const input = args[0] ?? EMPTY;
        const parsed = model.at.length > 0 ? writePath(EMPTY, [...model.at], input, false, this.fieldDepth) : input;
        return model.hits.length > 0 ? joinValues(parsed, this.sourceValue(model.hits, call, call)) : parsed;
      }
      case "unmodelled":
        // an unmodelled package: what its arguments carry reaches a door nobody vetted; its result carries them on
        this.sinkCall(call, model.sink, args, argExprs);
        return this.callUnknown(call, c, methodName, calleeValue, recv, recvExpr, args, argExprs, true);
      case "project": {
        const decl = model.declaration;
        const target = isClassDeclaration(decl as ts.Node) || isClassExpression(decl as ts.Node)
          ? (decl as unknown as ts.ClassLikeDeclaration)
          : undefined;
        // `this.m()` on the analysed method's own receiver, or a receiver the model knows the class of: that class
        // bounds what may run (receiver-dispatch.ts)
        const receiver = target ? undefined : this.receiverAt(recvExpr) ?? model.receiverClass;
        let bodies: ts.Node[] = [target ? this.constructorOf(target) ?? target : decl, ...(model.overrides ?? [])];
        if (receiver && this.rec.receiver && recvExpr && unwrap(recvExpr).kind === Kind.ThisKeyword) {
          bodies = this.bodiesOn(bodies, methodName, receiver);
        }
        const [first, ...rest] = bodies as [ts.Node, ...ts.SignatureDeclaration[]];
        if (spreadLast !== undefined) this.spreadByPosition(first, spreadLast, args, argExprs);
        const result = this.callProject(call, first, recv, recvExpr, args, argExprs, false, this.variantFor(first, receiver), valueDropped(call));
        // a door vetted for some classes: the others reach the egress inside it (its summary); its result is clean
        if (model.door) return EMPTY;
        return rest.length > 0 ? joinValues(result, this.callOverrides(call, rest, recv, recvExpr, args, argExprs, receiver)) : result;
      }
      default:
        return this.callUnknown(call, c, methodName, calleeValue, recv, recvExpr, args, argExprs);
    }
  }

  /**
   * A project callee's parameters at and after a last argument's spread (`new Store(...args)`, a wrapper handing on its
   * rest parameter): each reads its own position of the spread array — a tuple's (a rest parameter's arguments,
   * restArguments) or, of an array of unknown length or a parameter's symbolic value, the elements at that index — not
   * every element joined in the first. A rest parameter among them keeps the elements joined, as before.
   */
  private spreadByPosition(body: ts.Node, spread: Value, args: Value[], argExprs: ts.Expression[]): void {
    if (!isFunctionLike(body)) return;
    const at = args.length - 1;
    const element = argExprs[at]!;
    const parameters = body.parameters;
    for (let j = at; j < parameters.length && j - at < TUPLE_POSITIONS; j++) {
      if (parameters[j]!.dotDotDotToken !== undefined) {
        // a rest parameter takes the rest of the array as it is (a rest forwarded into another rest keeps its positions)
        args[j] = spreadRest(spread, j - at, this.fieldDepth);
        argExprs[j] = element;
        break;
      }
      args[j] = readField(spread, String(j - at), this.fieldDepth);
      argExprs[j] = element;
    }
  }

  /**
   * A call through a declared type also runs the overrides / implementations below it (class-hierarchy dispatch), each
   * through its summary; past `implementationsPerCall` bodies (the resolved one included) the rest are left out.
   * `receiver`: the class `this` is known to be, for a call on the analysed method's own receiver.
   */
  protected callOverrides(
    call: ts.CallExpression | ts.NewExpression,
    overrides: readonly ts.SignatureDeclaration[],
    recv: Value,
    recvExpr: ts.Expression | undefined,
    args: Value[],
    argExprs: ts.Expression[],
    receiver?: ts.ClassLikeDeclaration,
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
    for (const body of overrides.slice(0, cap)) {
      out = joinValues(out, this.callProject(call, body, recv, recvExpr, args, argExprs, false, this.variantFor(body, receiver), valueDropped(call)));
    }
    return out;
  }

  /**
   * The class the receiver of `this.m()` / `super.m()` is known to be (or be below) when that `this` is the analysed
   * method's own: a receiver variant's class, else the method's class; undefined for any other receiver.
   */
  protected receiverAt(recvExpr: ts.Expression | undefined): ts.ClassLikeDeclaration | undefined {
    if (!recvExpr) return undefined;
    const r = unwrap(recvExpr);
    if (r.kind !== Kind.ThisKeyword && r.kind !== Kind.SuperKeyword) return undefined;
    if (!isMethodBody(this.rec.node) || thisContainer(r) !== this.rec.node) return undefined;
    return this.rec.receiver ?? declaringClass(this.rec.node);
  }

  /**
   * A body called on a receiver of class `receiver`: analysed as that receiver's variant when the body belongs to a
   * class above it and its result can differ by receiver; else its own record (undefined).
   */
  protected variantFor(body: ts.Node, receiver: ts.ClassLikeDeclaration | undefined): ts.ClassLikeDeclaration | undefined {
    if (!receiver || !isMethodBody(body)) return undefined;
    const own = declaringClass(body);
    if (!own || own === receiver || !this.isBelow(receiver, own)) return undefined;
    return dispatchesOnThis(body, (c) => this.ctx.question.callAt(c), this.ctx.dispatching) ? receiver : undefined;
  }

  /** Also decided in a receiver variant: a test of what the receiver's optional hook answers (hook-answers.ts). */
  protected override conditionKnown(condition: ts.Expression): "falsy" | "truthy" | undefined {
    return super.conditionKnown(condition) ?? this.hookTruth(condition);
  }

  /** The analysed body's `const`s set from a call on `this` (hook-answers.ts), found at its first test. */
  private hookNames: ReadonlySet<string> | undefined;

  private hookTruth(condition: ts.Expression): "falsy" | "truthy" | undefined {
    if (this.rec.receiver === undefined || this.frame.fn !== this.rec.node) return undefined;
    const test = answerTest(condition);
    const answers = test && this.answersOf(test.operand);
    return test && answers && decideTest(test, answers);
  }

  /**
   * What `operand` may hold when it is a call of the receiver's own method (`await this.beforeSend?.(props)`), or a
   * `const` of the analysed body initialised with one; undefined when it is anything else or may be anything.
   */
  private answersOf(operand: ts.Expression): ReadonlySet<AnswerKind> | undefined {
    let { call, awaited } = awaitedCall(operand);
    if (isIdentifier(call)) {
      // the checker (made on first need: a cached review may make none) only for a name the body gives such a value
      this.hookNames ??= hookConstNames(this.rec.node);
      if (!this.hookNames.has(call.text)) return undefined;
      const declaration = this.ctx.checker.getSymbolAtLocation(call)?.valueDeclaration;
      if (declaration === undefined || !isVariableDeclaration(declaration) || declaration.initializer === undefined) return undefined;
      if (!isVariableDeclarationList(declaration.parent) || (declaration.parent.flags & ts.NodeFlags.Const) === 0) return undefined;
      if (enclosingFunction(declaration) !== this.rec.node) return undefined;
      ({ call, awaited } = awaitedCall(declaration.initializer));
    }
    if (!isCallExpression(call) || !calledOnThisOf(call, this.rec.node)) return undefined;
    const callee = unwrap(call.expression);
    if (!isPropertyAccessExpression(callee) || unwrap(callee.expression).kind !== Kind.ThisKeyword) return undefined;
    const receiver = this.rec.receiver!;
    const member = this.classMember(receiver, callee.name.text);
    if (member.field) return undefined; // a function held in a field may be any
    const model = this.ctx.question.callAt(call);
    if (model.kind !== "project") return undefined;
    // the bodies an instance of the receiver's class (or below) runs: its own or inherited one, and those below it (of a
    // method declared without a body, the model's declaration is one of the implementations)
    const below = [model.declaration, ...(model.overrides ?? [])].filter((b) => {
      const own = declaringClass(b);
      return b !== member.method && own !== undefined && own !== receiver && this.isBelow(own, receiver);
    });
    const bodies = member.method !== undefined ? [member.method, ...below] : below;
    const answers = new Set<AnswerKind>();
    // no body of its own: `this.m?.()` answers undefined (without `?.` the call would throw)
    if (member.method === undefined) {
      if (call.questionDotToken === undefined) return undefined;
      answers.add("undefined");
    }
    for (const body of bodies) {
      const some = methodAnswers(body, awaited);
      if (some === undefined) return undefined;
      for (const a of some) answers.add(a);
    }
    return answers;
  }

  /**
   * Of the bodies `this.m()` may run (the resolved one and those below the calling method's class), those an instance
   * of `receiver` runs: the one it declares or inherits, and those of its subclasses. All of them if that leaves none.
   */
  protected bodiesOn(bodies: ts.Node[], name: string | undefined, receiver: ts.ClassLikeDeclaration): ts.Node[] {
    const nearest = name !== undefined ? this.findMethodFrom(receiver, name) : undefined;
    const kept = bodies.filter((b) => {
      const own = declaringClass(b);
      return b === nearest || (own !== undefined && this.isBelow(own, receiver));
    });
    return kept.length > 0 ? kept : bodies;
  }

  /** Whether `cls` is `ancestor` or extends it (through project classes). */
  protected isBelow(cls: ts.ClassLikeDeclaration, ancestor: ts.ClassLikeDeclaration): boolean {
    let c: ts.ClassLikeDeclaration | undefined = cls;
    for (let level = 0; c !== undefined && level < 16; level++, c = this.baseOf(c)) if (c === ancestor) return true;
    return false;
  }

  /**
   * baseClassOf, once per class: every `super(…)`, `super.m()` and construction asks, and the checker resolves the
   * `extends` name anew each time (documenso: 1,621 questions about 9 classes).
   */
  protected baseOf(cls: ts.ClassLikeDeclaration): ts.ClassLikeDeclaration | undefined {
    let base = this.ctx.bases.get(cls);
    if (base === undefined) this.ctx.bases.set(cls, (base = this.baseClassOf(cls) ?? null));
    return base ?? undefined;
  }

  protected constructorOf(cls: ts.ClassLikeDeclaration): ts.ConstructorDeclaration | undefined {
    return cls.members.find((m): m is ts.ConstructorDeclaration => isConstructorDeclaration(m) && !!m.body);
  }

  protected evalRequire(call: ts.CallExpression): Value {
    const a0 = call.arguments[0];
    if (!a0 || !isStringLiteralLike(a0)) {
      this.ctx.notify("dynamic-code", "warning", `dynamic require() in ${this.frame.name} is not analysed`, call);
      return EMPTY;
    }
    const target = this.resolveRelativeFile(a0.text);
    return target ? this.ctx.readStore(`x:${target.path}`, this.rec) : EMPTY;
  }

  protected resolveRelativeFile(spec: string): FileRef | undefined {
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
  protected propagate(
    rows: readonly PropagateRow[],
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
      v = readPath(v, from.path, this.fieldDepth);
      // a path the call spells (`get(account, "data.policies")`): an index is an element (`a[0]`, `"a.0"`)
      if (row.at) v = readPath(v, row.at.map((k) => (/^\d+$/.test(k) ? ELEMENTS : k)), this.fieldDepth);
      if (row.only && !row.keepFields) v = this.selectedFlat(v, row.only);
      else if (row.only) v = this.onlyPaths(v, row.only);
      else if (row.except) for (const path of row.except) v = withoutPath(v, path);
      if (!row.keepFields) v = flatten(v);
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

  /**
   * The named paths of a value joined flat (the fields a template's tags name, `Mustache.render(action, view)`), or the
   * whole value flat when the facts cap would cut the selection: past `factsPerPath` facts a node keeps one symbolic
   * fact per parameter, so a text read from thirty fields of an event kept one of them (unleash's formatter lost the
   * acting user's address at `{{user}}`), where the whole view keeps the event itself. The selection never holds less
   * than the whole value would after the cap.
   */
  private selectedFlat(v: Value, paths: readonly (readonly string[])[]): Value {
    const selected = flatten(this.onlyPaths(v, paths));
    const facts = selected.facts;
    if (facts === undefined || facts.size <= this.ctx.budgets.factsPerPath) return selected;
    const roots = new Set<string>();
    for (const f of facts.values()) {
      if (f.kind !== "symbol") continue;
      if (roots.has(f.root)) return flatten(v);
      roots.add(f.root);
    }
    return selected;
  }

  /**
   * The value at the named paths only (lodash's `pick(license, ["dateExpires", "seats"])`): each path read from the
   * input is written at the same path of the result. What the input carries as a whole (a deep fact at its root: data
   * somewhere inside it) still reaches every path read, since which field holds it is not known.
   */
  private onlyPaths(v: Value, paths: readonly (readonly string[])[]): Value {
    let out = EMPTY;
    for (const path of paths) out = writePath(out, path, readPath(v, path, this.fieldDepth), false, this.fieldDepth);
    return out;
  }

  /**
   * Calls whose callee the Question could not resolve: built-ins, local closures, `this` methods, else unknown.
   * `packageCall`: the callee is a member of a third-party package no model covers (its provenance is known). A method
   * of it that a built-in of the same name would write into its receiver (`client.set(key, value)`, `add`, `push`) is
   * the package's, not a Map's: read as one, every `set` on a shared client joined into it and every `get` anywhere
   * answered all of it (a key-value service's client made each value ever stored a source of every read). Such a call
   * is an unknown call; the data handed to it is already at a door (`leak-to-unmodelled-library`), and a package the
   * policy lists as local keeps the built-in reading. The other built-ins keep their names' reading: what a package
   * returns is mostly plain data (`(await client.list()).map(…)`, `.then(…)`), and read whole their callbacks joined
   * every field into every path.
   */
  protected callUnknown(
    call: ts.CallExpression | ts.NewExpression,
    c: ts.Expression,
    methodName: string | undefined,
    calleeValue: Value,
    recv: Value,
    recvExpr: ts.Expression | undefined,
    args: Value[],
    argExprs: ts.Expression[],
    packageCall = false,
  ): Value {
    // a builder's continuation (`next({ ctx })`): what it is given, as it is
    if (isContinuation(calleeValue)) return joinAll(args);
    // a function value the engine tracked (local closure, object-literal method, function declaration)
    if (calleeValue.fns) {
      let out = EMPTY;
      for (const fn of calleeValue.fns) out = joinValues(out, this.invokeFn(fn, fn.thisValue ?? recv, args, call, argExprs));
      // and a function the object was given in a field, where it may be another (the listeners an `on(handler)` pushed
      // on `this.listeners`, a field's default `handler = () => {}` replaced): each call site runs its own. Only what
      // `this` holds: a parameter's (`(hookFor(action) ?? adapter.canUpdate)(…)`) made a callback entry at every
      // level of growthbook's revision handlers, their arguments through the facts cap
      const held = calleeValue.facts && (recvExpr === undefined || unwrap(recvExpr).kind === Kind.ThisKeyword) ? filterFacts(calleeValue, (f) => f.kind === "symbol" && f.root === "this" && f.path[0] !== undefined && this.installedLater(f.path[0])) : EMPTY;
      if (hasTaint(held)) out = joinValues(out, this.symbolicCall(held, args, call));
      return out;
    }
    if (c.kind === Kind.SuperKeyword) return this.callSuper(call, args, argExprs);
    if (!recvExpr && calleeValue.facts) {
      // a function a library call made (`const template = Handlebars.compile(sql)`): its value is what went into that
      // call, not a function the caller supplies; calling it is another call of the library, whose result carries what
      // it was made from and what it is given
      if (this.madeByLibrary(c)) {
        this.unresolved.add(spanKey(call));
        const all = flatten(joinAll([calleeValue, ...args]));
        return joinValues(all, flatten(this.invokeCallbacks(args, all, call)));
      }
      // fn(x) with fn supplied by the caller: each call site runs its own function here
      const r = this.symbolicCall(calleeValue, args, call);
      if (!isEmptyValue(r)) return r;
    }
    // `this.m()` and `super.m()` inside a class: the method of the class or a base class
    let ownField: boolean | undefined;
    if (recvExpr && methodName && (recvExpr.kind === Kind.ThisKeyword || recvExpr.kind === Kind.SuperKeyword)) {
      const member = this.memberOfClass(methodName, recvExpr.kind === Kind.SuperKeyword);
      const m = member?.method;
      if (m) return this.callProject(call, m, recv, recvExpr, args, argExprs, false, this.variantFor(m, this.receiverAt(recvExpr)), valueDropped(call));
      // the same walk of the class and its bases said whether `this.name` is a field (heldInProperty)
      if (recvExpr.kind === Kind.ThisKeyword) ownField = member?.field ?? false;
    }
    // a function the object holds in a property (`this.pack(msg)`, given to the constructor; a tRPC middleware's
    // `opts.next()`) is a library's or its creator's: not the built-in its name would say (an iterator's `next`), and
    // handed what the call passes, not the object it is read from (docmost's Redis extension packed every message with
    // `this`, and so with every connection it kept; karakeep's rate limiter answered its whole `opts`, the request's IP
    // with it)
    const heldInProperty = !packageCall && recvExpr !== undefined && methodName !== undefined && (ownField ?? this.heldInProperty(c, recvExpr, methodName));
    // a function the object was given after `new`, called on `this` (`this.handler(payload)`, a handler a `use(fn)`
    // stored): each call site also runs the function its receiver holds there, as for `fn(x)` with `fn` a parameter (a
    // callback entry of the summary); what the call answers here stays the unknown call's. Other receivers' properties
    // (`opts.next()`, `config.getLogger(…)`) are no callback entries: their arguments went through the summaries' facts
    // cap at every level of unleash's services, and three of its flows lost their sources
    const held = ownField === true && calleeValue.facts && methodName !== undefined && this.installedLater(methodName) ? this.symbolicCall(calleeValue, args, call) : EMPTY;
    if (!heldInProperty && (!packageCall || methodName === undefined || !writesReceiver(methodName))) {
      const b = this.callBuiltin(call, c, methodName, recv, recvExpr, args, argExprs);
      if (b) return b;
    }
    // unknown: the result carries every argument and the receiver (but such a property's), whole; callbacks run with them
    this.unresolved.add(spanKey(call));
    if (!packageCall) this.noteMissingModule(c);
    const all = flatten(joinAll(heldInProperty ? args : [recv, ...args]));
    const r = this.invokeCallbacks(args, all, call, argExprs);
    return joinAll([all, flatten(r), held]);
  }

  /**
   * An unknown callee imported from a project module that is not among the scanned files: one note per folder of such
   * modules, whichever record meets it first (a reviewer who excluded `test/` on purpose gets one line, not one per
   * import of each fake store); without a location, so every record that meets the folder gives the same note.
   */
  private noteMissingModule(callee: ts.Expression): void {
    const specifier = missingModuleImport(callee, () => this.ctx.checker);
    if (specifier === undefined) return;
    const folder = path.posix.dirname(path.posix.join(path.posix.dirname(this.file.path), specifier.text));
    this.ctx.notify(
      "missing-module",
      "note",
      `${folder === "." ? "the root folder" : `\`${folder}/\``}: modules the scanned code imports from here are not among the scanned files (not in the tree — code generated at build time — or ignored or excluded); calls into them are unknown, and carry their arguments and receiver whole into their results`,
    );
  }

  /** A built-in's semantics by name (builtins.ts): a global constructor or function, or a method by its name. */
  private callBuiltin(
    call: ts.CallExpression | ts.NewExpression,
    c: ts.Expression,
    methodName: string | undefined,
    recv: Value,
    recvExpr: ts.Expression | undefined,
    args: Value[],
    argExprs: ts.Expression[],
  ): Value | undefined {
    this.builtinTarget = { recv: recvExpr, args: argExprs, call };
    const dotted = dottedName(c);
    if (isNewExpression(call)) {
      const name = dotted ?? "";
      return !this.lookup(name.split(".")[0] ?? "") ? builtinConstructor(this, name, args) : undefined;
    }
    const root = dotted?.split(".")[0];
    const isGlobal = dotted !== undefined && root !== undefined && !this.lookup(root);
    const b = isGlobal ? builtinFunction(this, dotted!, args) : undefined;
    if (b) return b;
    const m = methodName && recvExpr ? builtinMethod(this, methodName, recv, args) : undefined;
    // what `find`, `at`, `filter` answered is the receiver's elements (core.ts `builtinAnswer`)
    if (m !== undefined && isCallExpression(call)) this.builtinCalls.add(call);
    return m;
  }

  /** Whether `callee` names a local initialised by a call the model does not resolve to a project function. */
  protected madeByLibrary(callee: ts.Expression): boolean {
    if (!isIdentifier(callee)) return false;
    const decl = this.lookup(callee.text)?.decl;
    if (!decl || !isVariableDeclaration(decl) || !isIdentifier(decl.name) || !decl.initializer) return false;
    const init = unwrap(decl.initializer);
    if (!isCallExpression(init)) return false;
    const kind = this.ctx.question.callAt(init).kind;
    return kind !== "project" && kind !== "builder";
  }

  protected callSuper(call: ts.Node, args: Value[], argExprs: ts.Expression[]): Value {
    const base = this.baseClass();
    if (!base) return EMPTY;
    const ctor = this.constructorOf(base);
    if (ctor) return this.callProject(call, ctor, this.state.vars.get("this") ?? EMPTY, undefined, args, argExprs, true);
    return EMPTY;
  }

  protected baseClass(): ts.ClassLikeDeclaration | undefined {
    return this.frame.classNode ? this.baseOf(this.frame.classNode) : undefined;
  }

  protected baseClassOf(cls: ts.ClassLikeDeclaration): ts.ClassLikeDeclaration | undefined {
    const ext = cls.heritageClauses?.find((h) => h.token === Kind.ExtendsKeyword)?.types[0]?.expression;
    if (!ext) return undefined;
    try {
      const sym = symbolThroughImports(this.ctx.checker, ext);
      const d = sym?.valueDeclaration ?? sym?.declarations?.[0];
      return d && (isClassDeclaration(d) || isClassExpression(d)) && this.ctx.fileOf(d) ? d : undefined;
    } catch {
      return undefined;
    }
  }

  protected findMethod(name: string, superOnly: boolean): ts.SignatureDeclaration | undefined {
    return this.memberOfClass(name, superOnly)?.method;
  }

  /** `this.name` (`super.name`) in the analysed code: the member of its class or a base class (classMember). */
  private memberOfClass(name: string, superOnly: boolean): ClassMember | undefined {
    // in a receiver variant, `this.m` of the analysed method is the receiver class's m (its own or inherited)
    const own = this.ownReceiver() ?? this.frame.classNode;
    const start = superOnly ? this.baseClass() : own;
    return start ? this.classMember(start, name) : undefined;
  }

  /**
   * Whether a method of the analysed class or a base class, not the constructor, writes the field `name` of `this`
   * (installed-fields.ts): a function called through it may be one a caller installed after `new`.
   */
  private installedLater(name: string): boolean {
    const seen = new Set<ts.Node>();
    for (let c = this.ownReceiver() ?? this.frame.classNode; c && !seen.has(c); c = this.baseOf(c)) {
      seen.add(c);
      if (fieldsInstalledByMethods(c).has(name)) return true;
    }
    return false;
  }

  /**
   * Whether the callee `recv.name` is a function held in a property: a field of the analysed class (`this.pack`), or a
   * member the project declares as a property, not a method (`opts: { next: () => Promise<T> }`).
   */
  protected heldInProperty(callee: ts.Expression, recvExpr: ts.Expression, name: string): boolean {
    if (unwrap(recvExpr).kind === Kind.ThisKeyword) return this.memberOfClass(name, false)?.field ?? false;
    if (!isPropertyAccessExpression(callee)) return false;
    // a name no project file declares as a property is none of a project type's (the checker's answer needs the
    // receiver's type: on a generated 50k gateway asking it at each unknown call cost about 9 % of the scan's CPU)
    if (!this.ctx.propertyNames.mayDeclare(name, () => this.ctx.checker)) return false;
    const declarations = this.ctx.checker.getSymbolAtLocation(callee.name)?.declarations;
    return declarations !== undefined && declarations.length > 0 && declarations.every((d) => declaresProperty(d) && this.ctx.fileOf(d) !== undefined);
  }

  /** The method `name` with a body that an instance of `cls` has: its own, else the nearest base class's. */
  protected findMethodFrom(cls: ts.ClassLikeDeclaration, name: string): ts.SignatureDeclaration | undefined {
    return this.classMember(cls, name).method;
  }

  /**
   * What `name` is on an instance of `cls`, in one walk up its bases: `method`, the method with a body it has (its own,
   * else the nearest base class's); `field`, whether the nearest class that declares `name` declares a property (a
   * property declaration or a constructor's parameter property) before any method of that name — a function the object
   * was given, not one of its class.
   */
  protected classMember(cls: ts.ClassLikeDeclaration, name: string): ClassMember {
    let method: ts.MethodDeclaration | undefined;
    let field: boolean | undefined;
    const seen = new Set<ts.Node>();
    for (let c: ts.ClassLikeDeclaration | undefined = cls; c && !seen.has(c) && (method === undefined || field === undefined); c = this.baseOf(c)) {
      seen.add(c);
      for (const member of c.members) {
        if (isMethodDeclaration(member) && propertyNameText(member.name) === name) {
          field ??= false;
          if (member.body) method ??= member;
        } else if (field === undefined && isPropertyDeclaration(member) && propertyNameText(member.name) === name) field = true;
        else if (field === undefined && isConstructorDeclaration(member) && member.parameters.some((p) => isParameterPropertyDeclaration(p, member) && propertyNameText(p.name) === name)) field = true;
      }
    }
    return { method, field: field ?? false };
  }

  /** Callback arguments of a call the engine does not model: each runs here with `input` as every parameter. */
  protected invokeCallbacks(args: Value[], input: Value, call: ts.Node, argExprs?: readonly ts.Expression[]): Value {
    let out = EMPTY;
    args.forEach((a, i) => {
      for (const fn of a.fns ?? []) {
        const parameters = (fn.node as ts.FunctionLikeDeclaration).parameters;
        // Node's error-first convention: `(error) => …`, `(err, result) => …` gets the library's error first, clean
        // like a `catch` clause's (teable logged ShareDB's submit error, and with it the user it had submitted)
        const given = parameters.map((p, k) => (k === 0 && isErrorName(p.name) ? EMPTY : input));
        out = joinValues(out, this.invokeFn(fn, EMPTY, given, call));
      }
      // a function the caller supplied, handed on to the library (a tracing wrapper's `startActiveSpan(name,
      // callback)`): each call site runs its own function here, so what that function captured from its caller
      // reaches the doors inside it. Only an argument declared as a function: any other parameter handed to a
      // library is data, not a callback entry.
      const e = argExprs?.[i];
      if (!a.fns && hasSymbol(a) && e !== undefined && this.declaredFunction(e)) {
        out = joinValues(out, this.symbolicCall(a, isEmptyValue(input) ? [] : [input, input, input], call));
      }
    });
    return out;
  }

  /**
   * Whether an expression names a parameter declared as a function (`callback: F` with `F extends (span: Span) =>
   * unknown`, `cb?: () => void`): a wrapper forwarding the callback it was given. Read off the declaration's syntax;
   * the checker is asked only about a named type that is not one of the function's type parameters (an alias), since
   * creating it binds every file and asking it to infer an expression's type walks however deep the code nests.
   */
  private declaredFunction(e: ts.Expression): boolean {
    const name = unwrap(e);
    if (!isIdentifier(name)) return false;
    for (let n: ts.Node | undefined = name.parent; n !== undefined; n = n.parent) {
      if (!isFunctionLike(n)) continue;
      const p = (n as ts.SignatureDeclaration).parameters.find((q) => isIdentifier(q.name) && q.name.text === name.text);
      if (p === undefined) continue;
      const callable = (reference: ts.TypeReferenceNode) => this.ctx.checker.getTypeFromTypeNode(reference).getCallSignatures().length > 0;
      return p.type !== undefined && declaredFunctionType(p.type, n as ts.SignatureDeclaration, callable) !== undefined;
    }
    return false;
  }

  /** BuiltinSite: invoke a callback value with arguments (`aliases`: the access paths each argument's object is at). */
  invoke(callback: Value, args: Value[], node?: ts.Node, aliases?: readonly Alias[][]): Value {
    let out = EMPTY;
    for (const fn of callback.fns ?? []) out = joinValues(out, this.invokeFn(fn, EMPTY, args, node ?? fn.node, undefined, aliases));
    return joinValues(out, this.symbolicCall(callback, args, node ?? this.builtinTarget.call ?? this.frame.fn));
  }

  /**
   * BuiltinSite: a callback of the built-in being modelled handed the receiver's elements or the receiver itself
   * (`contacts.forEach((contact) => { contact.note = email })`): an inline closure's parameter aliases them, as a
   * `for…of` variable does (core.ts `elementAliases`). The built-in's call site is kept across the callback's own calls.
   */
  invokeOn(callback: Value, args: Value[], given: readonly (Given | undefined)[]): Value {
    const target = this.builtinTarget;
    const recv = target.recv;
    const aliases = recv === undefined || !callback.fns ? undefined : given.map((g) => (g === "element" ? this.elementAliases(recv) : g === "receiver" ? this.aliasTargets(recv) : []));
    try {
      return this.invoke(callback, args, undefined, aliases);
    } finally {
      this.builtinTarget = target;
    }
  }

  /**
   * Calling a function the caller supplies (a parameter, or a field of one): recorded in the summary, so each call
   * site runs its own callback with these arguments; the result is the symbol `r<k>` until then.
   */
  protected symbolicCall(callee: Value, args: Value[], node: ts.Node): Value {
    if (!callee.facts || isSourceFile(this.rec.node)) return EMPTY;
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
    // a module's exports object required whole is no array, Map or Set: NodeBB's `db.set(key, value)` on its
    // database module writes to the database, and taken as a Map's it made the module hold every key any caller set,
    // for every other caller's `db.getObject(…)` to hand on
    if (p && p.root !== "this" && p.path.length === 0 && this.requiredModule(p.root) !== undefined) return;
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
  protected invokeFn(fn: FnRef, thisV: Value, args: Value[], call: ts.Node, argExprs?: ts.Expression[], aliases?: readonly Alias[][]): Value {
    const node = fn.node;
    const local = isInside(node, this.rec.node) || this.inlineStack.some((n) => isInside(node, n));
    // a function passed by name (`contacts.forEach(setNote)`): its summary's writes into a parameter handed one of the
    // receiver's elements go into that element (callProject, `aliases`)
    if (!local) return this.callProject(call, node, thisV, undefined, args, argExprs ?? [], false, undefined, false, aliases);
    if (this.inlineStack.includes(node) || this.cheap || this.inlineStack.length > 16) {
      // recursion among closures, or past the budget: the result carries the arguments
      return flatten(joinAll(args));
    }
    const body = (node as ts.FunctionLikeDeclaration).body;
    if (!body) return EMPTY;
    this.inlineStack.push(node);
    const savedFrame = this.frame;
    const savedScope = this.scope;
    const isArrow = isArrowFunction(node);
    const savedThis = this.state.vars.get("this");
    // what each argument's object is, read in the caller's scope before the closure's parameters shadow its names
    const argAliases = aliases ?? argExprs?.map((e) => this.aliasTargets(e));
    this.frame = this.newFrame(node, isArrow ? savedFrame.classNode : enclosingClass(node) ?? savedFrame.classNode);
    this.frame.exits = undefined;
    this.scope = { names: new Map(), parent: savedScope, kind: "function" };
    if (!isArrow) this.state.set("this", thisV);
    const entryAlive = this.state.alive;
    if (declaresThis(node)) [args, argExprs] = withThisArgument(thisV, call, args, argExprs ?? []);
    args = this.withModelledMembers((node as ts.FunctionLikeDeclaration).parameters, args, argExprs ?? []);
    const named = args.map((a, i) => {
      const p = (node as ts.FunctionLikeDeclaration).parameters[i];
      return p && isIdentifier(p.name) && argExprs?.[i]
        ? this.stepped(a, argExprs[i]!, `passed as argument \`${p.name.text}\` of \`${this.calleeName(node)}()\``, "call", paramPlace(p, fn.file))
        : a;
    });
    const returnStates: State[] = [];
    const savedRecordExit = this.recordExit;
    this.recordExit = () => {
      returnStates.push(this.state.clone());
    };
    try {
      this.enterFunctionInline(node as ts.FunctionLikeDeclaration, named, argAliases);
    } finally {
      this.recordExit = savedRecordExit;
    }
    let after = this.state;
    for (const r of returnStates) after = State.join(after, r);
    after.alive = entryAlive;
    this.state = after;
    // its locals end with it: no scope reaches them once it has returned (a closure it made and that runs later looks
    // its names up from where it runs), and a top level that runs its route handlers inline would otherwise carry every
    // handler's locals into each later branch, join and loop round
    for (const key of this.frame.locals) this.state.delete(key);
    if (!isArrow) {
      if (savedThis) this.state.set("this", savedThis);
      else this.state.delete("this");
    }
    const ret = this.frame.returns;
    this.frame = savedFrame;
    this.scope = savedScope;
    this.inlineStack.pop();
    return ret;
  }

  /**
   * A value a model gives restricted members (a request: its forwarding headers, its peer address) handed to a
   * parameter that does not declare its type: the model cannot classify the callee's reads of that parameter, so the
   * value carries those members itself, read at the argument (model/modelled-members.ts). A parameter that declares
   * its type is classified where it is read, as any read of a request is.
   */
  protected withModelledMembers(params: readonly ts.ParameterDeclaration[], args: Value[], argExprs: readonly ts.Expression[]): Value[] {
    const membersOf = this.ctx.question.membersOf;
    if (membersOf === undefined) return args;
    let out: Value[] | undefined;
    for (let i = 0; i < argExprs.length && i < params.length; i++) {
      const p = params[i]!;
      if (p.dotDotDotToken !== undefined || declaresType(p)) continue;
      const e = argExprs[i]!;
      const hits = membersOf(e);
      if (hits.length === 0) continue;
      out ??= [...args];
      // shadowable: where the callee reads the same class itself (by a name, a declared type), that read is shown
      out[i] = joinValues(out[i] ?? EMPTY, this.sourceValue(hits, e, e, true));
    }
    return out ?? args;
  }

  /** `argAliases`: the access paths each argument's object is at (a parameter holding one writes there too). */
  protected enterFunctionInline(fn: ts.FunctionLikeDeclaration, args: Value[], argAliases?: readonly Alias[][]): void {
    fn.parameters.forEach((p, i) => {
      let v = p.dotDotDotToken ? restArguments(args, i) : args[i] ?? EMPTY;
      if (p.initializer) v = joinValues(v, this.evalExpr(p.initializer));
      v = joinValues(v, this.sourcesOf(p, p.name));
      this.bindPattern(p.name, v, "function");
      const targets = p.dotDotDotToken ? undefined : argAliases?.[i];
      const b = targets && targets.length > 0 && isIdentifier(p.name) ? this.lookup(p.name.text) : undefined;
      if (b?.key.startsWith("l:")) this.state.setAliases(b.key, targets!);
    });
    const body = fn.body;
    if (!body) return;
    if (isBlock(body)) this.execStatements(body.statements);
    else this.frame.returns = joinValues(this.frame.returns, this.evalExpr(body));
    this.recordExit();
  }

  /**
   * A project function, through its summary: returns, effects on the caller's objects, and sinks inside. `dropped`: the
   * call's own value goes nowhere (`valueDropped`), so its return value is not taken.
   */
  protected callProject(
    call: ts.Node,
    decl: ts.Node,
    recv: Value,
    recvExpr: ts.Expression | undefined,
    args: Value[],
    argExprs: readonly ts.Expression[],
    isSuper = false,
    receiver?: ts.ClassLikeDeclaration,
    dropped = false,
    aliases?: readonly (readonly Alias[])[],
  ): Value {
    // the receiver of a `this.m()` call read pending (`receiverRead`): whole unless applied through the summary below
    const receiverRead = recvExpr !== undefined && this.receiverRead?.node === recvExpr ? this.receiverRead : undefined;
    const wholeBefore = receiverRead?.whole ?? false;
    if (receiverRead) receiverRead.whole = true;
    // a closure of this very body: inline, so it sees the enclosing variables. A method of a class the module declares
    // is none of the module body's: it runs on its receiver through its summary (inlined at the module's top level,
    // `bus.on(handler)` wrote the handler into no instance, and a later `bus.emit(…)` ran nothing)
    const moduleMethod = isSourceFile(this.rec.node) && decl.parent !== undefined && isClassLike(decl.parent);
    if (isFunctionLike(decl) && !moduleMethod && (isInside(decl, this.rec.node) || this.inlineStack.some((n) => isInside(decl, n)))) {
      return this.invokeFn({ node: decl, file: this.file }, recv, args, call, [...argExprs]);
    }
    const isNew = isNewExpression(call) || isSuper;
    if (isClassDeclaration(decl) || isClassExpression(decl)) {
      // a class without a constructor body: the object its field initialisers build
      return this.callProjectClass(call, decl, args);
    }
    const callee = this.ctx.recordFor(decl);
    if (!callee || !(decl as ts.FunctionLikeDeclaration).body) {
      this.unresolved.add(spanKey(call));
      const all = flatten(joinAll([recv, ...args]));
      return joinValues(all, flatten(this.invokeCallbacks(args, all, call, argExprs)));
    }
    // a declared `this: typeof User` is the callee's parameter 0 and takes the receiver: the arguments start at 1
    if (declaresThis(decl)) [args, argExprs] = withThisArgument(recv, recvExpr ?? call, args, argExprs);
    else if (receiverRead) {
      receiverRead.whole = wholeBefore;
      receiverRead.used = true;
    }
    const receiverPaths = receiverRead?.paths;
    // a call that leaves a tested option unset uses the callee's variant for it (absent-arguments.ts)
    // a base-class method run on a receiver of a known subclass uses its variant for that class (receiver-dispatch.ts)
    const base = receiver ? this.ctx.receiverVariant(callee, receiver) : callee;
    const used = this.ctx.recordAt(base, args.length, argExprs, (argument) => this.knownFalsyArgument(argument));
    const summary = this.summaryOf(used);
    this.ctx.reads.summaryRead(used, this.rec, this.partsTaken(isNew, dropped, recvExpr, argExprs, aliases));
    const fnDecl = decl as ts.FunctionLikeDeclaration;
    args = this.withModelledMembers(fnDecl.parameters, args, argExprs);
    const name = this.calleeName(decl);
    const paramName = (i: number) => {
      const p = fnDecl.parameters[Math.min(i, fnDecl.parameters.length - 1)];
      return p && isIdentifier(p.name) ? p.name.text : `#${i + 1}`;
    };
    // each symbolic fact of the callee becomes the caller's actual value at that path (once per root at this call site)
    const actuals = new Map<string, { value: Value; node: ts.Node; label: string } | undefined>();
    const actualOf = (root: string): { value: Value; node: ts.Node; label: string } | undefined => {
      if (actuals.has(root)) return actuals.get(root);
      let a: { value: Value; node: ts.Node; label: string } | undefined;
      if (root === "this") a = { value: recv, node: recvExpr ?? call, label: "this" };
      else if (root.startsWith("p")) {
        const i = Number(root.slice(1));
        const p = fnDecl.parameters[i];
        const value = p?.dotDotDotToken ? restArguments(args, i) : args[i] ?? EMPTY;
        a = { value, node: argExprs[i] ?? call, label: paramName(i) };
      }
      actuals.set(root, a);
      return a;
    };
    const entering = new EnteringSteps(this.file, (root) => {
      const a = actualOf(root)!;
      const param = root.startsWith("p") ? fnDecl.parameters[Number(root.slice(1))] : undefined;
      return {
        node: a.node,
        message: root === "this" ? `receiver of \`${name}()\`` : `passed as argument \`${a.label}\` of \`${name}()\``,
        enters: param ? paramPlace(param, callee.file) : undefined,
      };
    });
    // the caller's values read at the paths of the summary's symbolic facts, once per node and name at this call site
    const reads: ReadMemo = new Map();
    // the caller's values minus a rest pattern's fields, once per node and fields left out at this call site: a summary's
    // rest copy is one key at many nodes of its trees, each a fact object of its own (growthbook's scan made millions of
    // such copies, most of them again)
    const withouts = new Map<Value, Map<string, Value>>();
    // the caller's value at the path of a symbolic fact, before its step into the callee, and the mapper that steps it
    const entered = (f: SymbolFact): UnsteppedValue => {
      const a = actualOf(f.root);
      if (!a) return NOTHING_TO_STEP;
      if (receiverPaths !== undefined && f.root === "this") {
        const read = receiverPathOf(f.path);
        receiverPaths.set(read.key, read.path);
      }
      let v = readPathMemo(a.value, f.path, this.fieldDepth, reads);
      if (f.without) {
        let byFields = withouts.get(v);
        if (!byFields) withouts.set(v, (byFields = new Map()));
        const fields = JSON.stringify(f.without);
        let w = byFields.get(fields);
        if (!w) byFields.set(fields, (w = withoutFields(v, f.without)));
        v = w;
      }
      // nothing to step (half the reads of a scan): no mapper
      if (isEmptyValue(v)) return v === EMPTY ? NOTHING_TO_STEP : { value: v, mapper: undefined, shift: 0 };
      return { value: v, mapper: entering.mapperOf(f.root, f.step), shift: 1 + (f.step?.length ?? 0) };
    };
    const resolve = (f: SymbolFact): Value => steppedValue(entered(f));
    // callbacks the callee calls: this call site's own functions run here, with the callee's (substituted) arguments
    const results = new Map<string, Value>();
    // a callback's result (`r<k>`) is the caller's own value: nothing to step
    const unsteppedOf = (f: SymbolFact): UnsteppedValue => {
      const r = results.get(f.root);
      return r ? { value: readPathMemo(r, f.path, this.fieldDepth, reads), mapper: undefined, shift: 0 } : entered(f);
    };
    // a path of the summary holding many symbolic facts is substituted without the fields below them (symbolsPerPath)
    let widened = false;
    const widening = (): Widening => ({
      max: this.ctx.budgets.symbolsPerPath,
      onHit: () => {
        if (widened) return;
        widened = true;
        this.budget(
          "budget-symbols",
          `a path of the summary of ${callee.name} holds more than ${this.ctx.budgets.symbolsPerPath} symbolic facts: substituted at its calls without the fields below them`,
          decl,
        );
      },
      unsteppedOf,
      wholes: undefined,
      flat: undefined,
    });
    const resolveAll = (f: SymbolFact): Value => steppedValue(unsteppedOf(f));
    // a node of this call's substitution past substitutionFacts facts, or more than enteringFacts facts stepped into the
    // callee, sends the rest of the call to its data as a whole, and the heap guard looks in here between steps
    // (substitution-budget.ts)
    const { substitutionFacts, enteringFacts } = this.ctx.budgets;
    const wholeRest = "the rest of this call takes the data of its receiver, arguments and callbacks' results as a whole";
    const budget = new SubstitutionBudget(
      { node: substitutionFacts, entering: enteringFacts },
      () => entering.stepped,
      this.ctx.heap,
      (by) =>
        by === "node"
          ? this.budget(
              "budget-substitution",
              `substituting the summary of ${callee.name} in ${this.rec.name} made a value with more than ${substitutionFacts} facts: ${wholeRest}`,
              call,
            )
          : this.budget(
              "budget-entering",
              `substituting the summary of ${callee.name} in ${this.rec.name} stepped more than ${enteringFacts} facts of the caller into it: ${wholeRest}`,
              call,
            ),
      () => {
        if (receiverRead) receiverRead.whole = true;
        const parts: Value[] = [];
        for (const root of ["this", ...args.map((_, i) => `p${i}`)]) {
          const a = actualOf(root);
          if (a && !isEmptyValue(a.value)) parts.push(mapFactsWith(flatten(a.value), entering.mapperOf(root, undefined)));
        }
        return flatten(joinAll(parts));
      },
      results,
      this.ctx.budgets.factsPerPath,
    );
    for (const cb of summary.callbacks) {
      const fnValue = resolve(cb.callee);
      // `results` grows with each callback: what resolves `r<k>` is fixed only for this callback's arguments
      const resolveNow = resolveOnce(resolveAll);
      const memo = new Map<Value, Value>();
      const widen = widening();
      const cbArgs = cb.args.map((a) => substituteValue(a, resolveNow, memo, widen, budget));
      let r = this.invoke(fnValue, cbArgs, call);
      if (isContinuation(fnValue)) r = joinAll(cbArgs);
      else if (!fnValue.fns && !hasSymbol(fnValue)) r = joinValues(r, flatten(joinAll(cbArgs)));
      budget.add(r.facts?.size ?? 0);
      results.set(`r${cb.index}`, r);
    }
    // from here on `results` is complete: one resolution per fact object and one substitution per tree node
    const resolveFinal = resolveOnce(resolveAll);
    const substituted = new Map<Value, Value>();
    const widen = widening();

    // sinks inside the callee: concrete data here is a flow; the caller's own symbols go into its summary
    const sites = new Map<SinkSite, SinkSite>();
    for (const entry of summary.sinks) {
      // the entry's fact first (its shortest trace), then its other paths (other-paths.ts); past the budget every entry
      // takes the call's whole data, whatever its path
      for (const fact of entry.others && !budget.exhausted() ? [entry.fact, ...entry.others] : [entry.fact]) {
        const actual = budget.exhausted() ? budget.wholeValue() : resolveFinal(fact);
        const facts = collectFacts(actual);
        if (!facts) continue;
        let site = sites.get(entry.site);
        if (!site) sites.set(entry.site, (site = this.inDoor(this.siteAt(entry.site, argExprs))));
        for (const f of facts.values()) this.reachSink(f, site, undefined);
      }
    }
    // effects on the caller's objects: fields written into parameters and `this`
    // A local aliasing another object's field (core.ts `writeThroughAliases`) passes on what the callee wrote into it,
    // except what a method wrote into its own receiver — its instance's state, which the class's field stores carry to
    // its other methods (growthbook's `const revisions = context.models.revisions` then `revisions.update(…)` wrote
    // the model's back-reference to the request context into the context again, deeper at each caller: 24 more
    // field-depth cuts) — and what a call of the function's own cycle wrote, whose summary is still growing: a
    // recursive walk (`for (const child of node.children) walk(child)`) wrote each level's effects one level deeper,
    // round after round, until the field depth (formbricks' segment filters: 35 more cuts)
    const inCycle = callee === this.rec || used === this.rec || callee.status === "running" || used.status === "running";
    for (const [root, tree] of summary.effects) {
      if (root === "this" && isNew) continue;
      if (isChannelKey(root)) {
        // the callee put its arguments' data on a channel: here, this call site's data
        this.publishAt(root, substituteValue(tree, resolveFinal, substituted, widen, budget));
        continue;
      }
      if (isModuleKey(root)) {
        // the callee stored what it was handed in a binding of its module (`setLogger(fn) { logger = fn }`): here,
        // what this call site hands it
        this.writeToStore(root, substituteValue(tree, resolveFinal, substituted, widen, budget), true);
        continue;
      }
      const expr = root === "this" ? recvExpr : argExprs[Number(root.slice(1))];
      const target = root === "this" && isSuper ? { root: "this" as const, path: [] } : expr ? this.pathOf(expr) : undefined;
      if (!target) {
        // a parameter a built-in handed one of its receiver's elements (`contacts.forEach(setNote)`): what the callee
        // wrote into it is written into those elements, as through a local that aliases them (not from a call of the
        // function's own cycle, whose summary is still growing)
        const elements = expr === undefined && root !== "this" && !inCycle ? aliases?.[Number(root.slice(1))] : undefined;
        if (elements !== undefined && elements.length > 0) {
          const sub = substituteValue(withoutSelfCopies(tree, root).rest, resolveFinal, substituted, widen, budget);
          for (const [k, fv] of sub.fields ?? []) this.writeIntoAliases(elements, [k], fv);
        }
        continue;
      }
      const { rest, copies } = withoutSelfCopies(tree, root);
      const sub = substituteValue(rest, resolveFinal, substituted, widen, budget);
      for (const [k, fv] of sub.fields ?? []) this.writeEffect(target.root, [...target.path, k], fv, !inCycle && root !== "this");
      // a place copied onto itself: its data (`o[a] = o[b]` may move a member's data to another), not its functions
      for (const { path, fact } of copies) {
        const data = withoutFunctions(resolveFinal(fact));
        if (hasTaint(data)) this.writeEffect(target.root, [...target.path, ...path], data, !inCycle && root !== "this");
      }
    }
    let result: Value;
    if (isNew) {
      // new C(…): the object the constructor built
      const built = substituteValue(summary.effects.get("this") ?? EMPTY, resolveFinal, substituted, widen, budget);
      // What a constructor stores in its fields is what the class's methods read on any instance, also one whose
      // construction the scan cannot follow (rebuilt from a queue message, made by a container): the concrete part
      // joins the class's field store, like a concrete write in any of its methods (`new InviteEmail({ to: email })`
      // here, `this.props.to` logged in `send()` of a job that rebuilt the e-mail from its props).
      const fields = isClassLike(decl.parent) ? this.concreteOnly(built) : EMPTY;
      if (!isEmptyValue(fields)) this.storeBuilt(call, decl.parent as ts.ClassLikeDeclaration, fields);
      if (isSuper) {
        for (const [k, fv] of built.fields ?? []) this.writeAt({ root: "this", path: [k] }, fv, true);
        return EMPTY;
      }
      result = built;
    } else {
      result = substituteValue(summary.returns, resolveFinal, substituted, widen, budget);
    }
    return this.stepped(result, call, `returned from \`${name}()\``, "return");
  }

  /**
   * A callee's write at a path of the caller's object, placed at the owner where the path runs through a back-reference
   * (back-references.ts): `context.models.x.context.foreignRefs` is `context.foreignRefs`.
   */
  private writeEffect(root: "this" | Binding, path: string[], v: Value, throughAliases: boolean): void {
    const placed = placedAtOwner(path);
    if (placed === path) return this.writeAt({ root, path }, v, false, throughAliases);
    if (placed.length > 0) return this.writeAt({ root, path: [...placed] }, v, false, throughAliases);
    // the object itself: its fields one by one (a binding takes the whole value)
    if (root !== "this") return this.writeAt({ root, path: [] }, v, false, throughAliases);
    for (const [k, fv] of v.fields ?? []) this.writeAt({ root, path: [k] }, fv, false, throughAliases);
  }

  /**
   * The concrete part of an object `new` built (its constructor being `cls`'s) joins the built store of `cls` and of
   * each base class: their methods read it on any instance. Built through a value rather than a class's name, it may be
   * an instance of any class below `cls`: it is kept in `cls`'s open store too, which a receiver variant of a class
   * below reads beside its own class's built store (core.ts `readBuilt`). A `super(…)` call counts as built through a
   * value: which subclass runs it is not known here.
   */
  private storeBuilt(call: ts.Node, cls: ts.ClassLikeDeclaration, fields: Value): void {
    // the instance is one of each base class too: their methods read the fields under their own key
    for (let c: ts.ClassLikeDeclaration | undefined = cls, level = 0; c !== undefined && level < 16; c = this.baseOf(c), level++) {
      this.ctx.writeStore(this.builtKeyOf(c), fields, this.rec);
    }
    if (!this.constructsByName(call)) this.ctx.writeStore(this.openKeyOf(cls), fields, this.rec);
  }

  /** `new Invite(…)`: a class named by its declaration (through imports), not a value that holds one. */
  private constructsByName(call: ts.Node): boolean {
    if (!isNewExpression(call)) return false;
    const callee = unwrap(call.expression);
    if (!isIdentifier(callee) && !isPropertyAccessExpression(callee)) return false;
    const declaration = symbolThroughImports(this.ctx.checker, callee)?.valueDeclaration;
    return declaration !== undefined && (isClassDeclaration(declaration) || isClassExpression(declaration));
  }

  protected callProjectClass(call: ts.Node, cls: ts.ClassLikeDeclaration, args: Value[]): Value {
    // no constructor: the base class constructor gets the arguments; field initialisers are evaluated here
    let out = EMPTY;
    const savedThis = this.state.vars.get("this");
    const savedFrame = this.frame;
    this.frame = { ...this.frame, classNode: cls };
    this.state.set("this", EMPTY);
    const base = this.baseClass();
    if (base) {
      const ctor = this.constructorOf(base);
      if (ctor) this.callProject(call, ctor, EMPTY, undefined, args, [], true);
    }
    this.initialiseFields(cls);
    out = this.state.vars.get("this") ?? EMPTY;
    this.frame = savedFrame;
    // `new Invite(…)` of a class without a constructor: the base's constructor stored the object from the base up; it
    // is an instance of this class too, whose receiver variants read this class's built store
    if (isNewExpression(call)) {
      const fields = this.concreteOnly(out);
      if (!isEmptyValue(fields)) this.ctx.writeStore(this.builtKeyOf(cls), fields, this.rec);
    }
    if (savedThis) this.state.set("this", savedThis);
    else this.state.delete("this");
    return out;
  }

  /**
   * The parts of a callee's summary a call takes (reads.ts), as the code below applies them: the return value unless the
   * call is a `new` (whose value is the object built, the effects on `this`) or its value goes nowhere; the effects on
   * `this` and on each parameter where the receiver or the argument is a path they can be written at; sinks, callbacks
   * and channel messages always.
   */
  private partsTaken(isNew: boolean, dropped: boolean, recvExpr: ts.Expression | undefined, argExprs: readonly ts.Expression[], aliases: readonly (readonly Alias[])[] | undefined): number {
    let parts = ALWAYS_READ;
    if (!isNew && !dropped) parts |= SummaryParts.returns;
    if (isNew || (recvExpr !== undefined && this.pathOf(recvExpr) !== undefined)) parts |= SummaryParts.this;
    for (let i = 0; i < argExprs.length; i++) if (this.pathOf(argExprs[i]!) !== undefined) parts |= SummaryParts.parameter(i);
    for (let i = 0; i < (aliases?.length ?? 0); i++) if (aliases![i]!.length > 0) parts |= SummaryParts.parameter(i);
    return parts;
  }

  /** The reviewer-facing name of a callee (`post`, `new Notifier`), once per declaration. */
  protected calleeName(decl: ts.Node): string {
    let name = this.ctx.calleeNames.get(decl);
    if (name === undefined) this.ctx.calleeNames.set(decl, (name = calleeName(decl)));
    return name;
  }

  /** The callee's summary: computed on demand (bottom-up), or the current one inside a recursive cycle. */
  protected summaryOf(callee: FunctionRecord): Summary {
    if (callee.knowledge !== undefined || callee.receiver !== undefined) callee.variantUsers.add(this.rec);
    if (callee.status === "new" && this.ctx.depth < MAX_CALLEE_NESTING) {
      const summary = this.analyseCallee(callee);
      // this caller uses the finished summary right away: it is analysed again only when that summary changes later
      // (a dependent added before would be queued by the first summary itself, and analysed twice for nothing)
      callee.dependents.add(this.rec);
      return summary;
    }
    callee.dependents.add(this.rec);
    this.ctx.worklist.needed(callee);
    if (callee.status === "done" && callee.summary) {
      this.ctx.summariesReused++;
      return callee.summary;
    }
    // running (recursion) or too deep to descend now: use what exists; the worklist revisits this caller
    if (callee.status === "new") this.ctx.worklist.add(callee);
    return this.ctx.summaryOrEmpty(callee);
  }
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

/** A value's data without its functions (a tree of facts), each shared node rebuilt once. */
function withoutFunctions(v: Value, memo: Map<Value, Value> = new Map()): Value {
  if (!v.fns && !v.fields) return v;
  const done = memo.get(v);
  if (done) return done;
  let fields: Map<string, Value> | undefined;
  for (const [k, c] of v.fields ?? []) {
    const d = withoutFunctions(c, memo);
    if (d !== c) (fields ??= new Map(v.fields)).set(k, d);
  }
  const out = !v.fns && !fields ? v : makeValue(v.facts, fields ?? v.fields, undefined, v.strong);
  memo.set(v, out);
  return out;
}

interface SelfCopies {
  readonly rest: Value;
  readonly copies: readonly { path: readonly string[]; fact: SymbolFact }[];
}

const selfCopiesCut = new WeakMap<Value, Map<string, SelfCopies>>();

/**
 * A summary's effects on `root` split from what copies a place onto itself: `root.p` written at `root.p` (the
 * auto-bind idiom, `self[key] = self[key].bind(self)`, writes each member with itself; `list.push(list[0])`). The
 * caller writes a copy's data back without its functions: the read of `self[key]` is every member of the caller's object
 * joined, and written whole it put every callback the object's members hold into the object's elements — each time a
 * member gained one, into a store that changed again, whose readers ran again (a browser SDK's core, binding its
 * methods in its constructor, ran 39 functions to the SCC-rounds budget). The data stays: a computed key on both sides
 * may move one member's data to another (`o[a] = o[b]`). A function moved so is not followed (docs/engine.md).
 */
function withoutSelfCopies(tree: Value, root: string): SelfCopies {
  let byRoot = selfCopiesCut.get(tree);
  let out = byRoot?.get(root);
  if (out === undefined) {
    const copies: { path: readonly string[]; fact: SymbolFact }[] = [];
    const cut = (v: Value, path: readonly string[]): Value => {
      let facts = v.facts;
      if (facts && path.length > 0) {
        for (const f of facts.values()) {
          if (f.kind !== "symbol" || f.root !== root || f.path.length !== path.length || !f.path.every((p, i) => p === path[i])) continue;
          const rest = new Map(facts);
          rest.delete(f.key);
          facts = rest;
          copies.push({ path, fact: f });
          break;
        }
      }
      let fields: Map<string, Value> | undefined;
      for (const [k, c] of v.fields ?? []) {
        const d = cut(c, [...path, k]);
        if (d !== c) (fields ??= new Map(v.fields)).set(k, d);
      }
      return facts === v.facts && !fields ? v : makeValue(facts, fields ?? v.fields, v.fns, v.strong);
    };
    out = { rest: cut(tree, []), copies };
    if (!byRoot) selfCopiesCut.set(tree, (byRoot = new Map()));
    byRoot.set(root, out);
  }
  return out;
}

/**
 * Replaces every symbolic fact of a value by the caller's value at that path (deep facts, fields, element trees).
 * `resolve` must give the same value for the same fact object; `memo` (shared by the substitutions of one call site
 * while `resolve` does not change) maps each tree node once, so subtrees shared by several parents cost one visit and
 * the result shares them too. A node without symbolic facts below it is kept as it is.
 *
 * A node holding more than `widen.max` symbolic facts (`symbolsPerPath`) is a join of many copies — `this.result =
 * this.model.queries` on one path, `this.context.rows` on another, around a cycle of methods calling each other through
 * `this` — and each copy brought the caller's whole subtree at its path: joined at every such node, those subtrees made
 * each substitution build trees of hundreds of nodes that the next call in the cycle substituted again. There, each
 * resolved value counts as a whole (`flatten`): every fact of the caller below that path is kept, with its trace, at
 * the node, but not the fields it sat in. That is a budget hit (`widen.onHit`) only where a resolved value had
 * something to give up — a field holding facts, a function — since a leaf flattens to what joining it gives.
 *
 * `budget` (the call site's, substitution-budget.ts) counts the facts of every node built; once one node has held more
 * than `substitutionFacts`, each node with symbolic facts is the call's data as a whole instead.
 */
export function substituteValue(
  v: Value,
  resolve: (f: SymbolFact) => Value,
  memo: Map<Value, Value> = new Map(),
  widen?: Widening,
  budget?: SubstitutionBudget,
): Value {
  const done = memo.get(v);
  if (done) return done;
  let symbolic = 0;
  if (v.facts) for (const f of v.facts.values()) if (f.kind === "symbol") symbolic++;
  let out: Value = EMPTY;
  if (symbolic > 0 && budget?.exhausted()) {
    // past the call site's budget (substitution-budget.ts): every fact of the call, without the paths it came by
    out = budget.wholeValue();
  } else if (widen !== undefined && symbolic > widen.max) {
    // the same fact set sits at many nodes of a summary's tree (every leaf a copy reached): joined once per call site
    // made at the first widened node: a call site rarely has one
    const wholes = (widen.wholes ??= new Map());
    const flats = (widen.flat ??= new Map());
    let whole = wholes.get(v.facts!);
    if (!whole) {
      // Joining the stepped, flattened values keeps per key the first fact of the shortest trace, and stepping adds the
      // same length (the step into the callee and the callee-side trace) to every fact of one resolved value: so the
      // flattened stepped value is the unstepped one flattened, then stepped, and the join's choice is known from the
      // unstepped facts' lengths. Only the facts the join keeps are stepped. (Each resolved value stepped as a tree and
      // flattened, growthbook's request context, whose models each hold it, made 62 million stepped facts over a scan,
      // nearly all dropped by this join.)
      const best = new Map<string, { fact: Fact; length: number; mapper: FactMapper | undefined }>();
      let structured = false;
      for (const f of v.facts!.values()) {
        if (f.kind !== "symbol") continue;
        const { value: r, mapper, shift } = widen.unsteppedOf(f);
        let flat = flats.get(r);
        if (flat === undefined) flats.set(r, (flat = collectFacts(r) ?? NO_FACTS));
        for (const g of flat.values()) {
          const length = (g.step?.length ?? 0) + shift;
          const old = best.get(g.key);
          if (!old || length < old.length) best.set(g.key, { fact: g, length, mapper });
        }
        // a resolved value without tainted fields or functions flattens to what joining it gives: nothing given up
        // (stepping keeps every fact, so the unstepped value answers for the stepped one)
        if (!structured && (r.fns !== undefined || (r.fields !== undefined && [...r.fields.values()].some(hasTaint)))) structured = true;
      }
      if (structured) widen.onHit();
      let facts: Map<string, Fact> | undefined;
      for (const { fact, mapper } of best.values()) {
        const g = mapper ? mapFact(mapper, fact)! : fact;
        (facts ??= new Map()).set(g.key, g);
      }
      wholes.set(v.facts!, (whole = factsValue(facts)));
    }
    out = whole;
  } else if (symbolic > 0) {
    const resolved: Value[] = [];
    for (const f of v.facts!.values()) if (f.kind === "symbol") resolved.push(resolve(f));
    out = joinAll(resolved);
  }
  // the fields' map is made at the first field that changes, the concrete facts' only where some facts are symbolic: most
  // nodes of a summary's trees hold none, and come back as they are
  let fields: Map<string, Value> | undefined;
  if (v.fields) {
    let i = 0;
    for (const [k, c] of v.fields) {
      const d = substituteValue(c, resolve, memo, widen, budget);
      if (!fields && d !== c) fields = firstEntries(v.fields, i);
      fields?.set(k, d);
      i++;
    }
  }
  let result = v;
  if (symbolic > 0) {
    result = joinValues(makeValue(concreteOf(v.facts!, symbolic), fields ?? v.fields, v.fns, v.strong), out);
    budget?.add(result.facts?.size ?? 0);
  } else if (fields) result = makeValue(v.facts, fields, v.fns, v.strong);
  // a leaf that comes back as it is is not remembered: asked again, it is found unchanged by counting its facts' kinds,
  // which costs less than its entry in the memo (the memo's entries were 2 % of growthbook's allocations; performance.md,
  // session 51 — helper M)
  if (result !== v || v.fields) memo.set(v, result);
  return result;
}

/** The facts of a set that are not symbolic, given how many are. */
function concreteOf(facts: FactSet, symbolic: number): FactSet | undefined {
  if (symbolic === facts.size) return undefined;
  const out = new Map<string, Fact>();
  for (const f of facts.values()) if (f.kind !== "symbol") out.set(f.key, f);
  return out;
}

/** What a call site's substitution widens past `symbolsPerPath` (substituteValue), with what it has already joined. */
interface Widening {
  readonly max: number;
  readonly onHit: () => void;
  /** A symbolic fact's resolution before its step into the callee: a widened node steps only the facts its join keeps. */
  readonly unsteppedOf: (f: SymbolFact) => UnsteppedValue;
  /** The joined facts of a widened node, by its fact set (shared by many nodes of a summary's tree). */
  wholes: Map<FactSet, Value> | undefined;
  /** A resolved value's facts (unstepped), flattened, by value. */
  flat: Map<Value, FactSet> | undefined;
}

/**
 * The caller's value for a symbolic fact, not yet stepped into the callee: `mapper` steps its facts (none where there is
 * nothing to step, or the value is a callback's result, which is the caller's own), each by `shift` steps.
 */
interface UnsteppedValue {
  readonly value: Value;
  readonly mapper: FactMapper | undefined;
  readonly shift: number;
}

const NOTHING_TO_STEP: UnsteppedValue = { value: EMPTY, mapper: undefined, shift: 0 };

function steppedValue({ value, mapper }: UnsteppedValue): Value {
  return mapper ? mapFactsWith(value, mapper) : value;
}

const NO_FACTS: FactSet = new Map();

/**
 * A symbolic fact's path of `this` as a `this.m()` call's receiver read notes it (`receiverRead`, reads.ts): cut to
 * {@link RECEIVER_PATH_DEPTH} fields, with its key. Kept per path array: facts share their paths (facts.ts
 * `extendedFact`), and every call site noted each of its receiver's facts, joining the path anew for each (growthbook:
 * 1,023,581 joins of 905 path arrays; performance.md, session 50 — helper G).
 */
const receiverPathReads = new WeakMap<readonly string[], { key: string; path: readonly string[] }>();

function receiverPathOf(full: readonly string[]): { key: string; path: readonly string[] } {
  let read = receiverPathReads.get(full);
  if (read === undefined) {
    const path = full.length > RECEIVER_PATH_DEPTH ? full.slice(0, RECEIVER_PATH_DEPTH) : full;
    receiverPathReads.set(full, (read = { key: path.join("\0"), path }));
  }
  return read;
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

/**
 * The arguments of a call to a function that declares `this`, aligned with its parameters: the receiver first, its
 * expression standing for it. Without argument expressions (or a node to stand for the receiver) none are kept.
 */
function withThisArgument(recv: Value, at: ts.Node, args: Value[], argExprs: readonly ts.Expression[]): [Value[], ts.Expression[]] {
  const exprs = argExprs.length > 0 && isExpression(at) ? [at, ...argExprs] : [];
  return [[recv, ...args], exprs];
}

/** Whether a parameter says what it takes: a type other than `any` or `unknown`. */
function declaresType(p: ts.ParameterDeclaration): boolean {
  return p.type !== undefined && p.type.kind !== Kind.AnyKeyword && p.type.kind !== Kind.UnknownKeyword;
}

/** A parameter named as the error of an error-first callback (`err`, `error`). */
function isErrorName(name: ts.BindingName): boolean {
  return isIdentifier(name) && /^(err|error)$/i.test(name.text);
}

/** What a name is on an instance of a class (`classMember`). */
interface ClassMember {
  readonly method: ts.MethodDeclaration | undefined;
  readonly field: boolean;
}

/** `this` read pending as the receiver of a `this.m()` call (`CallInterpreter.receiverRead`). */
interface ReceiverRead {
  /** The call's `this`. */
  readonly node: ts.Expression;
  /** The stores read, each with its value then. */
  readonly stores: [string, Value][];
  /** The paths of `this` the call's substitutions read, to RECEIVER_PATH_DEPTH fields (reads.ts). */
  readonly paths: Map<string, readonly string[]>;
  /** Applied through a callee's summary. */
  used: boolean;
  /** Used whole: a body run otherwise (inline, unknown, a declared `this`), or the substitution's budget spent. */
  whole: boolean;
}
