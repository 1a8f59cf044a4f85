import { createHash } from "node:crypto";
import { ts } from "ts-morph";
import { forEachChild } from "../compiler-direct.js";

/**
 * What another file can see of a file, declaration by declaration: a hash per exported name (of the statement that
 * declares it) and one hash of everything else (imports, private helpers, side effects, export lists). The analysis
 * cache keeps these per file, so that a later scan can tell which of a changed file's exports changed: a file that
 * imports only exports that did not change reads the same declarations and types as before (affected-files.ts).
 */
export interface DeclarationHashes {
  /** Everything but the exported declarations. */
  rest: string;
  /** Exported name (`default` included) → hash of its declaring statement. */
  names: Record<string, string>;
  /**
   * Exported name → hash of its declaring statement's full text (leading comments and JSDoc included) with its place:
   * position, end, and the line and character its full text starts at. Equal hashes mean every node of the statement is
   * at the same position, line and character, with the same text (keptStatements).
   */
  placed: Record<string, string>;
  /**
   * The same placed hash of each statement that exports nothing (imports, private declarations, side effects), in
   * order: where `rest` is unchanged these are the same statements, the k-th now the earlier file's k-th
   * (keptStatements).
   */
  placedRest: string[];
}

/** A file using CommonJS exports: any name may be its own, assigned anywhere. */
const COMMON_JS = /\bmodule\.exports\b|\bexports\.[\w$]+\s*=|\bexports\[/;

export function declarationHashes(sf: ts.SourceFile): DeclarationHashes {
  const rest = createHash("sha256");
  const names: Record<string, string> = {};
  const placed: Record<string, string> = {};
  const placedRest: string[] = [];
  for (const statement of sf.statements) {
    const declared = exportedNames(statement);
    const text = statement.getText(sf);
    const { line, character } = sf.getLineAndCharacterOfPosition(statement.pos);
    const where = createHash("sha256").update(`${statement.pos}:${statement.end}:${line}:${character}\n`).update(sf.text.slice(statement.pos, statement.end)).digest("base64");
    if (declared.length === 0) {
      rest.update(`${text.length}:${text}`);
      placedRest.push(where);
      continue;
    }
    const hash = createHash("sha256").update(text).digest("base64");
    for (const name of declared) {
      names[name] = hash;
      placed[name] = where;
    }
  }
  return { rest: rest.digest("base64"), names, placed, placedRest };
}

/**
 * The spans of a changed file's statements that the change left as they were, in place: an exported statement that
 * declares only exports that did not change (changedNames, so nothing outside the exported declarations changed
 * either), or a statement exporting nothing (an import, a private declaration, a side effect) that mentions no name the
 * change reaches through the file's statements (reachedNames: `const limit = () => LIMIT` follows a changed `LIMIT`) —
 * and in both cases whose full text and place — position, end, line and character — are the earlier file's (`placed`,
 * `placedRest`). Every node of such a statement is then at the same span, line and character, with the same text and
 * the same meaning to the files that import it, so a cached record that names one of its nodes (a function value, a
 * trace step) names the node of the new parse at that span (graph-codec.ts, `kept`). None when any export may have
 * changed (changedNames undefined); no statement exporting nothing in a JavaScript file, whose binder reads
 * declarations out of assignments anywhere.
 */
export function keptStatements(earlier: DeclarationHashes | undefined, sf: ts.SourceFile): [number, number][] {
  // hashes not in their form (an entry flowgate did not write) keep nothing
  const isRecord = (o: unknown): o is Record<string, unknown> => typeof o === "object" && o !== null;
  if (!isRecord(earlier) || typeof earlier.rest !== "string" || !isRecord(earlier.names) || !isRecord(earlier.placed)) return [];
  const placedRest: unknown = earlier.placedRest;
  if (!Array.isArray(placedRest) || !placedRest.every((h) => typeof h === "string")) return [];
  const changed = changedNames(earlier, sf);
  if (changed === undefined) return [];
  const now = declarationHashes(sf);
  // `rest` is the earlier file's, so the statements exporting nothing are the earlier ones, in order
  const reached = isJavaScript(sf) ? undefined : reachedNames(sf, changed);
  const spans: [number, number][] = [];
  let k = 0;
  sf.statements.forEach((statement, i) => {
    const declared = exportedNames(statement);
    if (declared.length === 0) {
      const same = placedRest[k] === now.placedRest[k];
      k++;
      if (same && reached !== undefined && ![...reached.statements[i]!.mentions].some((n) => reached.names.has(n))) spans.push([statement.pos, statement.end]);
      return;
    }
    if (declared.every((name) => !changed.has(name) && typeof earlier.placed[name] === "string" && earlier.placed[name] === now.placed[name])) {
      spans.push([statement.pos, statement.end]);
    }
  });
  return spans;
}

/**
 * Of the kept statements (keptStatements), the spans of those whose own functions' records may be taken over as well,
 * not only the nodes others name (graph-codec.ts, state-codec.ts). A record's analysis reads, besides its function's
 * text, the checker's answers about the function's nodes, and those depend on its file's declarations as much as on
 * the files it imports: the imports and private code are unchanged (changedNames is a set), the exported statements it
 * names are unchanged (changedNames closes over exported statements that name a changed one), but a private
 * declaration can name a changed export (`function h() { return changed(); }`: its inferred type follows), and a
 * statement that declares nothing can reshape what it names (`f.extra = changed`: an expando member of `f`). So the
 * names a change reaches are closed over every statement of the file — a statement that mentions a reached name adds
 * what it declares, or, declaring nothing, every name it mentions — and a kept statement mentioning none of them keeps
 * its records. None in a JavaScript file. Whether another changed file the file imports reaches it is not the file's
 * to say (affected-files.ts `bySelf`).
 */
export function statementsKeptWhole(earlier: DeclarationHashes | undefined, sf: ts.SourceFile): [number, number][] {
  // a JavaScript file's binder reads declarations out of assignments anywhere (`this.x =`, `module.exports.y =`,
  // prototypes): its statements' names do not say what a change reshapes
  if (isJavaScript(sf)) return [];
  const kept = keptStatements(earlier, sf);
  if (kept.length === 0) return kept;
  const reached = reachedNames(sf, changedNames(earlier, sf)!);
  return kept.filter(([pos]) => {
    const s = reached.statements.find((t) => t.statement.pos === pos)!;
    return ![...s.mentions].some((n) => reached.names.has(n));
  });
}

/**
 * The names a change reaches through the file's own statements: the changed exports, closed over every statement — one
 * that mentions a reached name adds what it declares, or, declaring nothing, every name it mentions — with each
 * statement's mentions (statementsKeptWhole).
 */
function reachedNames(sf: ts.SourceFile, changed: ReadonlySet<string>): { names: Set<string>; statements: { statement: ts.Statement; mentions: Set<string> }[] } {
  const reached = new Set(changed);
  const statements = sf.statements.map((statement) => ({ statement, declared: declaredNames(statement), mentions: identifiersIn(statement) }));
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of statements) {
      if (![...s.mentions].some((n) => reached.has(n))) continue;
      for (const n of s.declared ?? s.mentions) {
        if (reached.has(n)) continue;
        reached.add(n);
        grew = true;
      }
    }
  }
  return { names: reached, statements };
}

/**
 * Whether a change to a file left its classes and interfaces as they were and added or removed none: the change only
 * added exported statements (changedNames is a set and every name in it is new, so the earlier file is this one without
 * them), and no statement holding a class or interface — declared anywhere in it — mentions a name the change reaches
 * through the file's statements (reachedNames: an added statement mentions the name it declares, a class extending an
 * added `Base` mentions it). The earlier file's classes are then these very statements, with the same heritage clauses
 * resolving to the same declarations, so a call that dispatches into the file's classes (class-hierarchy dispatch)
 * reaches the same bodies; what those bodies now do is their records' to say (affected-files.ts). False in a JavaScript
 * file (its binder declares members by assignment anywhere) and for hashes not in their form.
 */
export function typesKept(earlier: DeclarationHashes | undefined, sf: ts.SourceFile): boolean {
  if (isJavaScript(sf) || typeof earlier !== "object" || earlier === null || typeof earlier.names !== "object" || earlier.names === null) return false;
  const changed = changedNames(earlier, sf);
  if (changed === undefined || [...changed].some((name) => Object.hasOwn(earlier.names, name))) return false;
  const reached = reachedNames(sf, changed);
  return reached.statements.every(({ statement, mentions }) => !holdsType(statement) || ![...mentions].some((n) => reached.names.has(n)));
}

/** Whether a class (declaration or expression) or an interface is declared anywhere in `node` (iterative). */
function holdsType(node: ts.Node): boolean {
  const stack: ts.Node[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (ts.isClassLike(n) || ts.isInterfaceDeclaration(n)) return true;
    forEachChild(n, (c) => {
      stack.push(c);
    });
  }
  return false;
}

function isJavaScript(sf: ts.SourceFile): boolean {
  return /\.[cm]?jsx?$/i.test(sf.fileName);
}

/**
 * The names a statement declares in the file's scope (exported or not); undefined for a statement that declares none
 * (an expression, an `if`, an export list), whose effect is on the names it mentions.
 */
function declaredNames(statement: ts.Statement): string[] | undefined {
  if (ts.isVariableStatement(statement)) {
    const out: string[] = [];
    for (const d of statement.declarationList.declarations) bindingNames(d.name, out);
    return out;
  }
  if (ts.isImportDeclaration(statement) || ts.isImportEqualsDeclaration(statement)) return [];
  const name = (statement as { name?: ts.Node }).name;
  if (name !== undefined && ts.isIdentifier(name)) return [name.text];
  // `export default` of an expression, an anonymous class or function: declares `default`, which nothing in the file names
  return ts.isExportAssignment(statement) || exportedNames(statement).length > 0 ? [] : undefined;
}

/**
 * The exported names of `sf` whose declarations differ from `earlier` (the same file before), or undefined when any
 * may have: no earlier hashes, CommonJS exports, or a change outside the exported declarations (a private helper or an
 * import can change what every export is). An export whose statement did not change but names one that did (`export
 * const b = () => a()`, an inferred type) counts as changed too.
 */
export function changedNames(earlier: DeclarationHashes | undefined, sf: ts.SourceFile): ReadonlySet<string> | undefined {
  if (earlier === undefined || COMMON_JS.test(sf.text)) return undefined;
  const now = declarationHashes(sf);
  if (now.rest !== earlier.rest) return undefined;
  const changed = new Set<string>();
  for (const name of new Set([...Object.keys(now.names), ...Object.keys(earlier.names)])) {
    if (now.names[name] !== earlier.names[name]) changed.add(name);
  }
  if (changed.size === 0) return changed;
  // an unchanged export that mentions a changed one: closure over the file's own exported statements
  const statements = sf.statements.map((s) => ({ names: exportedNames(s), mentions: undefined as Set<string> | undefined, statement: s }));
  let grew = true;
  while (grew) {
    grew = false;
    for (const s of statements) {
      if (s.names.length === 0 || s.names.every((n) => changed.has(n))) continue;
      s.mentions ??= identifiersIn(s.statement);
      if ([...changed].some((n) => s.mentions!.has(n))) {
        for (const n of s.names) changed.add(n);
        grew = true;
      }
    }
  }
  return changed;
}

/**
 * Of a changed file's changed exports, the classes whose change only added methods: exported name → the names of the
 * methods added. A class qualifies when its statement (a class declaration, exported by name) with one method's full
 * text cut out — from the end of the member before it, so its leading comments and line break go with it — hashes to
 * the entry's hash of the earlier statement (`names`): the earlier class is then this one without that method, its
 * heritage, constructor, fields and other members as they were. The method must be an instance method with a body and a
 * plain name that no other member of the class has (no overload, no accessor), and none the language or serialisation
 * calls without the name written (CALLED_UNNAMED). Only one added method is recognised per class; any other changed
 * export, a JavaScript file, or hashes not in their form: that name is absent (affected-files.ts treats its importers
 * as before).
 */
/** Methods called where no text names them: construction, serialisation, string and number coercion, `await`. */
const CALLED_UNNAMED = new Set(["constructor", "toJSON", "toString", "valueOf", "then"]);

export function addedMethods(earlier: DeclarationHashes | undefined, sf: ts.SourceFile): ReadonlyMap<string, ReadonlySet<string>> {
  const added = new Map<string, ReadonlySet<string>>();
  if (isJavaScript(sf) || typeof earlier !== "object" || earlier === null || typeof earlier.names !== "object" || earlier.names === null) return added;
  const changed = changedNames(earlier, sf);
  if (changed === undefined || changed.size === 0) return added;
  for (const statement of sf.statements) {
    if (!ts.isClassDeclaration(statement) || statement.name === undefined) continue;
    const name = statement.name.text;
    const was = earlier.names[name];
    if (!changed.has(name) || typeof was !== "string" || exportedNames(statement).join() !== name) continue;
    const start = statement.getStart(sf);
    const text = sf.text.slice(start, statement.end);
    const counts = new Map<string, number>();
    for (const member of statement.members) {
      const n = member.name !== undefined && ts.isIdentifier(member.name) ? member.name.text : undefined;
      if (n !== undefined) counts.set(n, (counts.get(n) ?? 0) + 1);
    }
    for (const member of statement.members) {
      if (!ts.isMethodDeclaration(member) || member.body === undefined || !ts.isIdentifier(member.name)) continue;
      const method = member.name.text;
      if (CALLED_UNNAMED.has(method) || counts.get(method) !== 1) continue;
      if ((ts.getModifiers(member) ?? []).some((m) => m.kind === ts.SyntaxKind.StaticKeyword)) continue;
      if (methodCuts(sf, member, start).some(([from, to]) => createHash("sha256").update(text.slice(0, from) + text.slice(to)).digest("base64") === was)) {
        added.set(name, new Set([method]));
        break;
      }
    }
  }
  return added;
}

/**
 * The spans, relative to `start`, whose removal could leave a class as it was before a method was added: the method's
 * full text from the end of the member before it, and its whole lines (from the start of the line its text, JSDoc
 * included, begins on, through the line break after it).
 */
function methodCuts(sf: ts.SourceFile, member: ts.ClassElement, start: number): [number, number][] {
  const cuts: [number, number][] = [[member.getFullStart() - start, member.end - start]];
  const first = member.getStart(sf, true);
  const lineStart = sf.text.lastIndexOf("\n", first - 1) + 1;
  const after = sf.text.startsWith("\r\n", member.end) ? 2 : sf.text.startsWith("\n", member.end) ? 1 : 0;
  if (lineStart >= member.getFullStart() && /^[ \t]*$/.test(sf.text.slice(lineStart, first)) && after > 0) cuts.push([lineStart - start, member.end + after - start]);
  return cuts;
}

/** Names a statement declares and exports (`export const a`, `export default class`), none for anything else. */
export function exportedNames(statement: ts.Statement): string[] {
  if (!ts.canHaveModifiers(statement)) return [];
  const modifiers = ts.getModifiers(statement) ?? [];
  if (!modifiers.some((m) => m.kind === ts.SyntaxKind.ExportKeyword)) return [];
  if (modifiers.some((m) => m.kind === ts.SyntaxKind.DefaultKeyword)) return ["default"];
  if (ts.isVariableStatement(statement)) {
    const out: string[] = [];
    for (const d of statement.declarationList.declarations) bindingNames(d.name, out);
    return out;
  }
  const name = (statement as { name?: ts.Node }).name;
  return name !== undefined && ts.isIdentifier(name) ? [name.text] : [];
}

function bindingNames(name: ts.BindingName, out: string[]): void {
  if (ts.isIdentifier(name)) out.push(name.text);
  else for (const element of name.elements) if (!ts.isOmittedExpression(element)) bindingNames(element.name, out);
}

/** Every identifier's text in a statement (iterative: nesting depth is the input's). */
function identifiersIn(node: ts.Node): Set<string> {
  const out = new Set<string>();
  const stack: ts.Node[] = [node];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (ts.isIdentifier(n)) out.add(n.text);
    forEachChild(n, (c) => {
      stack.push(c);
    });
  }
  return out;
}
