import { ts } from "ts-morph";
import { Kind, isArrowFunction, isCallExpression, isFunctionExpression, isIdentifier, isNewExpression, isObjectLiteralExpression, isPropertyAssignment, isStringLiteralLike, isVariableDeclaration, isVariableDeclarationList } from "../compiler-direct.js";
import type { NamedParameterRow } from "../config/policy.js";
import { skipOuterExpressions } from "../workspace/symbols.js";
import type { LibraryIndex } from "./library-index.js";
import { defaultLabel } from "./call-path.js";
import { propertyNameText, type ProvenanceResolver } from "./provenance.js";

/** The name an option of a library call gives a callback's parameter, and the reviewer's words for why. */
export interface OptionName {
  readonly name: string;
  readonly reason: string;
}

/**
 * The datum a library's call names for a parameter of the function passed to it inline (`namedParameters` rows):
 * passport-local's `new Strategy({ usernameField: "email" }, (username, password, done) => …)` hands `username` what
 * the login form posts at `email`. Read off the syntax: the options an object literal (or a `const` initialised with
 * one) beside the function; the call resolved only where one of its arguments spells a row's option, so the parameters
 * of every other callback (`items.map((item) => …)`) cost a look at their call's arguments.
 */
export function parameterNamedByOption(parameter: ts.ParameterDeclaration, index: LibraryIndex, resolver: ProvenanceResolver): OptionName | undefined {
  if (index.parameterOptions.size === 0) return undefined;
  const fn = parameter.parent;
  if (!isArrowFunction(fn) && !isFunctionExpression(fn)) return undefined;
  let passed: ts.Node = fn;
  let call = passed.parent;
  while (call.kind === Kind.ParenthesizedExpression || call.kind === Kind.AsExpression) [passed, call] = [call, call.parent];
  if (!isCallExpression(call) && !isNewExpression(call)) return undefined;
  const args = call.arguments ?? [];
  if (!args.some((a) => a === passed)) return undefined;
  const options = args.map(optionsObject);
  if (!options.some((o) => o !== undefined && o.properties.some((p) => p.name !== undefined && index.parameterOptions.has(propertyNameText(p.name) ?? "")))) return undefined;
  const callee = resolver.ofExpression(call.expression);
  if (callee?.kind !== "external") return undefined;
  const position = fn.parameters.indexOf(parameter);
  for (const row of index.namedParameters(callee.key)) {
    const given = options[row.argument ?? 0];
    const shifted = row.shift !== undefined && given !== undefined && optionText(given, row.shift) === "true" ? 1 : 0;
    if (position !== row.parameter + shifted) continue;
    const spelled = given === undefined ? undefined : optionText(given, row.option);
    const name = spelled ?? row.default;
    if (name === undefined) continue;
    return { name, reason: `\`${name}\` by the \`${row.option}\` option of ${label(row)}` };
  }
  return undefined;
}

function label(row: NamedParameterRow): string {
  return `\`${defaultLabel(row.call)}\``;
}

/** An argument as the object literal it is (or a `const` in the same file initialised with one). */
function optionsObject(argument: ts.Expression): ts.ObjectLiteralExpression | undefined {
  const x = skipOuterExpressions(argument);
  if (isObjectLiteralExpression(x)) return x;
  if (!isIdentifier(x)) return undefined;
  for (const statement of x.getSourceFile().statements) {
    if (statement.kind !== Kind.VariableStatement) continue;
    const list = (statement as ts.VariableStatement).declarationList;
    if (!isVariableDeclarationList(list) || (list.flags & ts.NodeFlags.Const) === 0) continue;
    for (const d of list.declarations) {
      if (isVariableDeclaration(d) && isIdentifier(d.name) && d.name.text === x.text && d.initializer !== undefined) {
        const init = skipOuterExpressions(d.initializer);
        return isObjectLiteralExpression(init) ? init : undefined;
      }
    }
  }
  return undefined;
}

/** The text of a literal option (`usernameField: "email"`, `passReqToCallback: true`); undefined when not spelled. */
function optionText(options: ts.ObjectLiteralExpression, name: string): string | undefined {
  for (const p of options.properties) {
    if (!isPropertyAssignment(p) || propertyNameText(p.name) !== name) continue;
    const value = skipOuterExpressions(p.initializer);
    if (isStringLiteralLike(value)) return value.text;
    if (value.kind === Kind.TrueKeyword) return "true";
    if (value.kind === Kind.FalseKeyword) return "false";
    return undefined;
  }
  return undefined;
}
