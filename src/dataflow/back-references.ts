import { ts } from "ts-morph";
import {
  Kind,
  isArrowFunction,
  isBinaryExpression,
  isBlock,
  isCallExpression,
  isClassDeclaration,
  isClassExpression,
  isClassLike,
  isConstructorDeclaration,
  isElementAccessExpression,
  isExpressionStatement,
  isFunctionDeclaration,
  isFunctionExpression,
  isIdentifier,
  isNewExpression,
  isObjectLiteralExpression,
  isMethodDeclaration,
  isGetAccessorDeclaration,
  isSetAccessorDeclaration,
  isPropertyAccessExpression,
  isPropertyAssignment,
  isPropertyDeclaration,
  isReturnStatement,
  isSpreadAssignment,
  isStringLiteralLike,
  isVariableDeclaration,
  isVariableStatement,
  isImportDeclaration,
  isNamedImports,
} from "../compiler-direct.js";
import { skipOuterExpressions } from "../workspace/symbols.js";

/**
 * Back-references placed at their owner: `owner.g.k.f` is `owner` again. An object that builds its parts with
 * `this.g = { k: new M(this), … }` and an M that keeps its constructor's argument (`this.f = context`) make every path
 * through `g.k.f` lead back to where it started (growthbook's request context and its models: `context.models.x.context`
 * is `context`). The engine follows such a path as the shorter one: a callee's write at `this.context.foreignRefs`,
 * applied at the caller's `context.models.x`, lands at `context.foreignRefs`, and a symbolic read of
 * `p0.models.x.context.y` is `p0.y` — instead of paths one step deeper per model, cut at the field depth.
 *
 * When it holds (docs/engine.md, "Back-references"), read from the syntax of the whole workspace once per scan:
 * - every assignment to a member named `g` in the workspace is `this.g = { … }` (or a field initialiser `g = { … }`) in
 *   one class, with no spread in the literal, and none assigns `….g.k` or `….g[key]`;
 * - in each of those literals, `k` is `new M(…, this, …)`, and M's constructor (its own, or the nearest base class's
 *   that has one, through `extends` of a class or of a function's returned class) stores that parameter, unchanged, in
 *   `this.f` as a statement of its body (or as a parameter property);
 * - no other assignment writes a member named `f`: anywhere, or — when `f` is `private`, `protected`, `#f` — in the
 *   class declaring that constructor and the classes below it.
 * Names are resolved from syntax ({@link Names}); what this does not see (casts to `any`, `Object.assign`, a shallow
 * copy of the owner) is in docs/engine.md.
 */
export interface BackReferences {
  /** g → k → f */
  readonly triples: ReadonlyMap<string, ReadonlyMap<string, string>>;
}

let current: ReadonlyMap<string, ReadonlyMap<string, string>> = new Map();

/** Sets the scan's back-references; returns the previous ones. */
export function setBackReferences(refs: BackReferences): BackReferences {
  const old = current;
  current = refs.triples;
  return { triples: old };
}

/**
 * The triples as names, for an analysis cached with them (reuse.ts): records analysed under other back-references are not
 * taken over, since a write or read through `g.k.f` was placed differently.
 */
export function backReferenceNames(refs: BackReferences): Set<string> {
  const out = new Set<string>();
  for (const [g, byKey] of refs.triples) for (const [k, f] of byKey) out.add(JSON.stringify([g, k, f]));
  return out;
}

/** The back-references named by {@link backReferenceNames}: an analysis of the same files found them. */
export function backReferencesNamed(names: ReadonlySet<string>): BackReferences {
  const triples = new Map<string, Map<string, string>>();
  for (const name of names) {
    const [g, k, f] = JSON.parse(name) as [string, string, string];
    let byKey = triples.get(g);
    if (!byKey) triples.set(g, (byKey = new Map()));
    byKey.set(k, f);
  }
  return { triples };
}

/** Whether `….g.k` read at `f` is the object the path started at again. */
export function closesBack(g: string, k: string, f: string): boolean {
  return current.size > 0 && current.get(g)?.get(k) === f;
}

/** The path with every `g.k.f` that leads back removed; the same array when there is none. */
export function placedAtOwner(path: readonly string[]): readonly string[] {
  if (current.size === 0 || path.length < 3) return path;
  let p = path;
  for (let i = 0; i + 2 < p.length; ) {
    if (closesBack(p[i]!, p[i + 1]!, p[i + 2]!)) p = [...p.slice(0, i), ...p.slice(i + 3)];
    else i++;
  }
  return p;
}

interface Assignment {
  readonly node: ts.Node;
  /** The class whose `this` the assignment's target is, when it is `this.name`. */
  readonly thisClass?: ts.ClassLikeDeclaration;
  /** The class the assignment is written in (any `this`), for the visibility of `private`/`protected` members. */
  readonly inClass?: ts.ClassLikeDeclaration;
  readonly value?: ts.Expression;
  /** The target's object is itself a member of this name (`x.g.k = …` has `g`). */
  readonly parentName?: string;
}

/**
 * What {@link findBackReferences} reads of one file, without its nodes: a cached analysis keeps each file's facts in its
 * entry (src/cache/back-reference-facts-codec.ts), so a later run walks only the changed files, and parses only the files
 * an owner's triples involve — none when no file has an owner (most projects).
 */
export interface BackReferenceFacts {
  /**
   * The member names the file assigns (`x.g = …`, `x["g"] = …`, a field initialiser; `[]`: `x[key] = …`), each with
   * the member names of the objects assigned through (`x.g.k = …`: `k` with `g`).
   */
  readonly assigned: ReadonlyMap<string, readonly string[]>;
  /**
   * The names of the members the file's owner literals set (`this.g = { … }`, a field `g = { … }`) where the literal
   * has a part built with the owner (`k: new M(…, this, …)`): an owner without one keeps no back-reference, and every
   * other write of its name stays among the assignments, so leaving it out changes nothing found.
   */
  readonly owners: readonly string[];
  /** The names the file declares at its top level (classes, functions, variables), as {@link Names} reads them. */
  readonly declared: readonly string[];
}

/** A loaded file as the back-references read it: its tree, parsed when first read (a ScannedFile). */
export interface BackReferenceFile {
  readonly sourceFile: ts.SourceFile;
}

/** The file's facts: one walk of its nodes. */
export function backReferenceFacts(sf: ts.SourceFile): BackReferenceFacts {
  const { byName, owners } = assignmentsIn(sf);
  const assigned = new Map<string, string[]>();
  for (const [name, list] of byName) {
    const parents = new Set<string>();
    for (const a of list) if (a.parentName !== undefined) parents.add(a.parentName);
    assigned.set(name, [...parents]);
  }
  const ownerNames = new Set<string>();
  for (const o of owners) {
    const g = nameOfAssignment(o);
    if (g !== undefined && buildsWithOwner(o)) ownerNames.add(g);
  }
  return { assigned, owners: [...ownerNames], declared: [...declaredAtTopLevel(sf).keys()] };
}

/**
 * The facts memoised per loaded file: taken from `known` (a cache entry's, for a file whose text it was computed from)
 * when it has them — the file's tree is then not read —, else worked out by walking the file.
 */
export function backReferenceFactsMemo<F extends BackReferenceFile>(known: (file: F) => BackReferenceFacts | undefined = () => undefined): (file: F) => BackReferenceFacts {
  const facts = new Map<F, BackReferenceFacts>();
  return (file) => {
    let f = facts.get(file);
    if (f === undefined) facts.set(file, (f = known(file) ?? backReferenceFacts(file.sourceFile)));
    return f;
  };
}

/**
 * The workspace's back-references, from its syntax alone: a cached review, whose checker sees only the files it redoes,
 * must find the same ones as the full scan. The files' facts say which files to read: those with an owner, those
 * assigning a member an owner's part involves, those declaring a class a part is built with; no other tree is read.
 */
export function findBackReferences<F extends BackReferenceFile>(files: readonly F[], factsOf: (file: F) => BackReferenceFacts): BackReferences {
  const facts = files.map(factsOf);
  const triples = new Map<string, Map<string, string>>();
  if (facts.every((f) => f.owners.length === 0)) return { triples };
  // each file walked once, when an assignment in it is first asked for; the lists in file order, as one walk of all makes them
  const walked = new Map<number, FileAssignments>();
  const walkedAt = (i: number): FileAssignments => {
    let w = walked.get(i);
    if (w === undefined) walked.set(i, (w = assignmentsIn(files[i]!.sourceFile)));
    return w;
  };
  const byName = new Map<string, Assignment[]>();
  const assigns: Assignments = {
    of(name) {
      let list = byName.get(name);
      if (list === undefined) {
        list = [];
        for (let i = 0; i < files.length; i++) if (facts[i]!.assigned.has(name)) list.push(...(walkedAt(i).byName.get(name) ?? []));
        byName.set(name, list);
      }
      return list;
    },
    any: (name) => facts.some((f) => f.assigned.has(name)),
  };
  const owners: Assignment[] = [];
  for (let i = 0; i < files.length; i++) if (facts[i]!.owners.length > 0) owners.push(...walkedAt(i).owners.filter(buildsWithOwner));
  const c = new Names(files, facts);
  const byOwnerName = new Map<string, Assignment[]>();
  for (const o of owners) {
    const g = nameOfAssignment(o);
    if (g === undefined) continue;
    let list = byOwnerName.get(g);
    if (!list) byOwnerName.set(g, (list = []));
    list.push(o);
  }
  for (const [g, sites] of byOwnerName) {
    // every write of a member named g is one of these literals, in one class: no file without such a literal writes g
    if (facts.some((f) => f.assigned.has(g) && !f.owners.includes(g))) continue;
    const all = assigns.of(g);
    const cls = sites[0]!.thisClass;
    if (all.length !== sites.length || sites.some((s) => s.thisClass !== cls)) continue;
    // a spread may put anything at any key
    if (sites.some((s) => (s.value as ts.ObjectLiteralExpression).properties.some(isSpreadAssignment))) continue;
    // per key: the member its model keeps the owner in, the same at every site, and the sites that build it
    const keys = new Map<string, { f: string | null; sites: number }>();
    for (const s of sites) {
      for (const p of (s.value as ts.ObjectLiteralExpression).properties) {
        if (!isPropertyAssignment(p) || !(isIdentifier(p.name) || isStringLiteralLike(p.name))) continue;
        const f = keptArgument(skipOuterExpressions(p.initializer), c, assigns);
        const before = keys.get(p.name.text);
        const same = f !== undefined && (before === undefined || before.f === f);
        keys.set(p.name.text, { f: same ? f : null, sites: (before?.sites ?? 0) + 1 });
      }
    }
    for (const [k, { f, sites: built }] of keys) {
      // a key some literal leaves out (or sets twice) is not one part each site builds
      if (f === null || built !== sites.length) continue;
      // nothing writes `….g.k` itself (`x.g.k = …`, `x.g[key] = …`)
      if (facts.some((fs) => fs.assigned.get(k)?.includes(g) === true || fs.assigned.get("[]")?.includes(g) === true)) continue;
      let byKey = triples.get(g);
      if (!byKey) triples.set(g, (byKey = new Map()));
      byKey.set(k, f);
    }
  }
  return { triples };
}

/** A file's assignments to members, by the member's name, and its owners' literals (every one, with a part or not). */
interface FileAssignments {
  readonly byName: Map<string, Assignment[]>;
  readonly owners: Assignment[];
}

/** The workspace's assignments of a member name, walking the files that have some; `any`: whether a file has some. */
interface Assignments {
  of(name: string): readonly Assignment[];
  any(name: string): boolean;
}

function assignmentsIn(sf: ts.SourceFile): FileAssignments {
  const byName = new Map<string, Assignment[]>();
  const owners: Assignment[] = [];
  const add = (name: string, a: Assignment) => {
    let list = byName.get(name);
    if (!list) byName.set(name, (list = []));
    list.push(a);
  };
  walk(sf, (node) => {
    if (isBinaryExpression(node) && isAssignmentOperator(node.operatorToken.kind)) {
      const target = skipOuterExpressions(node.left);
      // `x[k] = …` with a key not written out: any member (`[]`)
      const name = memberName(target) ?? (isElementAccessExpression(target) ? "[]" : undefined);
      if (name !== undefined) {
        const object = skipOuterExpressions((target as ts.PropertyAccessExpression | ts.ElementAccessExpression).expression);
        const thisClass = object.kind === Kind.ThisKeyword ? classOfThis(node) : undefined;
        const a: Assignment = {
          node,
          thisClass,
          inClass: enclosingClass(node),
          value: node.operatorToken.kind === Kind.EqualsToken ? skipOuterExpressions(node.right) : undefined,
          parentName: memberName(object),
        };
        add(name, a);
        if (thisClass && a.value && isObjectLiteralExpression(a.value)) owners.push(a);
      }
    } else if (isPropertyDeclaration(node) && node.initializer && (isIdentifier(node.name) || isStringLiteralLike(node.name))) {
      const a: Assignment = { node, thisClass: node.parent as ts.ClassLikeDeclaration, inClass: node.parent as ts.ClassLikeDeclaration, value: skipOuterExpressions(node.initializer) };
      add(node.name.text, a);
      if (isObjectLiteralExpression(a.value!)) owners.push(a);
    }
  });
  return { byName, owners };
}

/** Whether an owner's literal has a part built with the owner (`k: new M(…, this, …)`): else no key of it can close back. */
function buildsWithOwner(owner: Assignment): boolean {
  return (owner.value as ts.ObjectLiteralExpression).properties.some((p) => {
    if (!isPropertyAssignment(p) || !(isIdentifier(p.name) || isStringLiteralLike(p.name))) return false;
    const e = skipOuterExpressions(p.initializer);
    return isNewExpression(e) && e.arguments !== undefined && e.arguments.some((a) => skipOuterExpressions(a).kind === Kind.ThisKeyword);
  });
}

/**
 * `new M(…, this, …)` where M's constructor keeps that argument in a member no other code writes: the member's name.
 */
function keptArgument(e: ts.Expression, names: Names, assigns: Assignments): string | undefined {
  if (!isNewExpression(e) || !e.arguments) return undefined;
  const at = e.arguments.findIndex((a) => skipOuterExpressions(a).kind === Kind.ThisKeyword);
  if (at < 0 || e.arguments.findIndex((a, i) => i > at && skipOuterExpressions(a).kind === Kind.ThisKeyword) >= 0) return undefined;
  if (e.arguments.some((a, i) => i <= at && a.kind === Kind.SpreadElement)) return undefined;
  let cls = classAt(e.expression, names);
  let ctor: ts.ConstructorDeclaration | undefined;
  for (let level = 0; cls && level < 16 && !ctor; level++) {
    ctor = cls.members.find((m): m is ts.ConstructorDeclaration => isConstructorDeclaration(m) && !!m.body);
    if (!ctor) cls = baseClass(cls, names);
  }
  if (!ctor || !cls) return undefined;
  const param = ctor.parameters[at];
  if (!param || param.dotDotDotToken || !isIdentifier(param.name)) return undefined;
  const pname = param.name.text;
  let field: string | undefined;
  let kept: ts.Node | undefined;
  if (ts.getModifiers(param)?.some((m) => isAccessModifier(m.kind) || m.kind === Kind.ReadonlyKeyword)) {
    field = pname;
    kept = param;
  } else {
    for (const st of ctor.body!.statements) {
      if (!isExpressionStatement(st) || !isBinaryExpression(st.expression) || st.expression.operatorToken.kind !== Kind.EqualsToken) continue;
      const left = skipOuterExpressions(st.expression.left);
      const right = skipOuterExpressions(st.expression.right);
      if (!isPropertyAccessExpression(left) || skipOuterExpressions(left.expression).kind !== Kind.ThisKeyword) continue;
      if (!isIdentifier(right) || right.text !== pname) continue;
      if (field !== undefined) return undefined;
      field = left.name.text;
      kept = st.expression;
    }
  }
  if (field === undefined) return undefined;
  // the parameter is the argument still: never assigned in the constructor
  if (assigns.any(pname) && hasAssignmentTo(ctor.body!, pname)) return undefined;
  // no other write of the member: anywhere, or in the declaring class and those below it when only they can write it
  const declaring = cls;
  const restricted = isRestricted(declaring, field);
  for (const a of assigns.of(field)) {
    if (a.node === kept) continue;
    if (!restricted) return undefined;
    if (a.inClass && isBelow(a.inClass, declaring, names)) return undefined;
  }
  return field;
}

/** Whether only the class and those below it can write the member: `#f`, or declared `private` or `protected`. */
function isRestricted(cls: ts.ClassLikeDeclaration, field: string): boolean {
  if (field.startsWith("#")) return true;
  const member = cls.members.find((m): m is ts.PropertyDeclaration => isPropertyDeclaration(m) && isIdentifier(m.name) && m.name.text === field);
  const param = cls.members
    .filter(isConstructorDeclaration)
    .flatMap((c) => [...c.parameters])
    .find((p) => isIdentifier(p.name) && p.name.text === field && ts.getModifiers(p)?.some((m) => isAccessModifier(m.kind) || m.kind === Kind.ReadonlyKeyword));
  const decl = member ?? param;
  return decl !== undefined && ts.getModifiers(decl)?.some((m) => m.kind === Kind.PrivateKeyword || m.kind === Kind.ProtectedKeyword) === true;
}

/** Whether the body assigns a variable of this name (the parameter or one shadowing it: either way not known unchanged). */
function hasAssignmentTo(body: ts.Node, name: string): boolean {
  let found = false;
  walk(body, (n) => {
    if (isBinaryExpression(n) && isAssignmentOperator(n.operatorToken.kind)) {
      const t = skipOuterExpressions(n.left);
      if (isIdentifier(t) && t.text === name) found = true;
    }
  });
  return found;
}

/** Every node below `root`, without recursion: chains thousands deep parse fine and must not overflow the stack. */
function walk(root: ts.Node, visit: (node: ts.Node) => void): void {
  const stack: ts.Node[] = [root];
  const push = (c: ts.Node) => {
    stack.push(c);
  };
  for (let node = stack.pop(); node; node = stack.pop()) {
    visit(node);
    ts.forEachChild(node, push);
  }
}

function isBelow(cls: ts.ClassLikeDeclaration, ancestor: ts.ClassLikeDeclaration, names: Names): boolean {
  let c: ts.ClassLikeDeclaration | undefined = cls;
  for (let level = 0; c && level < 16; level++, c = baseClass(c, names)) if (c === ancestor) return true;
  return false;
}

/** The class an expression names: a class, or a variable holding what a function returns when that is a class. */
function classAt(e: ts.Expression, names: Names): ts.ClassLikeDeclaration | undefined {
  const d = isIdentifier(e) ? names.resolve(e) : undefined;
  if (!d) return undefined;
  if (isClassDeclaration(d)) return d;
  if (isVariableDeclaration(d) && d.initializer) {
    const init = skipOuterExpressions(d.initializer);
    if (isClassExpression(init)) return init;
    if (isCallExpression(init)) return returnedClass(init.expression, names);
  }
  return undefined;
}

/** A class factory (`function MakeModelClass(config) { abstract class Model extends Base {…} return Model; }`): its class. */
function returnedClass(callee: ts.Expression, names: Names): ts.ClassLikeDeclaration | undefined {
  let d: ts.Node | undefined = isIdentifier(callee) ? names.resolve(callee) : undefined;
  if (d && isVariableDeclaration(d) && d.initializer) d = skipOuterExpressions(d.initializer);
  if (!d || !(isFunctionDeclaration(d) || isFunctionExpression(d) || isArrowFunction(d)) || !d.body) return undefined;
  if (!isBlock(d.body)) {
    const body = skipOuterExpressions(d.body);
    return isClassExpression(body) ? body : undefined;
  }
  let out: ts.ClassLikeDeclaration | undefined;
  for (const st of d.body.statements) {
    if (!isReturnStatement(st) || !st.expression) continue;
    const r = skipOuterExpressions(st.expression);
    const cls = isClassExpression(r) ? r : isIdentifier(r) ? d.body.statements.find((x): x is ts.ClassDeclaration => isClassDeclaration(x) && x.name?.text === r.text) : undefined;
    if (!cls || (out && out !== cls)) return undefined;
    out = cls;
  }
  return out;
}

/**
 * Names resolved from syntax: a file's own top-level declaration, or one it imports by name (`import { X }`,
 * `import { Y as X }`) when exactly one file of the workspace declares that name at its top level. Anything else (a
 * default or namespace import, a name two files declare, a local variable) is not resolved, and no back-reference rests
 * on it.
 */
class Names {
  /** Each read file's own top-level declarations, by its tree. */
  private readonly declared = new Map<ts.SourceFile, Map<string, ts.Node>>();
  /** A name → the one file declaring it at its top level (its index), or null when two do. */
  private readonly unique = new Map<string, number | null>();

  constructor(
    private readonly files: readonly BackReferenceFile[],
    facts: readonly BackReferenceFacts[],
  ) {
    facts.forEach((f, i) => {
      for (const name of f.declared) this.unique.set(name, this.unique.has(name) ? null : i);
    });
  }

  resolve(id: ts.Identifier): ts.Node | undefined {
    const sf = id.getSourceFile();
    const own = this.ownOf(sf).get(id.text);
    if (own) return own;
    for (const st of sf.statements) {
      const bindings = isImportDeclaration(st) ? st.importClause?.namedBindings : undefined;
      if (!bindings || !isNamedImports(bindings)) continue;
      const el = bindings.elements.find((e) => e.name.text === id.text);
      if (!el) continue;
      const name = (el.propertyName ?? el.name).text;
      const at = this.unique.get(name);
      // the declaring file is read only now
      return at === undefined || at === null ? undefined : this.ownOf(this.files[at]!.sourceFile).get(name);
    }
    return undefined;
  }

  private ownOf(sf: ts.SourceFile): Map<string, ts.Node> {
    let own = this.declared.get(sf);
    if (own === undefined) this.declared.set(sf, (own = declaredAtTopLevel(sf)));
    return own;
  }
}

/** The file's top-level classes, functions and variables by name (a name declared twice: its last declaration). */
function declaredAtTopLevel(sf: ts.SourceFile): Map<string, ts.Node> {
  const own = new Map<string, ts.Node>();
  for (const st of sf.statements) {
    if ((isClassDeclaration(st) || isFunctionDeclaration(st)) && st.name) own.set(st.name.text, st);
    else if (isVariableStatement(st)) for (const d of st.declarationList.declarations) if (isIdentifier(d.name)) own.set(d.name.text, d);
  }
  return own;
}

function baseClass(cls: ts.ClassLikeDeclaration, names: Names): ts.ClassLikeDeclaration | undefined {
  const ext = cls.heritageClauses?.find((h) => h.token === Kind.ExtendsKeyword)?.types[0]?.expression;
  return ext ? classAt(ext, names) : undefined;
}

function memberName(e: ts.Expression): string | undefined {
  if (isPropertyAccessExpression(e)) return e.name.text;
  if (isElementAccessExpression(e) && isStringLiteralLike(e.argumentExpression)) return e.argumentExpression.text;
  return undefined;
}

function nameOfAssignment(a: Assignment): string | undefined {
  if (isPropertyDeclaration(a.node)) return (a.node.name as ts.Identifier).text;
  return memberName(skipOuterExpressions((a.node as ts.BinaryExpression).left));
}

/** The class whose instance `this` is at a node: through arrow functions, not through `function`s. */
function classOfThis(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) {
    if (isFunctionDeclaration(n) || isFunctionExpression(n)) return undefined;
    // a method of an object literal: `this` is the literal
    if ((isMethodDeclaration(n) || isGetAccessorDeclaration(n) || isSetAccessorDeclaration(n)) && !isClassLike(n.parent)) return undefined;
    if (isClassLike(n)) return n;
  }
  return undefined;
}

function enclosingClass(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let n = node.parent; n; n = n.parent) if (isClassLike(n)) return n;
  return undefined;
}

function isAccessModifier(k: ts.SyntaxKind): boolean {
  return k === Kind.PublicKeyword || k === Kind.PrivateKeyword || k === Kind.ProtectedKeyword;
}

function isAssignmentOperator(k: ts.SyntaxKind): boolean {
  return k >= Kind.FirstAssignment && k <= Kind.LastAssignment;
}
