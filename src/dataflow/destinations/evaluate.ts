import { ts } from "ts-morph";
import { Kind, isBinaryExpression, isBindingElement, isComputedPropertyName, isEnumDeclaration, isExportAssignment, isIdentifier, isNumericLiteral, isObjectBindingPattern, isParameter, isPropertyAccessExpression, isPropertyAssignment, isShorthandPropertyAssignment, isSourceFile, isSpreadAssignment, isStringLiteral, isVariableDeclaration } from "../../compiler-direct.js";
import { skipOuterExpressions } from "../../workspace/symbols.js";
import {
  Concat,
  Const,
  Env,
  PageOrigin,
  Unknown,
  either,
  fallback,
  propertyOf,
  urlToString,
  type DestinationValue,
} from "./value.js";

/** What the engine knows that syntax alone does not: how names evaluate in the function being analysed. */
export interface EvaluationEnvironment {
  /**
   * How an identifier (or `this.field`) evaluates here: a parameter → `Param(i)`, a local the engine tracked → its
   * value. Return undefined for anything else (including names outside the current function, which the evaluator may
   * ask about while following a constant); the evaluator then follows `const` declarations and imports itself.
   */
  nameValue?(node: ts.Identifier | ts.PropertyAccessExpression): DestinationValue | undefined;
  /** The project's type checker (`workspace.checker()`), to follow imports and constants. */
  checker?: ts.TypeChecker;
}

/** Nesting the evaluator follows (parentheses, templates, constants referring to constants) before giving up. */
export const MAX_EVALUATION_DEPTH = 200;
/** Nodes one evaluation may visit; a `+` chain of 50,000 terms is well inside. */
export const MAX_EVALUATION_STEPS = 1_000_000;

interface Context {
  env: EvaluationEnvironment;
  steps: number;
  /** Declarations being followed (cycle guard) and their values once known (shared constants are evaluated once). */
  following: Set<ts.Node>;
  memo: Map<ts.Node, DestinationValue>;
}

/**
 * The destination value of an expression: literals, templates, `+` chains, constants (local, module-level, imported),
 * `as const` objects and their properties, `new URL(path, base)`, `url.href`/`toString()`, `process.env.X`, `??`/`||`,
 * object literals. Never throws; never recurses deeper than {@link MAX_EVALUATION_DEPTH}; `+` chains are iterative.
 */
export function evaluateDestination(node: ts.Expression, env: EvaluationEnvironment = {}): DestinationValue {
  return evaluate(node, { env, steps: 0, following: new Set(), memo: new Map() }, 0);
}

function evaluate(start: ts.Expression, ctx: Context, depth: number): DestinationValue {
  if (depth > MAX_EVALUATION_DEPTH) return Unknown("expression nested too deeply to evaluate");
  if (++ctx.steps > MAX_EVALUATION_STEPS) return Unknown("expression too large to evaluate");
  const node = skipOuterExpressions(start);
  switch (node.kind) {
    case Kind.StringLiteral:
    case Kind.NoSubstitutionTemplateLiteral:
      return Const((node as ts.StringLiteral).text);
    case Kind.NumericLiteral:
      return Const(String(Number((node as ts.NumericLiteral).text)));
    case Kind.TemplateExpression: {
      // `a${x}b`: the head, then each substitution followed by its literal text
      const template = node as ts.TemplateExpression;
      const parts: DestinationValue[] = [Const(template.head.text)];
      for (const span of template.templateSpans) {
        parts.push(urlToString(evaluate(span.expression, ctx, depth + 1)), Const(span.literal.text));
      }
      return Concat(parts);
    }
    case Kind.BinaryExpression:
      return evaluateBinary(node as ts.BinaryExpression, ctx, depth);
    case Kind.ConditionalExpression: {
      const conditional = node as ts.ConditionalExpression;
      const whenTrue = evaluate(conditional.whenTrue, ctx, depth + 1);
      const whenFalse = evaluate(conditional.whenFalse, ctx, depth + 1);
      return either(whenTrue, whenFalse, `chosen at run time by \`${shortText(conditional.condition)}\``);
    }
    case Kind.Identifier:
      return evaluateIdentifier(node as ts.Identifier, ctx, depth);
    case Kind.PropertyAccessExpression:
      return evaluatePropertyAccess(node as ts.PropertyAccessExpression, ctx, depth);
    case Kind.ElementAccessExpression: {
      const access = node as ts.ElementAccessExpression;
      const key = evaluate(access.argumentExpression, ctx, depth + 1);
      if (key.kind !== "const") return Unknown(`from \`${shortText(access)}\``);
      if (isProcessEnv(access.expression)) return Env(key.value);
      return propertyOf(evaluate(access.expression, ctx, depth + 1), key.value);
    }
    case Kind.ObjectLiteralExpression:
      return evaluateObject(node as ts.ObjectLiteralExpression, ctx, depth);
    case Kind.NewExpression: {
      // new URL(input, base?): a value whose string form is decided once both are known
      const construct = node as ts.NewExpression;
      const args = construct.arguments ?? [];
      if (isIdentifier(construct.expression) && construct.expression.text === "URL" && args.length >= 1) {
        const [first, second] = args;
        const input = first === undefined ? Unknown("no URL") : evaluate(first, ctx, depth + 1);
        const base = second === undefined ? undefined : evaluate(second, ctx, depth + 1);
        return { kind: "url", input, base }; // kept as a URL so `.href`, `.origin`, `.host` can be read
      }
      return Unknown(`from \`new ${shortText(construct.expression)}(…)\``);
    }
    case Kind.CallExpression:
      return evaluateCall(node as ts.CallExpression, ctx, depth);
    case Kind.NullKeyword:
      return Unknown("null");
    default:
      return Unknown(`from \`${shortText(node)}\``);
  }
}

function evaluateBinary(node: ts.BinaryExpression, ctx: Context, depth: number): DestinationValue {
  const operator = node.operatorToken.kind;
  if (operator === Kind.QuestionQuestionToken || operator === Kind.BarBarToken) {
    const left = evaluate(node.left, ctx, depth + 1);
    const right = evaluate(node.right, ctx, depth + 1);
    return fallback(operator === Kind.QuestionQuestionToken ? "??" : "||", left, right);
  }
  if (operator !== Kind.PlusToken) return Unknown(`from \`${shortText(node)}\``);
  // a + b + c: the parser nests chains to the left; collect the operands with an explicit stack, in order
  const operands: ts.Expression[] = [];
  const stack: ts.Expression[] = [node];
  while (stack.length > 0) {
    const current = skipOuterExpressions(stack.pop() as ts.Expression);
    if (isBinaryExpression(current) && current.operatorToken.kind === Kind.PlusToken) {
      stack.push(current.right, current.left);
    } else {
      operands.push(current);
    }
  }
  return Concat(operands.map((operand) => urlToString(evaluate(operand, ctx, depth + 1))));
}

function evaluatePropertyAccess(node: ts.PropertyAccessExpression, ctx: Context, depth: number): DestinationValue {
  // process.env.X: overridable at deployment
  if (isProcessEnv(node.expression)) return Env(node.name.text);
  if (isPageOrigin(node, ctx)) return PageOrigin;
  if (node.expression.kind === Kind.ThisKeyword) {
    return ctx.env.nameValue?.(node) ?? Unknown(`from \`this.${node.name.text}\``);
  }
  return propertyOf(evaluate(node.expression, ctx, depth + 1), node.name.text);
}

function evaluateObject(node: ts.ObjectLiteralExpression, ctx: Context, depth: number): DestinationValue {
  const properties = new Map<string, DestinationValue>();
  let complete = true;
  for (const property of node.properties) {
    if (isPropertyAssignment(property)) {
      const name = propertyName(property.name, ctx, depth);
      if (name === undefined) complete = false;
      else properties.set(name, evaluate(property.initializer, ctx, depth + 1));
    } else if (isShorthandPropertyAssignment(property)) {
      properties.set(property.name.text, evaluateIdentifier(property.name, ctx, depth));
    } else if (isSpreadAssignment(property)) {
      // {...defaults, path}: later properties override the spread ones
      const spread = evaluate(property.expression, ctx, depth + 1);
      if (spread.kind === "object") {
        for (const [key, value] of spread.properties) properties.set(key, value);
        complete &&= spread.complete;
      } else {
        complete = false;
        properties.clear(); // what the spread sets is unknown, so nothing set before it is certain
      }
    } else {
      complete = false;
    }
  }
  return { kind: "object", properties, complete };
}

function evaluateCall(node: ts.CallExpression, ctx: Context, depth: number): DestinationValue {
  const callee = skipOuterExpressions(node.expression);
  const args = node.arguments;
  if (isPropertyAccessExpression(callee)) {
    const method = callee.name.text;
    // url.toString(), url.toJSON(), "…".toString(): the string form
    if ((method === "toString" || method === "toJSON") && args.length === 0) {
      return urlToString(evaluate(callee.expression, ctx, depth + 1));
    }
    // "a".concat(b, c)
    if (method === "concat") {
      const receiver = urlToString(evaluate(callee.expression, ctx, depth + 1));
      if (receiver.kind !== "object") {
        return Concat([receiver, ...args.map((arg) => urlToString(evaluate(arg, ctx, depth + 1)))]);
      }
    }
  }
  // String(x): the string form
  const only = args.length === 1 ? args[0] : undefined;
  if (isIdentifier(callee) && callee.text === "String" && only !== undefined) {
    return urlToString(evaluate(only, ctx, depth + 1));
  }
  return Unknown(`from a call to \`${shortText(callee)}()\``);
}

function evaluateIdentifier(node: ts.Identifier, ctx: Context, depth: number): DestinationValue {
  if (node.text === "undefined") return Unknown("undefined");
  const fromEngine = ctx.env.nameValue?.(node);
  if (fromEngine !== undefined) return fromEngine;
  const checker = ctx.env.checker;
  if (checker === undefined) return Unknown(`from \`${node.text}\``);
  let symbol: ts.Symbol | undefined;
  try {
    symbol =
      isShorthandPropertyAssignment(node.parent) && node.parent.name === node
        ? checker.getShorthandAssignmentValueSymbol(node.parent)
        : checker.getSymbolAtLocation(node);
    // import { X } from "./hosts" / import * as hosts: the declaration behind the alias chain
    if (symbol !== undefined && symbol.flags & ts.SymbolFlags.Alias) symbol = checker.getAliasedSymbol(symbol);
  } catch {
    symbol = undefined;
  }
  const declaration = symbol?.valueDeclaration ?? symbol?.declarations?.[0];
  if (declaration === undefined) return Unknown(`from \`${node.text}\``);
  if (isSourceFile(declaration)) return evaluateModule(declaration, ctx, depth);
  return evaluateDeclaration(declaration, node.text, ctx, depth);
}

/** The value a declaration binds, following it once per evaluation (cycles and shared constants). */
function evaluateDeclaration(declaration: ts.Node, name: string, ctx: Context, depth: number): DestinationValue {
  const known = ctx.memo.get(declaration);
  if (known !== undefined) return known;
  if (ctx.following.has(declaration)) return Unknown(`\`${name}\` refers to itself`);
  ctx.following.add(declaration);
  const value = declarationValue(declaration, name, ctx, depth);
  ctx.following.delete(declaration);
  ctx.memo.set(declaration, value);
  return value;
}

function declarationValue(declaration: ts.Node, name: string, ctx: Context, depth: number): DestinationValue {
  if (isVariableDeclaration(declaration)) {
    if (!(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) {
      return Unknown(`\`${name}\` is not a constant`);
    }
    if (declaration.initializer === undefined) return Unknown(`\`${name}\` is declared without a value`);
    return evaluate(declaration.initializer, ctx, depth + 1);
  }
  if (isBindingElement(declaration)) {
    // const { analytics } = HOSTS: the property of the destructured constant
    const pattern = declaration.parent;
    const holder = pattern.parent;
    if (
      isObjectBindingPattern(pattern) &&
      isVariableDeclaration(holder) &&
      ts.getCombinedNodeFlags(holder) & ts.NodeFlags.Const &&
      holder.initializer !== undefined &&
      declaration.dotDotDotToken === undefined
    ) {
      const key = declaration.propertyName ?? declaration.name;
      const keyText = isIdentifier(key) || isStringLiteral(key) ? key.text : undefined;
      if (keyText !== undefined) return propertyOf(evaluate(holder.initializer, ctx, depth + 1), keyText);
    }
    return Unknown(`from \`${name}\``);
  }
  if (isParameter(declaration)) return Unknown(`from parameter \`${name}\``);
  if (isEnumDeclaration(declaration)) {
    // enum Hosts { Vault = "https://…" }: members with string initializers
    const properties = new Map<string, DestinationValue>();
    let complete = true;
    for (const member of declaration.members) {
      const key = isIdentifier(member.name) || isStringLiteral(member.name) ? member.name.text : undefined;
      if (key === undefined || member.initializer === undefined) complete = false;
      else properties.set(key, evaluate(member.initializer, ctx, depth + 1));
    }
    return { kind: "object", properties, complete };
  }
  if (isExportAssignment(declaration)) return evaluate(declaration.expression, ctx, depth + 1);
  if (isPropertyAssignment(declaration)) return evaluate(declaration.initializer, ctx, depth + 1);
  return Unknown(`from \`${name}\``);
}

/** `import * as hosts from "./hosts"`: the module's exported constants, as an object. */
function evaluateModule(file: ts.SourceFile, ctx: Context, depth: number): DestinationValue {
  const checker = ctx.env.checker;
  const moduleSymbol = checker?.getSymbolAtLocation(file);
  if (checker === undefined || moduleSymbol === undefined) return Unknown(`from module \`${file.fileName}\``);
  const properties = new Map<string, DestinationValue>();
  for (let exported of checker.getExportsOfModule(moduleSymbol)) {
    if (exported.flags & ts.SymbolFlags.Alias) exported = checker.getAliasedSymbol(exported);
    const declaration = exported.valueDeclaration ?? exported.declarations?.[0];
    if (declaration !== undefined && isVariableDeclaration(declaration)) {
      properties.set(exported.name, evaluateDeclaration(declaration, exported.name, ctx, depth + 1));
    }
  }
  return { kind: "object", properties, complete: false };
}

function propertyName(name: ts.PropertyName, ctx: Context, depth: number): string | undefined {
  if (isIdentifier(name) || isStringLiteral(name) || isNumericLiteral(name)) return name.text;
  if (isComputedPropertyName(name)) {
    const key = evaluate(name.expression, ctx, depth + 1);
    return key.kind === "const" ? key.value : undefined;
  }
  return undefined;
}

/** The browser's globals that hold the page's location (`window.location`, `self.location`, `document.location`). */
const LOCATION_HOLDERS = new Set(["window", "self", "globalThis", "document"]);

/**
 * The page's own origin: `location.origin` and `location.href` (read off the global `location` or a global that holds
 * it), and `window.origin`. A project's own `location` or `window` (a local, a parameter, an import) is not the page's.
 */
function isPageOrigin(node: ts.PropertyAccessExpression, ctx: Context): boolean {
  const name = node.name.text;
  const target = skipOuterExpressions(node.expression);
  if (name === "origin" && isIdentifier(target) && (target.text === "window" || target.text === "self")) return isGlobal(target, ctx);
  if (name !== "origin" && name !== "href") return false;
  if (isIdentifier(target)) return target.text === "location" && isGlobal(target, ctx);
  if (!isPropertyAccessExpression(target) || target.name.text !== "location") return false;
  const holder = skipOuterExpressions(target.expression);
  return isIdentifier(holder) && LOCATION_HOLDERS.has(holder.text) && isGlobal(holder, ctx);
}

/** A name no declaration of the scanned code binds: the engine tracks no value for it, and the checker finds none there. */
function isGlobal(name: ts.Identifier, ctx: Context): boolean {
  if (ctx.env.nameValue?.(name) !== undefined) return false;
  let declarations: readonly ts.Declaration[] | undefined;
  try {
    declarations = ctx.env.checker?.getSymbolAtLocation(name)?.declarations;
  } catch {
    return false;
  }
  return (declarations ?? []).every((declaration) => declaration.getSourceFile().isDeclarationFile);
}

function isProcessEnv(node: ts.Expression): boolean {
  const target = skipOuterExpressions(node);
  return (
    isPropertyAccessExpression(target) &&
    target.name.text === "env" &&
    isIdentifier(target.expression) &&
    target.expression.text === "process"
  );
}


/** Source text for a reason, cut short: reasons end up in one-line finding messages. */
function shortText(node: ts.Node): string {
  let text: string;
  try {
    text = node.getText();
  } catch {
    return Kind[node.kind];
  }
  const line = text.replace(/\s+/g, " ");
  return line.length > 60 ? `${line.slice(0, 57)}…` : line;
}
