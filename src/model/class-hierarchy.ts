import { ts } from "ts-morph";
import { Kind, isArrowFunction, isClassLike, isFunctionExpression, isIdentifier, isImportDeclaration, isMethodDeclaration, isNamedImports, isPropertyAccessExpression, isPropertyDeclaration } from "../compiler-direct.js";
import { forEachDeclaredType, isProjectSourceFile, skipOuterExpressions } from "../workspace/symbols.js";
import type { ScannedFile } from "../workspace/scanned-file.js";
import { extendedExpression, propertyNameText, type ProvenanceResolver } from "./provenance.js";

/** A project class or interface: what a receiver can be declared as. */
export type ProjectType = ts.ClassLikeDeclaration | ts.InterfaceDeclaration;

/**
 * Class-hierarchy analysis over the project's own files, for calls through a declared type: a method called on a value
 * declared as a project interface, abstract class or base class (`this.sender.send(email)` with `sender: EmailSender`,
 * `this.emit(…)` inside a base class) may run the method of any project class that implements or extends that type.
 *
 * Syntax first: a statement walk of a file lists every class and interface that names a type in its
 * `extends`/`implements` clauses (forEachDeclaredType: not those declared inside function bodies), by the name it
 * writes there (and by the name imported under an alias); only candidates with the right name are then resolved (the
 * resolver's symbol and alias resolution over the project's files). No dependency's declaration files are needed: a type from a package has no project subtypes to look for.
 * Which names a file lists is known without its walk for a file a cache entry was computed from (`heritageNames`), so a
 * run from the entry walks — and parses — only the files listing a name it looks up (and the changed files).
 */
export interface ClassHierarchy {
  /**
   * The bodies a call of `member` on a value declared as `type` may run, in the type itself and every project subtype
   * (a subtype that inherits the member from a class outside the hierarchy contributes that class's body), ordered by
   * file and position. Methods with a body and properties initialised with a function count.
   */
  implementations(type: ProjectType, member: string): ts.SignatureDeclaration[];
  /**
   * The project classes that extend `cls` directly, in file order; a test double among them is left out when there are
   * others, as {@link implementations} leaves out its bodies.
   */
  subclasses(cls: ts.ClassLikeDeclaration): ts.ClassLikeDeclaration[];
}

/** How many `extends` levels are followed to find an inherited body (a cycle is a type error; this bounds it anyway). */
const MAX_BASES = 16;

interface Candidate {
  readonly declaration: ProjectType;
  readonly heritage: ts.Expression;
}

/**
 * `files`: the loaded files, in program order; `namesOf`: the names a file's classes and interfaces are listed by
 * ({@link heritageNames}, or a cache entry's).
 */
export function createClassHierarchy(files: () => readonly ScannedFile[], resolver: ProvenanceResolver, namesOf: (file: ScannedFile) => readonly string[] = heritageNamesMemo()): ClassHierarchy {
  const byName = new Map<string, Candidate[]>();
  const collected = new Map<ScannedFile, Map<string, Candidate[]>>();
  const direct = new Map<ProjectType, ProjectType[]>();
  const all = new Map<ProjectType, ProjectType[]>();
  const cache = new Map<ProjectType, Map<string, ts.SignatureDeclaration[]>>();
  const bodies = new Map<ProjectType, Map<string, ts.SignatureDeclaration | null>>();

  // name → the files listing it, in file order: made on the first name asked from every file's names (a cache entry's,
  // or the statement walk's), so each name then costs its own files, not a pass over all of them (names × files)
  let listing: Map<string, ScannedFile[]> | undefined;
  function filesListing(name: string): readonly ScannedFile[] {
    if (listing === undefined) {
      listing = new Map();
      for (const file of files()) {
        for (const listed of namesOf(file)) {
          const those = listing.get(listed);
          if (those === undefined) listing.set(listed, [file]);
          else if (those[those.length - 1] !== file) those.push(file);
        }
      }
    }
    return listing.get(name) ?? [];
  }

  /** The classes and interfaces listed by `name`, in file order (a file's walked on its first name asked). */
  function candidates(name: string): Candidate[] {
    let found = byName.get(name);
    if (found !== undefined) return found;
    found = [];
    for (const file of filesListing(name)) {
      let listed = collected.get(file);
      if (listed === undefined) collected.set(file, (listed = collect(file.sourceFile)));
      found.push(...(listed.get(name) ?? []));
    }
    byName.set(name, found);
    return found;
  }

  /** The project types that name `type` in their heritage clauses and resolve to it. */
  function directSubtypes(type: ProjectType): ProjectType[] {
    let found = direct.get(type);
    if (found !== undefined) return found;
    const names = new Set<string>();
    if (type.name !== undefined) names.add(type.name.text);
    if (isDefaultExport(type)) names.add("default");
    const subs = new Set<ProjectType>();
    for (const name of names) {
      for (const candidate of candidates(name)) {
        if (subs.has(candidate.declaration)) continue;
        const resolved = resolver.ofExpression(candidate.heritage);
        if (resolved?.kind === "project" && resolved.declaration === type) subs.add(candidate.declaration);
      }
    }
    found = [...subs];
    direct.set(type, found);
    return found;
  }

  /** Every project subtype, transitively (the type itself excluded). */
  function subtypes(type: ProjectType): ProjectType[] {
    let found = all.get(type);
    if (found !== undefined) return found;
    const seen = new Set<ProjectType>([type]);
    const pending = [type];
    found = [];
    while (pending.length > 0) {
      for (const sub of directSubtypes(pending.pop()!)) {
        if (seen.has(sub)) continue;
        seen.add(sub);
        found.push(sub);
        pending.push(sub);
      }
    }
    all.set(type, found);
    return found;
  }

  /** The body of `member` that a class declares itself, or null. */
  function ownBody(type: ProjectType, member: string): ts.SignatureDeclaration | undefined {
    let members = bodies.get(type);
    if (members === undefined) bodies.set(type, (members = new Map()));
    const cached = members.get(member);
    if (cached !== undefined) return cached ?? undefined;
    let body: ts.SignatureDeclaration | undefined;
    if (isClassLike(type)) {
      for (const m of type.members) {
        if (m.name === undefined || propertyNameText(m.name) !== member) continue;
        if (isMethodDeclaration(m) && m.body !== undefined) body = m;
        else if (isPropertyDeclaration(m) && m.initializer !== undefined) {
          const init = skipOuterExpressions(m.initializer);
          if (isArrowFunction(init) || isFunctionExpression(init)) body = init;
        }
        if (body !== undefined) break;
      }
    }
    members.set(member, body ?? null);
    return body;
  }

  function implementations(type: ProjectType, member: string): ts.SignatureDeclaration[] {
    let perMember = cache.get(type);
    if (perMember === undefined) cache.set(type, (perMember = new Map()));
    let found = perMember.get(member);
    if (found === undefined) perMember.set(member, (found = computeImplementations(type, member)));
    return found;
  }

  function computeImplementations(type: ProjectType, member: string): ts.SignatureDeclaration[] {
    const subs = subtypes(type);
    const inHierarchy = new Set<ProjectType>([type, ...subs]);
    const found = new Set<ts.SignatureDeclaration>();
    for (const t of [type, ...subs]) {
      const own = ownBody(t, member);
      if (own !== undefined) {
        found.add(own);
        continue;
      }
      // `class SmtpSender extends Transport implements EmailSender`: the body comes from a class outside the hierarchy
      if (t !== type && isClassLike(t)) {
        const inherited = inheritedBody(t, member, inHierarchy);
        if (inherited !== undefined) found.add(inherited);
      }
    }
    // a test double (`FakeFeatureToggleStore` in `fakes/`) is not what runs in production: when the hierarchy has
    // another body for the member, the double's is left out — its in-memory list would join every caller's data
    const bodies = [...found];
    const real = bodies.filter((body) => !isTestDouble(body));
    return (real.length > 0 ? real : bodies).sort(byPosition);
  }

  function inheritedBody(cls: ts.ClassLikeDeclaration, member: string, stop: ReadonlySet<ProjectType>): ts.SignatureDeclaration | undefined {
    let current: ts.ClassLikeDeclaration = cls;
    for (let level = 0; level < MAX_BASES; level++) {
      const heritage = extendedExpression(current);
      const base = heritage !== undefined ? resolver.ofExpression(heritage) : undefined;
      if (base?.kind !== "project" || !isClassLike(base.declaration) || stop.has(base.declaration)) return undefined;
      current = base.declaration;
      const own = ownBody(current, member);
      if (own !== undefined) return own;
    }
    return undefined;
  }

  function extendsClass(sub: ts.ClassLikeDeclaration, cls: ts.ClassLikeDeclaration): boolean {
    const heritage = extendedExpression(sub);
    const base = heritage !== undefined ? resolver.ofExpression(heritage) : undefined;
    return base?.kind === "project" && base.declaration === cls;
  }

  function subclasses(cls: ts.ClassLikeDeclaration): ts.ClassLikeDeclaration[] {
    // those that `extends` it (a class that `implements` it inherits none of its bodies)
    const found = directSubtypes(cls)
      .filter((sub): sub is ts.ClassLikeDeclaration => isClassLike(sub) && extendsClass(sub, cls))
      .sort(byPosition);
    const real = found.filter((sub) => !isTestDoubleClass(sub));
    return real.length > 0 ? real : found;
  }

  return { implementations, subclasses };
}

/**
 * The names a file's classes and interfaces are listed by in the hierarchy (those their heritage clauses write, and the
 * names those are imported under); none for a file that is not the project's own code.
 */
export function heritageNames(file: ts.SourceFile): string[] {
  return [...collect(file).keys()];
}

/**
 * The names memoised per loaded file: taken from `known` (a cache entry's, for a file whose text it was computed from)
 * when it has them — the file's tree is then not read —, else found by walking the file's statements.
 */
export function heritageNamesMemo(known: (file: ScannedFile) => readonly string[] | undefined = () => undefined): (file: ScannedFile) => readonly string[] {
  const names = new Map<ScannedFile, readonly string[]>();
  return (file) => {
    let found = names.get(file);
    if (found === undefined) names.set(file, (found = known(file) ?? heritageNames(file.sourceFile)));
    return found;
  };
}

/** Lists the classes and interfaces of a file with heritage clauses, by the names those clauses use. */
function collect(file: ts.SourceFile): Map<string, Candidate[]> {
  const out = new Map<string, Candidate[]>();
  if (!isProjectSourceFile(file)) return out;
  // `import { EmailSender as Sender }`, `import Sender from "./sender"`: the declared name is what a subtype names
  const imported = new Map<string, string>();
  for (const statement of file.statements) {
    const clause = isImportDeclaration(statement) ? statement.importClause : undefined;
    if (clause === undefined) continue;
    if (clause.name !== undefined) imported.set(clause.name.text, "default");
    const bindings = clause.namedBindings;
    if (bindings !== undefined && isNamedImports(bindings)) {
      for (const element of bindings.elements) {
        if (element.propertyName !== undefined) imported.set(element.name.text, element.propertyName.text);
      }
    }
  }
  const add = (declaration: ProjectType) => {
    for (const clause of declaration.heritageClauses ?? []) {
      for (const type of clause.types) {
        const expression = skipOuterExpressions(type.expression);
        const name = isIdentifier(expression) ? expression.text : isPropertyAccessExpression(expression) ? expression.name.text : undefined;
        if (name === undefined) continue;
        for (const key of new Set([name, imported.get(name) ?? name])) {
          const list = out.get(key);
          if (list) list.push({ declaration, heritage: expression });
          else out.set(key, [{ declaration, heritage: expression }]);
        }
      }
    }
  };
  forEachDeclaredType(file, (declaration) => {
    if (declaration.heritageClauses !== undefined) add(declaration);
  });
  return out;
}

function isDefaultExport(declaration: ProjectType): boolean {
  if (!ts.canHaveModifiers(declaration)) return false;
  return ts.getModifiers(declaration)?.some((m) => m.kind === Kind.DefaultKeyword) ?? false;
}

function byPosition(a: ts.Node, b: ts.Node): number {
  const fa = a.getSourceFile().fileName;
  const fb = b.getSourceFile().fileName;
  return fa < fb ? -1 : fa > fb ? 1 : a.pos - b.pos;
}

/** Path segments of the folders test doubles live in, next to the code they stand in for. */
const DOUBLE_FOLDERS = new Set(["fakes", "__fakes__", "mocks", "__mocks__", "stubs", "__stubs__"]);

/** A class's name that says it stands in for the real one: `FakeUserStore`, `MockMailer`, `StubClock`. */
const DOUBLE_NAME = /^(?:Fake|Mock|Stub|Dummy)[A-Z0-9]/;

/** Whether a body belongs to a test double: a class named as one, or a file in a folder of them. */
function isTestDouble(body: ts.SignatureDeclaration): boolean {
  for (let node: ts.Node | undefined = body.parent; node !== undefined; node = node.parent) {
    if (isClassLike(node)) return isTestDoubleClass(node);
  }
  return inDoubleFolder(body);
}

/** Whether a class is a test double: named as one, or in a folder of them. */
function isTestDoubleClass(cls: ts.ClassLikeDeclaration): boolean {
  return (cls.name !== undefined && DOUBLE_NAME.test(cls.name.text)) || inDoubleFolder(cls);
}

function inDoubleFolder(node: ts.Node): boolean {
  return node.getSourceFile().fileName.split("/").some((segment) => DOUBLE_FOLDERS.has(segment));
}
