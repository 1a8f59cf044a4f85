import { ts } from "ts-morph";
import { Kind, forEachChild, isBinaryExpression, isComputedPropertyName, isElementAccessExpression, isIdentifier, isNumericLiteral, isOmittedExpression, isPropertyAccessExpression, isPropertyAssignment, isSpreadElement, isTemplateExpression, isVariableDeclaration } from "../../compiler-direct.js";
import { isFunctionLike } from "../context.js";
import { ELEMENTS, EMPTY, KEYS, TUPLE_POSITIONS, flatten, hasTaint, joinAll, joinValues, makeValue, readField, readPosition, type Value } from "../value.js";
import { CallInterpreter } from "./calls.js";
import { readsAbsent } from "./absent-paths.js";
import { spreadsBackInPlace, spreadsBackThroughCall } from "./in-place-merge.js";
import { printsAsPlainObject } from "./printed.js";
import { MAX_ALIASES, MAX_NESTING, State } from "./state.js";
import { COMPARISON, isAssignmentOperator, isCombining, isLiteralExpression, propertyNameText, unwrap } from "./syntax.js";

/** An array literal of at most this many elements, none spread, keeps its positions apart (a tuple). */

/** Expressions: the value each one denotes, with reads, literals, operators and the depth guard's approximation. */
export abstract class ExpressionInterpreter extends CallInterpreter {
  evalExpr(node: ts.Expression, field?: string): Value {
    this.tick(node);
    if (this.ctx.depth > MAX_NESTING) {
      this.budget("budget-nesting", `expression nested too deeply in ${this.frame.name}: approximated by the data it mentions`, node);
      return this.approximate(node);
    }
    this.ctx.depth++;
    try {
      return this.evalInner(unwrap(node), field);
    } finally {
      this.ctx.depth--;
    }
  }

  /**
   * Degraded evaluation for input nested past the interpreter's depth guard: an iterative walk that joins every
   * variable and source the subtree mentions. Over-approximates; never recurses.
   */
  protected approximate(root: ts.Node): Value {
    let out = EMPTY;
    const stack: ts.Node[] = [root];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (isFunctionLike(n)) continue;
      if (isIdentifier(n)) {
        const p = n.parent;
        const isName = p && (isPropertyAccessExpression(p) || isPropertyAssignment(p)) && p.name === n;
        const b = isName ? undefined : this.lookup(n.text);
        if (b) out = joinValues(out, flatten(this.readBinding(b)));
      } else if (isPropertyAccessExpression(n) || isElementAccessExpression(n)) {
        out = joinValues(out, this.sourcesOf(n));
      }
      forEachChild(n, (c) => {
        stack.push(c);
      });
    }
    return flatten(out);
  }

  /** Degraded statement: whatever it reads may end up in whatever it assigns (weakly). Iterative. */
  protected approximateStatement(st: ts.Statement): void {
    const v = this.approximate(st);
    if (!v.facts) return;
    const stack: ts.Node[] = [st];
    while (stack.length > 0) {
      const n = stack.pop()!;
      if (isFunctionLike(n)) continue;
      let target: ts.Node | undefined;
      if (isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind)) target = n.left;
      else if (isVariableDeclaration(n)) target = n.name;
      if (target && isIdentifier(target)) {
        const b = this.lookup(target.text) ?? (isVariableDeclaration(n) ? { key: this.declare(target, "block") } : undefined);
        if (b) this.writeBinding(b, joinValues(this.readBinding(b), v));
      }
      forEachChild(n, (c) => {
        stack.push(c);
      });
    }
  }

  /** `field`: only that field of the value is read (an identifier's, `evalExpr`). */
  protected evalInner(node: ts.Expression, field?: string): Value {
    switch (node.kind) {
      case Kind.Identifier: {
        const id = node as ts.Identifier;
        if (id.text === "undefined") return EMPTY;
        if (this.frame.absent.length > 0 && readsAbsent(id, this.frame.absent)) return EMPTY;
        const b = this.lookup(id.text);
        return b ? this.readBinding(b, field) : EMPTY;
      }
      case Kind.ThisKeyword:
        return this.readThis();
      case Kind.PropertyAccessExpression: {
        // o.f: the field's facts (plus o's deep facts), and a source if the Question says so
        const e = node as ts.PropertyAccessExpression;
        if (this.frame.absent.length > 0 && readsAbsent(e, this.frame.absent)) return EMPTY;
        const name = e.name.text;
        let v: Value;
        if (e.expression.kind === Kind.ThisKeyword) v = this.readThisField(name);
        else {
          // below, only field `name` of o is read, but for the URL members and counts, which look at o as a whole
          const whole = name === "href" || name === "search" || name === "searchParams" || name === "length" || name === "size";
          const obj = this.evalExpr(e.expression, whole ? undefined : name);
          // url.href / url.search: the whole URL as a string; url.searchParams: the URL object's own parts. An object
          // whose named fields are known and lack the member, or whose member the project declares, is no URL (a
          // command's own `searchParams` field: reading it must not hand on every other field of the command)
          const urlPart =
            (name === "href" || name === "search" || name === "searchParams") &&
            !obj.fields?.has(name) &&
            hasTaint(obj) &&
            !hasNamedFields(obj) &&
            !this.declaredByProject(e.name);
          // a count, not the data: an array's or a string's length, a Set's or a Map's size
          if ((name === "length" || name === "size") && !obj.fields?.has(name)) return EMPTY;
          v = urlPart ? (name === "searchParams" ? obj : flatten(obj)) : readField(obj, name, this.fieldDepth);
        }
        // a member of a parameter the callers leave out is never read (`ctx?.context` with no ctx): no source
        if (this.ofLeftOut(e)) return v;
        return joinAll([v, this.sourcesOf(e, e, v), this.recipientFieldRead(e, v), this.requestMemberRead(e)]);
      }
      case Kind.ElementAccessExpression: {
        const e = node as ts.ElementAccessExpression;
        const key = this.keyOf(e.argumentExpression);
        const obj = e.expression.kind === Kind.ThisKeyword && key !== undefined ? undefined : this.evalExpr(e.expression);
        if (key === undefined) this.evalExpr(e.argumentExpression);
        const index = key === undefined ? unwrap(e.argumentExpression) : undefined;
        const v =
          obj === undefined
            ? this.readThisField(key!)
            : index !== undefined && isNumericLiteral(index)
              ? readPosition(obj, Number(index.text), this.fieldDepth)
              : readField(obj, key ?? ELEMENTS, this.fieldDepth);
        if (this.ofLeftOut(e)) return v;
        return joinValues(v, this.sourcesOf(e, e, v));
      }
      case Kind.CallExpression:
      case Kind.NewExpression:
        return this.evalCall(node as ts.CallExpression | ts.NewExpression);
      case Kind.TemplateExpression: {
        // `a${x}b`: the string carries every part
        let out = EMPTY;
        for (const span of (node as ts.TemplateExpression).templateSpans) out = joinValues(out, this.printed(span.expression));
        return out;
      }
      case Kind.TaggedTemplateExpression: {
        const t = (node as ts.TaggedTemplateExpression).template;
        return isTemplateExpression(t) ? this.evalInner(t) : EMPTY;
      }
      case Kind.BinaryExpression:
        return this.evalBinary(node as ts.BinaryExpression);
      case Kind.ConditionalExpression: {
        // c ? a : b: both arms from the state after c, joined
        const e = node as ts.ConditionalExpression;
        this.evalExpr(e.condition);
        const known = this.conditionKnown(e.condition);
        // a read of what the condition says is absent there holds no datum (absent-paths.ts)
        const arm = (truth: boolean): Value => {
          const branch = truth ? e.whenTrue : e.whenFalse;
          return this.underCondition(e.condition, truth, branch, () => this.evalExpr(branch));
        };
        if (known !== undefined) return arm(known === "truthy");
        const before = this.state.clone();
        const a = arm(true);
        const afterA = this.state;
        this.state = before;
        const b = arm(false);
        this.state = State.join(afterA, this.state);
        return joinValues(a, b);
      }
      case Kind.ObjectLiteralExpression:
        return this.evalObjectLiteral(node as ts.ObjectLiteralExpression);
      case Kind.ArrayLiteralExpression: {
        const elements = (node as ts.ArrayLiteralExpression).elements;
        // [a, b, c] of a few elements is a tuple: each position is its own field, so `const [users, keys] = await
        // Promise.all([getUsers(), getKeys()])` gives `keys` only what the second call answers. Read as elements
        // (for…of, .map, a dynamic index, JSON) it is every position joined (readField of ELEMENTS).
        if (elements.length <= TUPLE_POSITIONS && !elements.some(isSpreadElement)) {
          return makeValue(undefined, new Map(elements.map((el, i) => [String(i), isOmittedExpression(el) ? EMPTY : this.evalExpr(el)])));
        }
        // [a, ...b], or a long list (a table, not a tuple): elements join into the array's element pseudo-field
        let els = EMPTY;
        for (const el of elements) {
          if (isSpreadElement(el)) els = joinValues(els, readField(this.evalExpr(el.expression), ELEMENTS, this.fieldDepth));
          else if (!isOmittedExpression(el)) els = joinValues(els, this.evalExpr(el));
        }
        return makeValue(undefined, new Map([[ELEMENTS, els]]));
      }
      case Kind.ArrowFunction:
      case Kind.FunctionExpression:
        return makeValue(undefined, undefined, [{ node: node as ts.SignatureDeclaration, file: this.file }]);
      case Kind.PrefixUnaryExpression: {
        const e = node as ts.PrefixUnaryExpression;
        const v = this.evalExpr(e.operand);
        if (e.operator === Kind.ExclamationToken) return EMPTY;
        return flatten(v);
      }
      case Kind.PostfixUnaryExpression:
        return flatten(this.evalExpr((node as ts.PostfixUnaryExpression).operand));
      case Kind.TypeOfExpression:
        this.evalExpr((node as ts.TypeOfExpression).expression);
        return EMPTY;
      case Kind.VoidExpression:
        this.evalExpr((node as ts.VoidExpression).expression);
        return EMPTY;
      case Kind.DeleteExpression: {
        // delete o.f: o.f is gone (strongly clean)
        const target = (node as ts.DeleteExpression).expression;
        this.assignTarget(target, EMPTY, target);
        return EMPTY;
      }
      case Kind.YieldExpression: {
        // yield e: e becomes an element of the generator's result
        const e = node as ts.YieldExpression;
        if (e.expression) {
          const v = this.evalExpr(e.expression);
          const el = e.asteriskToken ? readField(v, ELEMENTS, this.fieldDepth) : v;
          this.frame.returns = joinValues(this.frame.returns, makeValue(undefined, new Map([[ELEMENTS, el]])));
        }
        return EMPTY;
      }
      case Kind.SpreadElement:
        return readField(this.evalExpr((node as ts.SpreadElement).expression), ELEMENTS, this.fieldDepth);
      case Kind.ClassExpression:
        return EMPTY;
      default:
        return EMPTY;
    }
  }

  protected evalBinary(e: ts.BinaryExpression): Value {
    const op = e.operatorToken.kind;
    if (op === Kind.EqualsToken) {
      // x = e: strong update of x's path
      const v = this.evalExpr(e.right);
      this.assignTarget(e.left, v, e.left);
      // a local now holds e's object, if e is an access path (`list = account.labels`), and no longer the one before
      const local = isIdentifier(unwrap(e.left)) ? this.lookup((unwrap(e.left) as ts.Identifier).text) : undefined;
      if (local) this.aliasLocal(local.key, e.right);
      return v;
    }
    if (isAssignmentOperator(op)) {
      // x += e, x ??= e, …: x joins e
      const local = isIdentifier(unwrap(e.left)) ? this.lookup((unwrap(e.left) as ts.Identifier).text) : undefined;
      const before = local ? this.state.aliases.get(local.key) : undefined;
      const old = this.evalExpr(e.left);
      const v = joinValues(op === Kind.PlusEqualsToken ? flatten(old) : old, op === Kind.PlusEqualsToken ? flatten(this.evalExpr(e.right)) : this.evalExpr(e.right));
      this.assignTarget(e.left, v, e.left);
      // `x ??= a.f`, `x ||= a.f`: x still holds its object, or now a.f's; arithmetic makes a number or a string
      if (local && (op === Kind.QuestionQuestionEqualsToken || op === Kind.BarBarEqualsToken)) {
        this.aliasLocal(local.key, e.right);
        const joined = [...(before ?? [])];
        for (const t of this.state.aliases.get(local.key) ?? []) if (joined.length < MAX_ALIASES && !joined.some((j) => j.id === t.id)) joined.push(t);
        this.state.setAliases(local.key, joined);
      }
      return v;
    }
    if (op === Kind.CommaToken) {
      this.evalExpr(e.left);
      return this.evalExpr(e.right);
    }
    if (op === Kind.AmpersandAmpersandToken || op === Kind.BarBarToken || op === Kind.QuestionQuestionToken) {
      // a && b, a || b, a ?? b: b may not run; the result is either
      const a = this.evalExpr(e.left);
      // `options.includeEmail && { email }` where the call site leaves that option unset: the right side never runs
      const left = op === Kind.QuestionQuestionToken ? undefined : this.conditionKnown(e.left);
      if (left === "falsy" && op === Kind.AmpersandAmpersandToken) return EMPTY;
      if (left === "truthy" && op === Kind.BarBarToken) return a;
      const before = this.state.clone();
      const b = this.evalExpr(e.right);
      this.state = State.join(before, this.state);
      return joinValues(op === Kind.AmpersandAmpersandToken ? EMPTY : a, b);
    }
    if (COMPARISON.has(op)) {
      this.evalExpr(e.left);
      this.evalExpr(e.right);
      return EMPTY;
    }
    // a + b + c …: the left spine of combining operators, walked iteratively so 50,000 terms do not recurse
    const rights: ts.Expression[] = [];
    let left: ts.Expression = e;
    while (isBinaryExpression(left) && isCombining(left.operatorToken.kind)) {
      rights.push(left.right);
      left = unwrap(left.left);
    }
    let out = this.printed(left);
    for (let i = rights.length - 1; i >= 0; i--) out = joinValues(out, this.printed(rights[i]!));
    return out;
  }

  /** A member read below a parameter the analysed variant's callers leave out (`ctx.context.ip` with no ctx passed). */
  private ofLeftOut(e: ts.Expression): boolean {
    if (this.rec.knowledge === undefined) return false;
    let node = unwrap(e);
    while (isPropertyAccessExpression(node) || isElementAccessExpression(node)) node = unwrap(node.expression);
    return this.knownFalsyArgument(node);
  }

  /** Whether the member a name reads is declared in the project's own files (a field of its class or interface). */
  private declaredByProject(name: ts.MemberName): boolean {
    let symbol: ts.Symbol | undefined;
    try {
      symbol = this.ctx.checker.getSymbolAtLocation(name);
    } catch {
      return false;
    }
    return symbol?.declarations?.some((d) => this.ctx.files.has(d.getSourceFile())) ?? false;
  }

  /**
   * A term written into a string (a template's span, an operand of `+`): its data as a whole, unless its type is a
   * plain object of the project's, which prints "[object Object]" (`User ${auditUser} updated`) — the checker is asked
   * only when the term carries data.
   */
  protected printed(e: ts.Expression): Value {
    const v = this.evalExpr(e);
    if (!hasTaint(v)) return flatten(v);
    let plain = this.ctx.printsPlain.get(e);
    if (plain === undefined) this.ctx.printsPlain.set(e, (plain = printsAsPlainObject(e, this.ctx.checker, (sf) => this.ctx.files.has(sf))));
    return plain ? EMPTY : flatten(v);
  }

  protected evalObjectLiteral(o: ts.ObjectLiteralExpression): Value {
    let facts: Value = EMPTY;
    const fields = new Map<string, Value>();
    const put = (k: string, v: Value) => {
      const old = fields.get(k);
      fields.set(k, old && k === ELEMENTS ? joinValues(old, v) : v);
    };
    for (const p of o.properties) {
      switch (p.kind) {
        case Kind.PropertyAssignment: {
          // { k: e }: field k takes e (and a key that names restricted data marks it, unless e is a literal)
          // `{ [FieldNameUser.email]: email }`: a computed key the checker reads as one string is that field
          const name = propertyNameText(p.name) ?? (isComputedPropertyName(p.name) ? this.keyOf(p.name.expression) : undefined);
          if (!name && isComputedPropertyName(p.name)) this.evalExpr(p.name.expression);
          let v = this.evalExpr(p.initializer);
          if (!isLiteralExpression(unwrap(p.initializer)) && !ts.isFunctionLike(unwrap(p.initializer))) {
            v = joinValues(v, this.sourcesOf(p, p.name, v));
          }
          put(name ?? ELEMENTS, v);
          break;
        }
        case Kind.ShorthandPropertyAssignment: {
          const b = this.lookup(p.name.text);
          put(p.name.text, b ? this.readBinding(b) : EMPTY);
          break;
        }
        case Kind.SpreadAssignment: {
          // o[k] = { ...o[k], … }, directly or through a helper that writes the argument there: what the spread gives
          // goes back where it is (in-place-merge.ts). Read for what the reading does (a getter on the way), and the
          // sources the reads are: those are new data at that place
          if (this.spreadsBack(p)) {
            this.evalExpr(p.expression);
            facts = joinValues(facts, flatten(this.sourcesAlong(p.expression)));
            break;
          }
          // { ...o }: o's fields and facts are copied
          const v = this.evalExpr(p.expression);
          facts = joinValues(facts, makeValue(v.facts, undefined));
          for (const [k, c] of v.fields ?? []) put(k, fields.has(k) && k !== ELEMENTS ? joinValues(fields.get(k)!, c) : c);
          break;
        }
        case Kind.MethodDeclaration:
        case Kind.GetAccessor:
        case Kind.SetAccessor: {
          const name = propertyNameText(p.name);
          if (name) put(name, makeValue(undefined, undefined, [{ node: p, file: this.file }]));
          break;
        }
      }
    }
    return this.bounded(makeValue(facts.facts, fields));
  }

  /** A spread of the place its literal is written back to, directly or through the called helper (in-place-merge.ts). */
  private spreadsBack(p: ts.SpreadAssignment): boolean {
    return spreadsBackInPlace(p) || spreadsBackThroughCall(p, (call) => {
      const model = this.ctx.question.callAt(call);
      return model.kind === "project" ? [model.declaration, ...(model.overrides ?? [])] : undefined;
    });
  }

  /** What the reads of an access path not evaluated are sources of (`this[type][key]`: at each access). */
  private sourcesAlong(e: ts.Expression): Value {
    let out = EMPTY;
    for (let x = unwrap(e); isPropertyAccessExpression(x) || isElementAccessExpression(x); x = unwrap(x.expression)) {
      out = joinValues(out, this.sourcesOf(x, x));
    }
    return out;
  }
}

/** Whether the value's tree names members (not only elements or Map keys): an object the code built field by field. */
function hasNamedFields(v: Value): boolean {
  for (const k of v.fields?.keys() ?? []) if (k !== ELEMENTS && k !== KEYS) return true;
  return false;
}
