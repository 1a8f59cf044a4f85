import { ts } from "ts-morph";
import { isArrayLiteralExpression, isCallExpression, isComputedPropertyName, isIdentifier, isObjectLiteralExpression, isPropertyAccessExpression, isPropertyAssignment, isVariableDeclaration } from "../compiler-direct.js";
import { skipOuterExpressions } from "../workspace/symbols.js";
import type { TableColumn } from "../vocabulary/question.js";
import { constantText, declarationOf } from "./constant-text.js";

/*
 * The columns a read of a table answers (`db("events").select("id", "project").where(…)`): a row read back carries
 * only those, not every column some save wrote into the table. A save of an event row with its `ip` column, read back
 * with `returning(EVENT_COLUMNS)` or `select("project")`, has no address in what it answers.
 */

export interface ColumnMembers {
  /** Members whose arguments name the columns the query answers (`select`, `returning`, `first`). */
  columns: ReadonlySet<string>;
  /** Members that add a computed value to the answer (`max({ revisionId: "id" })`): a number, no column's data. */
  aggregates: ReadonlySet<string>;
}

/** How many links of a chain to follow each way: a longer chain is not a query anyone writes. */
const MAX_LINKS = 32;

/**
 * The columns the query chain through `call` answers, read from every link of the chain, before and after the call (one
 * statement, whatever the order: `where(…).select(cols)` answers `cols`); undefined when the chain names no column, or
 * names one that cannot be read from the code (`"*"`, a computed list, a raw expression that is not a column's): then
 * the answer is the whole row. `isRaw`: whether an argument is the store's raw SQL (`db.raw("…")`).
 */
export function columnsRead(
  call: ts.CallExpression | ts.NewExpression,
  members: ColumnMembers,
  checker: ts.TypeChecker,
  isRaw: (call: ts.CallExpression) => boolean,
): readonly TableColumn[] | undefined {
  let top: ts.Node = call;
  for (let links = 0; links < MAX_LINKS; links++) {
    const access = top.parent;
    if (access === undefined || !isPropertyAccessExpression(access) || access.expression !== top) break;
    const next = access.parent;
    if (next === undefined || !isCallExpression(next) || next.expression !== access) break;
    top = next;
  }
  let named = false;
  const out: TableColumn[] = [];
  let node: ts.Expression = top as ts.Expression;
  for (let links = 0; links < MAX_LINKS; links++) {
    node = skipOuterExpressions(node);
    if (!isCallExpression(node)) break;
    const callee = skipOuterExpressions(node.expression);
    if (!isPropertyAccessExpression(callee)) break;
    const member = callee.name.text;
    if (members.aggregates.has(member)) named = true;
    else if (members.columns.has(member) && node.arguments.length > 0) {
      named = true;
      for (const argument of node.arguments) {
        const columns = columnList(argument, checker, isRaw);
        if (columns === undefined) return undefined;
        out.push(...columns);
      }
    }
    node = callee.expression;
  }
  return named ? out : undefined;
}

/** `"id"`, `["id", "type"]`, a `const` list, `{ alias: "column" }`, `db.raw("… as alias")`: the columns; else undefined. */
function columnList(argument: ts.Expression, checker: ts.TypeChecker, isRaw: (call: ts.CallExpression) => boolean, hops = 0): TableColumn[] | undefined {
  const node = skipOuterExpressions(argument);
  if (isArrayLiteralExpression(node)) {
    const out: TableColumn[] = [];
    for (const element of node.elements) {
      const columns = columnList(element, checker, isRaw, hops);
      if (columns === undefined) return undefined;
      out.push(...columns);
    }
    return out;
  }
  if (isObjectLiteralExpression(node)) {
    const out: TableColumn[] = [];
    for (const property of node.properties) {
      if (!isPropertyAssignment(property) || isComputedPropertyName(property.name)) return undefined;
      const column = constantText(property.initializer, checker);
      if (column === undefined || column === "*") return undefined;
      out.push({ name: property.name.text, from: [unqualified(column)] });
    }
    return out;
  }
  if (isCallExpression(node)) {
    const sql = isRaw(node) && node.arguments.length === 1 ? constantText(node.arguments[0]!, checker) : undefined;
    const column = sql !== undefined ? rawColumn(sql) : undefined;
    return column !== undefined ? [column] : undefined;
  }
  const text = constantText(node, checker);
  if (text !== undefined) {
    const column = namedColumn(text);
    return column !== undefined ? [column] : undefined;
  }
  // `returning(EVENT_COLUMNS)`: a `const` list of names, wherever it is declared
  const name = isIdentifier(node) ? node : isPropertyAccessExpression(node) ? node.name : undefined;
  const declaration = name !== undefined && hops < 2 ? declarationOf(name, checker) : undefined;
  if (declaration !== undefined && isVariableDeclaration(declaration) && ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const && declaration.initializer) {
    const initializer = skipOuterExpressions(declaration.initializer);
    if (isArrayLiteralExpression(initializer)) return columnList(initializer, checker, isRaw, hops + 1);
  }
  return undefined;
}

/** `"created_by"`, `"e.created_by"`, `"created_by as author"`; `"*"` (every column) and `"e.*"` are none. */
function namedColumn(text: string): TableColumn | undefined {
  const match = /^\s*([A-Za-z_][\w.]*)(?:\s+as\s+([A-Za-z_]\w*))?\s*$/i.exec(text);
  if (match === null) return undefined;
  const column = unqualified(match[1]!);
  return { name: match[2] ?? column, from: [column] };
}

/** `t.column` → `column`: a qualified name is the column of that table. */
function unqualified(column: string): string {
  return column.slice(column.lastIndexOf(".") + 1);
}

const NUMERIC_CASTS = new Set(["int", "integer", "bigint", "smallint", "numeric", "decimal", "real", "float", "boolean", "bool"]);

/**
 * A raw select that names a column or a JSON path into one, with an alias: `data->>'oldProject' as project`,
 * `(data->>'id')::int as "segmentId"` (a cast to a number holds no text of the row). Any other SQL is undefined.
 */
function rawColumn(sql: string): TableColumn | undefined {
  const match = /^\s*\(?\s*([A-Za-z_]\w*)((?:\s*->>?\s*'[^']+')*)\s*\)?\s*(?:::\s*([A-Za-z]+))?\s+as\s+"?([A-Za-z_]\w*)"?\s*$/i.exec(sql);
  if (match === null) return undefined;
  const name = match[4]!;
  if (match[3] !== undefined && NUMERIC_CASTS.has(match[3].toLowerCase())) return { name, from: [] };
  const path = [...match[2]!.matchAll(/'([^']+)'/g)].map((m) => m[1]!);
  return { name, from: [match[1]!, ...path] };
}
