import { ts } from "ts-morph";
import { Kind, forEachChild, isArrayBindingPattern, isArrayLiteralExpression, isArrowFunction, isAsExpression, isAwaitExpression, isBinaryExpression, isBindingElement, isBlock, isCallExpression, isClassExpression, isClassLike, isComputedPropertyName, isConditionalExpression, isConstructorDeclaration, isElementAccessExpression, isExportAssignment, isExportSpecifier, isExpressionStatement, isExternalModule, isExternalModuleReference, isFunctionDeclaration, isFunctionExpression, isFunctionLike, isFunctionTypeNode, isGetAccessorDeclaration, isIdentifier, isImportClause, isImportEqualsDeclaration, isImportSpecifier, isImportTypeNode, isInterfaceDeclaration, isIntersectionTypeNode, isLiteralTypeNode, isMethodDeclaration, isMethodSignature, isModuleDeclaration, isNamespaceExport, isNamespaceImport, isNewExpression, isNumericLiteral, isObjectBindingPattern, isObjectLiteralExpression, isOmittedExpression, isParameter, isParenthesizedExpression, isParenthesizedTypeNode, isPrivateIdentifier, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isPropertySignature, isReturnStatement, isShorthandPropertyAssignment, isSpreadElement, isSourceFile, isStringLiteral, isStringLiteralLike, isTypeAliasDeclaration, isTypeAssertionExpression, isTypeLiteralNode, isTypeQueryNode, isTypeReferenceNode, isUnionTypeNode, isVariableDeclaration, isVariableDeclarationList } from "../compiler-direct.js";
import type { InstanceConfiguration } from "../vocabulary/question.js";
import { declaredFunctionType } from "../workspace/declared-function-type.js";
import { isOwnDeclaration, isOwnDeclarationModule, projectTypeAlias } from "./own-declarations.js";
import { declaresThis, isProjectSourceFile, skipOuterExpressions, symbolThroughImports } from "../workspace/symbols.js";
import { appendCall, appendMember, normalizeMembers, normalizeModule } from "./call-path.js";
import type { LibraryIndex } from "./library-index.js";
import { mayReshape, reshapedType } from "./type-utilities.js";

/**
 * Where a value comes from, the way the import graph sees it.
 *
 * - `external`: rooted in a package, a builtin or a global (`axios#create().post`, `global#fetch`), with the base URLs
 *   its instance was configured with (`axios.create({ baseURL })`) carried along.
 * - `project`: a declaration in the scanned code (a function, a method, a class, an object literal), which the
 *   engine analyses itself.
 *
 * Resolution is syntax first (imports, `require`, aliases, destructuring, instance factories, return values of
 * project factories), with the checker's symbol and alias resolution over the project's own files for what syntax
 * cannot settle (`this.http` → the constructor parameter that declares it, re-exports, barrels, tsconfig `paths`).
 * Nothing here needs the scanned project's node_modules; when declaration files are loaded, a symbol that lands in
 * one is mapped back to `package#Class.member` as a second opinion.
 */
export type Provenance = ExternalValue | ProjectValue;

export interface ExternalValue {
  kind: "external";
  /** Canonical key, `module#members` (see call-path.ts). */
  key: string;
  /** Base URL expressions of the configured instance this value belongs to. */
  bases: readonly ts.Expression[];
  /**
   * The configuration the instance this value belongs to was built with (`new SQSClient({ region })`), for sinks whose
   * host the configuration decides (`destination.hostTemplate`). Absent when no construction was seen.
   */
  configuration?: InstanceConfiguration;
}

export interface ProjectValue {
  kind: "project";
  declaration: ts.Node;
  /**
   * The value is an instance of exactly this class (`new SmtpSender()`), not of any subclass: calls on it do not
   * dispatch through the class hierarchy (class-hierarchy.ts).
   */
  exact?: boolean;
}

/** Provenance lookups for one scan; caches per node and per symbol (no module-level state). */
export interface ProvenanceResolver {
  ofExpression(expression: ts.Expression): Provenance | undefined;
  /** A declared parameter, binding element or variable, as the value it holds. */
  ofDeclaration(declaration: ts.Node): Provenance | undefined;
  /** The value of `object.member` given the object's provenance, resolving `memberNode` by symbol when needed. */
  ofMember(object: Provenance | undefined, member: string, memberNode: ts.Node | undefined): Provenance | undefined;
  /**
   * The second opinion: where the checker says a callee is declared, when dependencies' declaration files are loaded
   * (`node_modules/@nestjs/axios/…/http.service.d.ts` → `@nestjs/axios#HttpService.post`). Undefined without them.
   */
  ofDeclarationFiles(callee: ts.Expression): ExternalValue | undefined;
  checker(): ts.TypeChecker;
}

/** How deep one resolution may chase aliases, initializers and factory returns before giving up. */
const MAX_DEPTH = 48;
/** How many `extends` levels a member is looked up through (a cycle is a type error; this bounds it anyway). */
const MAX_BASES = 16;
/** Global object names whose members are globals (`globalThis.fetch`). */
const GLOBAL_OBJECTS = new Set(["globalThis", "window", "global", "self"]);
/** Type operators whose argument says which value a declared type describes (`ReturnType<typeof createQueue>`). */
const UTILITY_TYPES = new Set(["ReturnType", "InstanceType"]);

/** What the resolver needs from the program: the checker (asked lazily) and module resolution for `require`. */
export interface ProgramAccess {
  checker(): ts.TypeChecker;
  /** The project file a module specifier resolves to from `from`, or undefined (a package, or not found). */
  resolveModule(specifier: string, from: ts.SourceFile): ts.SourceFile | undefined;
  /** Whether any dependency's declaration files are part of the program (only then is the checker a second opinion). */
  hasDependencyTypes(): boolean;
  /** Member names the project declares (project-names.ts): a filter before asking the checker about a member. */
  declaredMemberNames(): ReadonlySet<string>;
  /**
   * The project files whose exports a framework puts into `from` without an import (Nitro's `server/utils/`,
   * workspace/auto-imports.ts), in the order a name is looked up in them; [] for most files.
   */
  autoImported(from: ts.SourceFile): readonly ts.SourceFile[];
}

export function createProvenanceResolver(program: ProgramAccess, index: LibraryIndex): ProvenanceResolver {
  const expressionCache = new Map<ts.Node, Provenance | null>();
  const symbolCache = new Map<ts.Symbol, Provenance | null>();
  const moduleIsProject = new Map<ts.Node, boolean>();
  const assignedCache = new Map<ts.VariableDeclaration, Provenance | null>();
  const patternTypes = new Map<ts.Node, ts.Type>();
  const autoImportCache = new Map<ts.SourceFile, Map<string, Provenance | null>>();
  let depth = 0;

  const checker = (): ts.TypeChecker => program.checker(); // created once (workspace/program.ts), failure included

  function external(key: string, bases: readonly ts.Expression[], configuration?: InstanceConfiguration): ExternalValue {
    // A value that the models call by another name (a declared type, a derived instance) takes that name.
    const renamed = index.alias(key);
    const value: ExternalValue = { kind: "external", key: renamed ?? key, bases };
    if (configuration !== undefined) value.configuration = configuration;
    return value;
  }

  /** A model's call reference as the key a value resolved to would have (normalised, aliases followed). */
  function canonicalKey(reference: string): string {
    const hash = reference.indexOf("#");
    return fromModule(reference.slice(0, hash), reference.slice(hash + 1)).key;
  }

  function fromModule(specifier: string, members: string): ExternalValue {
    return external(`${normalizeModule(specifier)}#${normalizeMembers(members)}`, []);
  }

  function project(declaration: ts.Node): ProjectValue {
    return { kind: "project", declaration };
  }

  function guarded<K>(cache: Map<K, Provenance | null>, key: K, compute: () => Provenance | undefined): Provenance | undefined {
    const cached = cache.get(key);
    if (cached !== undefined) return cached ?? undefined;
    if (cache.has(key) || depth > MAX_DEPTH) return undefined;
    cache.set(key, null); // in progress: a cycle resolves to "unknown"
    depth++;
    try {
      const result = compute();
      cache.set(key, result ?? null);
      return result;
    } finally {
      depth--;
    }
  }

  function ofExpression(expression: ts.Expression): Provenance | undefined {
    const node = skipOuterExpressions(expression);
    const asserted = node === expression ? [] : assertedTypes(expression);
    if (asserted.length === 0) return guarded(expressionCache, node, () => computeExpression(node));
    // `req as unknown as Socket`, `<Socket>req`, `client satisfies Socket`: a type the code asserts says what the value
    // is as an annotation would (`const socket: Socket = …`) — the outermost modelled one, where the value's own
    // provenance says nothing a model knows
    return guarded(expressionCache, expression, () => {
      const value = ofExpression(node);
      if (value !== undefined && informative(value)) return value;
      for (const type of asserted) {
        const declared = ofType(type);
        if (declared?.kind === "external" && informative(declared)) return declared;
      }
      return value;
    });
  }

  function computeExpression(node: ts.Expression): Provenance | undefined {
    if (isIdentifier(node)) return ofIdentifier(node);
    if (isPropertyAccessExpression(node)) {
      if (node.expression.kind === Kind.ThisKeyword) {
        // this.http: the enclosing class declares it (a property or a constructor parameter property), or a base
        // class does — a modelled one included (`class AppStripe extends Stripe`: `this.customers`)
        const cls = enclosingClassOfThis(node);
        if (cls !== undefined) return ofMember(project(cls), node.name.text, node.name);
        // a function that declares what `this` is (`function (this: typeof User, …)`, `this: ModelStatic<M>`)
        const declared = declaredThis(node);
        if (declared !== undefined) return ofMember(ofType(declared), node.name.text, node.name);
      }
      return ofMember(ofObject(node.expression), node.name.text, node.name);
    }
    if (isElementAccessExpression(node)) {
      const argument = skipOuterExpressions(node.argumentExpression);
      if (!isStringLiteralLike(argument)) return undefined;
      return ofMember(ofObject(node.expression), argument.text, argument);
    }
    if (isCallExpression(node)) return ofCallResult(node);
    if (isNewExpression(node)) return ofConstruction(node);
    if (isAwaitExpression(node)) return ofExpression(node.expression);
    if (isConditionalExpression(node)) return ofExpression(node.whenTrue) ?? ofExpression(node.whenFalse);
    if (isBinaryExpression(node)) {
      const op = node.operatorToken.kind;
      if (op === Kind.QuestionQuestionToken || op === Kind.BarBarToken) {
        // `globalCache.client ?? createClient()`: a side the models know says more than one they do not
        const left = ofExpression(node.left);
        if (left !== undefined && informative(left)) return left;
        const right = ofExpression(node.right);
        return right !== undefined && informative(right) ? right : (left ?? right);
      }
      if (op === Kind.CommaToken || op === Kind.EqualsToken) return ofExpression(node.right);
      return undefined;
    }
    if (isFunctionExpression(node) || isArrowFunction(node) || isClassExpression(node)) return project(node);
    if (isObjectLiteralExpression(node)) return project(node);
    return undefined;
  }

  /**
   * `this` has no provenance of its own (its members are found in the enclosing class, else by symbol); `super` is the
   * base class, so `super.add(…)` in `class MailQueue extends Queue` is `bullmq#Queue.add`.
   */
  function ofObject(expression: ts.Expression): Provenance | undefined {
    const node = skipOuterExpressions(expression);
    if (node.kind === Kind.ThisKeyword) {
      const declared = declaredThis(node);
      return declared !== undefined ? ofType(declared) : undefined;
    }
    if (node.kind === Kind.SuperKeyword) {
      const cls = enclosingClassOfThis(node);
      return cls !== undefined ? baseOf(cls) : undefined;
    }
    return ofExpression(expression); // with its wrappers: `(req as Socket).handshake`
  }

  /**
   * What a class extends, as a value: a project class, or a modelled one (`extends Stripe` is `stripe#default`),
   * configured by the constructor's `super(…)` call like a `new` of the base would be.
   */
  function baseOf(cls: ts.ClassLikeDeclaration): Provenance | undefined {
    const heritage = extendedExpression(cls);
    if (heritage === undefined) return undefined;
    const base = ofExpression(heritage);
    if (base?.kind !== "external") return base;
    const superCall = superCallOf(cls);
    return superCall !== undefined ? instanceOrResult(base, superCall.arguments, false) : base;
  }

  function ofIdentifier(identifier: ts.Identifier): Provenance | undefined {
    const symbol = checker().getSymbolAtLocation(identifier);
    // `globalThis` is the checker's own symbol, declared nowhere: its members are globals like any other's.
    if (symbol === undefined || (!symbol.declarations?.length && GLOBAL_OBJECTS.has(identifier.text))) {
      // Not declared anywhere the program knows: a framework's auto-import of the project's own code, a global (only
      // ECMAScript's lib files are loaded), or `undefined`.
      if (identifier.text === "undefined") return undefined;
      return autoImportOf(identifier) ?? globalValue(identifier.text);
    }
    return ofSymbol(symbol, identifier.text);
  }

  /** The export of a project file that the framework imports into this identifier's file under its name, if any. */
  function autoImportOf(identifier: ts.Identifier): Provenance | undefined {
    for (const file of program.autoImported(identifier.getSourceFile())) {
      let exports = autoImportCache.get(file);
      if (exports === undefined) autoImportCache.set(file, (exports = new Map()));
      let found = exports.get(identifier.text);
      if (found === undefined) exports.set(identifier.text, (found = exportOf(file, identifier.text) ?? null));
      if (found !== null) return found;
    }
    return undefined;
  }

  function globalValue(name: string): ExternalValue {
    return external(GLOBAL_OBJECTS.has(name) ? "global#" : `global#${name}`, []);
  }

  /** Follows a symbol one alias step at a time, so an import of a package stops at the package. */
  function ofSymbol(start: ts.Symbol, globalName?: string): Provenance | undefined {
    return guarded(symbolCache, start, () => {
      let symbol = start;
      for (let step = 0; step < 16; step++) {
        const declaration = symbol.declarations?.[0];
        if (declaration === undefined) return undefined;
        if (isAliasDeclaration(declaration)) {
          const outside = externalOfAlias(declaration);
          if (outside !== undefined) return outside;
          const next = checker().getImmediateAliasedSymbol(symbol);
          if (next === undefined || next === symbol) return undefined;
          symbol = next;
          continue;
        }
        const file = declaration.getSourceFile();
        if (!isProjectSourceFile(file) && !isOwnDeclaration(declaration)) {
          if (globalName !== undefined && isGlobalDeclaration(declaration)) return globalValue(globalName);
          return fromDeclarationFile(declaration);
        }
        return ofDeclaration(declaration);
      }
      return undefined;
    });
  }

  /** The package an import names, or undefined when the import leads into the project (relative, `paths`, barrels). */
  function externalOfAlias(declaration: ts.Declaration): ExternalValue | undefined {
    let specifier: ts.Expression | undefined;
    let members: string;
    if (isImportSpecifier(declaration)) {
      specifier = declaration.parent.parent.parent.moduleSpecifier;
      members = (declaration.propertyName ?? declaration.name).text;
    } else if (isImportClause(declaration)) {
      specifier = declaration.parent.moduleSpecifier;
      members = "default";
    } else if (isNamespaceImport(declaration)) {
      specifier = declaration.parent.parent.moduleSpecifier;
      members = "";
    } else if (isNamespaceExport(declaration)) {
      specifier = declaration.parent.moduleSpecifier;
      members = "";
    } else if (isExportSpecifier(declaration)) {
      specifier = declaration.parent.parent.moduleSpecifier;
      members = (declaration.propertyName ?? declaration.name).text;
    } else if (isImportEqualsDeclaration(declaration)) {
      const reference = declaration.moduleReference;
      if (!isExternalModuleReference(reference)) return undefined;
      specifier = reference.expression;
      members = "";
    } else {
      return undefined;
    }
    if (specifier === undefined || !isStringLiteralLike(specifier)) return undefined;
    if (leadsIntoProject(specifier)) return undefined;
    return fromModule(specifier.text, members);
  }

  function leadsIntoProject(specifier: ts.StringLiteralLike): boolean {
    if (specifier.text.startsWith(".") || specifier.text.startsWith("/")) return true;
    const cached = moduleIsProject.get(specifier);
    if (cached !== undefined) return cached;
    // A bare specifier can still be the project's own (tsconfig `paths`, workspaces): ask where it resolved.
    const moduleSymbol = checker().getSymbolAtLocation(specifier);
    const file = moduleSymbol?.valueDeclaration;
    const result = file !== undefined && isSourceFile(file) && (isProjectSourceFile(file) || isOwnDeclarationModule(file));
    moduleIsProject.set(specifier, result);
    return result;
  }

  function ofDeclaration(declaration: ts.Node): Provenance | undefined {
    if (isVariableDeclaration(declaration)) {
      if (!isIdentifier(declaration.name)) return undefined;
      if (declaration.initializer) {
        const value = ofExpression(declaration.initializer);
        if (value !== undefined && informative(value)) return value;
        // `const client: PostHog | null = globalCache.client ?? …`: a modelled declared type says more than an
        // initializer no model knows
        const declared = declaration.type ? ofType(declaration.type) : undefined;
        if (declared?.kind === "external" && informative(declared)) return declared;
        // `let client = null; … client = new Redis(…)`
        return ofAssignments(declaration) ?? value ?? project(declaration);
      }
      const declared = declaration.type ? ofType(declaration.type) : undefined;
      if (declared !== undefined && informative(declared)) return declared;
      return ofAssignments(declaration) ?? declared;
    }
    if (isBindingElement(declaration)) return ofBindingElement(declaration);
    if (isParameter(declaration)) return ofParameter(declaration);
    if (isPropertyDeclaration(declaration) || isPropertySignature(declaration)) {
      const initializer = isPropertyDeclaration(declaration) ? declaration.initializer : undefined;
      if (initializer) {
        const value = ofExpression(initializer);
        if (value !== undefined && informative(value)) return value;
        // `redisClient: Redis | undefined = undefined`, assigned in an `initialize()`: an initializer that names no value
        // says nothing, the declared type does (as without the initializer); a modelled declared type says more than an
        // initializer no model knows, as for a variable
        const declared = declaration.type ? ofType(declaration.type) : undefined;
        if (declared !== undefined && (value === undefined || (declared.kind === "external" && informative(declared)))) return declared;
        return value ?? project(declaration);
      }
      if (declaration.type) return ofType(declaration.type) ?? project(declaration);
      return project(declaration);
    }
    if (isPropertyAssignment(declaration)) return ofExpression(declaration.initializer) ?? project(declaration);
    if (isShorthandPropertyAssignment(declaration)) {
      const value = checker().getShorthandAssignmentValueSymbol(declaration);
      return value ? ofSymbol(value, declaration.name.text) : undefined;
    }
    // `type Db = Knex | Knex.Transaction`: a project alias of a modelled type is that type
    if (isTypeAliasDeclaration(declaration)) {
      const aliased = ofType(declaration.type);
      return aliased?.kind === "external" ? aliased : project(declaration);
    }
    if (isExportAssignment(declaration)) return ofExpression(declaration.expression);
    if (isBinaryExpression(declaration)) return ofExpression(declaration.right); // exports.x = …, module.exports = …
    if (isPropertyAccessExpression(declaration) && isBinaryExpression(declaration.parent)) {
      return ofExpression(declaration.parent.right);
    }
    return project(declaration);
  }

  function ofBindingElement(element: ts.BindingElement): Provenance | undefined {
    const pattern = element.parent;
    if (isArrayBindingPattern(pattern)) return ofTupleElement(element, pattern);
    if (!isObjectBindingPattern(pattern)) return undefined;
    const nameNode = element.propertyName ?? element.name;
    const member = propertyNameText(nameNode);
    if (member === undefined) return undefined;
    const holder = pattern.parent;
    let object: Provenance | undefined;
    let objectExpression: ts.Expression | undefined;
    if (isVariableDeclaration(holder)) {
      objectExpression = holder.initializer;
      object = objectExpression ? ofExpression(objectExpression) : holder.type ? ofType(holder.type) : undefined;
    } else if (isParameter(holder)) {
      object = ofParameter(holder);
    } else if (isBindingElement(holder)) {
      object = ofBindingElement(holder);
    }
    if (object?.kind === "external" || (object !== undefined && isSourceFile(object.declaration))) {
      return ofMember(object, member, undefined);
    }
    // A project object: its property declares the value (`const { send } = require("./client")`).
    const property = patternType(objectExpression ?? pattern).getProperty(member);
    return property ? ofSymbol(property) : undefined;
  }

  /**
   * `const [stripe, order] = await Promise.all([this.client(), this.orders.findOne(…)])`, or the same from an array
   * literal: each name holds the value written at its position, so a client made in another method keeps its package
   * (vendure's Stripe customer, created through the first of two awaited promises, was an unknown call).
   */
  function ofTupleElement(element: ts.BindingElement, pattern: ts.ArrayBindingPattern): Provenance | undefined {
    const holder = pattern.parent;
    if (element.dotDotDotToken !== undefined || !isVariableDeclaration(holder) || holder.initializer === undefined) return undefined;
    const item = tupleItems(holder.initializer)?.[pattern.elements.indexOf(element)];
    return item === undefined || isSpreadElement(item) || isOmittedExpression(item) ? undefined : ofExpression(item);
  }

  /**
   * The type of what a binding pattern destructures, once per pattern: `const { a, b, c } = await load(…)` asks it for
   * each element, and the checker types the expression anew at each question (documenso: 858 questions of 574).
   */
  function patternType(node: ts.Node): ts.Type {
    let type = patternTypes.get(node);
    if (type === undefined) patternTypes.set(node, (type = checker().getTypeAtLocation(node)));
    return type;
  }

  function ofParameter(parameter: ts.ParameterDeclaration): Provenance | undefined {
    // A decorated parameter is what its decorator injects when a model describes it (NestJS `@Req()`, `@Ip()`,
    // `@Headers()`); a decorator no model knows (`@InjectQueue("mail") queue: Queue`,
    // `@Inject(forwardRef(() => AnalyticsService)) analytics: AnalyticsService`) leaves it to the declared type, a
    // project class or interface included.
    let injected: ExternalValue | undefined;
    for (const decorator of ts.getDecorators(parameter) ?? []) {
      const value = ofExpression(decorator.expression);
      if (value?.kind === "external") injected ??= value;
    }
    if (injected !== undefined && index.describes(injected.key)) return injected;
    const declared = parameter.type ? ofType(parameter.type) : undefined;
    // `wss.on("connection", (socket: WebSocket, req) => …)`: the library that calls the function knows which of its
    // values it passes where the annotation names a class both sides use (a socket the server accepted, not one opened)
    if (declared?.kind === "external" && index.redeclared.has(declared.key)) {
      const passed = ofCallbackParameter(parameter, declared.key);
      if (passed !== undefined) return passed;
    }
    if (declared !== undefined && (declared.kind === "project" || !declared.key.startsWith("global#"))) return declared;
    return injected ?? declared ?? ofCallbackParameter(parameter);
  }

  /** `app.get("/", (req, res) => …)`: the library that calls the function decides what its parameters are. */
  function ofCallbackParameter(parameter: ts.ParameterDeclaration, declaredKey?: string): Provenance | undefined {
    const fn = parameter.parent;
    const inOptions = isMethodDeclaration(fn) || ((isFunctionExpression(fn) || isArrowFunction(fn)) && isPropertyAssignment(fn.parent));
    if (!isFunctionExpression(fn) && !isArrowFunction(fn) && !inOptions) return undefined;
    // a declared `this` takes no argument: the library passes the others from position 0
    const position = fn.parameters.indexOf(parameter) - (declaresThis(fn) ? 1 : 0);
    let holder: Provenance | undefined;
    // a hook in an options object (`Bugsnag.start({ onError(event) { … } })`) is passed to the call like a callback
    const passed: ts.Node = inOptions ? (isMethodDeclaration(fn) ? fn.parent : fn.parent.parent) : fn;
    if (inOptions && !isObjectLiteralExpression(passed)) return undefined;
    let parent: ts.Node = passed.parent;
    while (isParenthesizedExpression(parent) || isAsExpression(parent)) parent = parent.parent;
    if ((isCallExpression(parent) || isNewExpression(parent)) && parent.arguments?.some((a) => skipOuterExpressions(a) === passed)) {
      holder = ofExpression(parent.expression);
    } else if (inOptions) {
      return undefined;
    } else if (isVariableDeclaration(parent) && parent.initializer !== undefined && parent.type !== undefined) {
      holder = ofType(parent.type); // const handler: RequestHandler = (req, res) => …
    }
    if (holder?.kind === "project") {
      if (declaredKey !== undefined) return undefined;
      return isCallExpression(parent) || isNewExpression(parent)
        ? ofWrapperCallbackParameter(holder.declaration, parent, passed, position)
        : undefined;
    }
    if (holder?.kind !== "external") return undefined;
    for (const row of index.callbacks(holder.key)) {
      if (declaredKey !== undefined && !(row.declared ?? []).some((d) => canonicalKey(d) === declaredKey)) continue;
      const value = row.parameters[position];
      if (value !== undefined) {
        const hash = value.indexOf("#");
        return fromModule(value.slice(0, hash), value.slice(hash + 1));
      }
    }
    return undefined;
  }

  /**
   * A callback handed to a project function that declares what it passes: `tracer.trace("x", (span) => …)` where the
   * project's wrapper is `trace<F extends (span: Span) => unknown>(name: string, callback: F)` around OpenTelemetry's
   * `startActiveSpan`. The callback's parameter is what the wrapper's signature says it is, as if the callback had
   * declared it (`(span: Span) => …`): the wrapper's declared function type, through a type parameter's constraint or
   * a type alias. Without dependencies installed the checker cannot type `span`, but the declaration names the vendor
   * type by its import.
   */
  function ofWrapperCallbackParameter(
    callee: ts.Node,
    call: ts.CallExpression | ts.NewExpression,
    passed: ts.Node,
    position: number,
  ): Provenance | undefined {
    const signature = isClassLike(callee) ? callee.members.find(isConstructorDeclaration) : callee;
    if (signature === undefined || !isFunctionLike(signature)) return undefined;
    const argumentIndex = call.arguments?.findIndex((a) => skipOuterExpressions(a) === passed) ?? -1;
    const parameter = signature.parameters[argumentIndex];
    if (parameter === undefined || parameter.dotDotDotToken !== undefined || parameter.type === undefined) return undefined;
    const fnType = declaredFunctionType(parameter.type, signature, projectAlias);
    const declared = fnType === true ? undefined : fnType?.parameters[position];
    if (declared === undefined || declared.dotDotDotToken !== undefined || declared.type === undefined) return undefined;
    const value = ofType(declared.type);
    return value !== undefined && (value.kind === "project" || !value.key.startsWith("global#")) ? value : undefined;
  }

  /** A named type as the project alias it is: its syntax is read on; a library's or an unknown name is not followed. */
  function projectAlias(reference: ts.TypeReferenceNode): ts.TypeNode | false {
    return projectTypeAlias(checker(), reference.typeName) ?? false;
  }

  /** A declared type as the value it describes: `HttpService` imported from `@nestjs/axios` → `@nestjs/axios#HttpService`. */
  function ofType(type: ts.TypeNode): Provenance | undefined {
    if (isTypeReferenceNode(type)) {
      // `MarkRequired<Partial<PayloadRequest>, "payload">`, `SetRequired<Request, "user">`: the reshaped type's value
      const reshaped = mayReshape(type) ? reshapedType(type, checker().getSymbolAtLocation(type.typeName)) : undefined;
      if (reshaped !== undefined) return ofType(reshaped);
      return ofUtilityType(type) ?? ofEntityName(type.typeName);
    }
    // `A | B`: the first that names a value. `req: Request & { user: IUser }`, `doc: mongoose.Document &
    // LicenseInterface`: the value is each of them, and the members a type literal or a project interface adds are read
    // by their names; the first that names a value wins too
    if (isUnionTypeNode(type) || isIntersectionTypeNode(type)) {
      for (const member of type.types) {
        const value = ofType(member);
        if (value !== undefined) return value;
      }
      return undefined;
    }
    if (isParenthesizedTypeNode(type)) return ofType(type.type);
    if (isTypeQueryNode(type)) return ofEntityName(type.exprName); // typeof client
    if (isImportTypeNode(type)) return ofImportType(type);
    return undefined;
  }

  /** `req: import("node:http").IncomingMessage`: a package's type named inline, as an import of it would name it. */
  function ofImportType(type: ts.ImportTypeNode): Provenance | undefined {
    const argument = type.argument;
    if (type.isTypeOf || !isLiteralTypeNode(argument) || !isStringLiteral(argument.literal)) return undefined;
    if (leadsIntoProject(argument.literal)) {
      // the project's own type: what the checker says it declares
      const declaration = type.qualifier ? checker().getSymbolAtLocation(type.qualifier)?.declarations?.[0] : undefined;
      return declaration !== undefined ? project(declaration) : undefined;
    }
    return fromModule(argument.literal.text, type.qualifier ? entityNameText(type.qualifier) : "");
  }

  /**
   * The language's type operators over a value's type query: `ReturnType<typeof createQueue>` is what the factory
   * returns, `InstanceType<typeof Queue>` what the class builds (a cached client declared
   * `let queue: ReturnType<typeof createQueue> | undefined`, assigned on first use). Undefined for any other type, and
   * for a project type that happens to have one of those names. (`Awaited<T>` is `T`: a type utility,
   * type-utilities.ts.)
   */
  function ofUtilityType(type: ts.TypeReferenceNode): Provenance | undefined {
    const name = type.typeName;
    const argument = type.typeArguments?.length === 1 ? type.typeArguments[0]! : undefined;
    if (argument === undefined || !isIdentifier(name) || !UTILITY_TYPES.has(name.text)) return undefined;
    const declaration = checker().getSymbolAtLocation(name)?.declarations?.[0];
    if (declaration !== undefined && isProjectSourceFile(declaration.getSourceFile())) return undefined;
    if (!isTypeQueryNode(argument)) return undefined;
    const target = ofEntityName(argument.exprName);
    if (target === undefined) return undefined;
    const called = name.text === "ReturnType";
    if (target.kind === "external") return instanceOrResult(target, ts.factory.createNodeArray(), called);
    return called ? returnedBy(target.declaration) : target;
  }

  function ofEntityName(name: ts.EntityName): Provenance | undefined {
    if (isIdentifier(name)) {
      const symbol = checker().getSymbolAtLocation(name);
      // a type no file declares (`opts: { headers: Headers }` where only ECMAScript's lib files are loaded: the checker
      // answers its unknown symbol, declared nowhere) is the global of that name, as an undeclared value is
      if (symbol === undefined || !symbol.declarations?.length) return globalValue(name.text);
      return ofSymbol(symbol, name.text);
    }
    return ofMember(ofEntityName(name.left), name.right.text, name.right);
  }

  function ofMember(object: Provenance | undefined, member: string, memberNode: ts.Node | undefined): Provenance | undefined {
    if (object?.kind === "external") return external(appendKeyMember(object.key, member), object.bases, object.configuration);
    if (object !== undefined && isSourceFile(object.declaration)) return exportOf(object.declaration, member);
    if (object !== undefined && isClassLike(object.declaration)) {
      // An instance of a project class (`new EnclaveClient()`, a parameter typed with it): its own members, by name,
      // then its base classes' — up to a modelled one, whose member it is (`class PrismaService extends PrismaClient`)
      let cls: ts.ClassLikeDeclaration = object.declaration;
      for (let level = 0; level < MAX_BASES; level++) {
        const own = memberOfClass(cls, member);
        if (own !== undefined) return ofDeclaration(own);
        const base = baseOf(cls);
        if (base?.kind === "external") return ofMember(base, member, undefined);
        if (base === undefined || !isClassLike(base.declaration) || base.declaration === cls) break;
        cls = base.declaration;
      }
    }
    if (object !== undefined && isInterfaceDeclaration(object.declaration)) {
      // A value declared with a project interface that extends a library's type (`interface IAuthRequest extends
      // Request { user: IUser }`): a member the interface does not declare is the library type's (`req.get(…)`)
      const inherited = inheritedMember(object.declaration, member, 0);
      if (inherited !== undefined) return inherited;
    }
    if (memberNode === undefined) return undefined;
    // A project object or an unknown receiver (`this.http`): the member's own declaration says what it holds. A name
    // the project never declares can only be a library's or the language's (`name.trim()`): no checker for those,
    // unless dependency types are loaded and may say which library.
    if (!program.declaredMemberNames().has(member) && !program.hasDependencyTypes()) return undefined;
    const symbol = checker().getSymbolAtLocation(memberNode);
    if (symbol !== undefined) return ofSymbol(symbol);
    // A value declared with a project type the checker cannot type (`req: MarkRequired<PayloadRequest, "payload">`, the
    // utility's package not installed): the member the project type declares
    const declared = object !== undefined ? declaredMember(object.declaration, member, 0) : undefined;
    return declared !== undefined ? ofDeclaration(declared) : undefined;
  }

  /**
   * The member `member` of a project interface (its own, then its project bases') or object type alias (a type
   * literal, through intersections, unions and project type names): the declaration a checker would find.
   */
  function declaredMember(declaration: ts.Node, member: string, level: number): ts.Node | undefined {
    if (level >= MAX_BASES) return undefined;
    if (isInterfaceDeclaration(declaration)) {
      const own = declaration.members.find((m) => m.name !== undefined && propertyNameText(m.name) === member);
      if (own !== undefined) return own;
      for (const clause of declaration.heritageClauses ?? []) {
        for (const base of clause.types) {
          const value = ofExpression(base.expression);
          const found = value?.kind === "project" && value.declaration !== declaration ? declaredMember(value.declaration, member, level + 1) : undefined;
          if (found !== undefined) return found;
        }
      }
      return undefined;
    }
    if (!isTypeAliasDeclaration(declaration)) return undefined;
    const pending: ts.TypeNode[] = [declaration.type];
    for (let steps = 0; pending.length > 0 && steps < 16; steps++) {
      const type = pending.pop()!;
      if (isTypeLiteralNode(type)) {
        const own = type.members.find((m) => m.name !== undefined && propertyNameText(m.name) === member);
        if (own !== undefined) return own;
      } else if (isUnionTypeNode(type) || isIntersectionTypeNode(type)) {
        pending.push(...[...type.types].reverse());
      } else if (isParenthesizedTypeNode(type)) {
        pending.push(type.type);
      } else if (isTypeReferenceNode(type)) {
        const value = ofType(type);
        const found = value?.kind === "project" && value.declaration !== declaration ? declaredMember(value.declaration, member, level + 1) : undefined;
        if (found !== undefined) return found;
      }
    }
    return undefined;
  }

  /** `member` of a library type some project interface extends, through project interfaces extending it; undefined when the interfaces declare it. */
  function inheritedMember(declaration: ts.InterfaceDeclaration, member: string, level: number): Provenance | undefined {
    if (level >= MAX_BASES || declaration.members.some((m) => m.name !== undefined && propertyNameText(m.name) === member)) return undefined;
    for (const clause of declaration.heritageClauses ?? []) {
      for (const base of clause.types) {
        const value = ofExpression(base.expression);
        if (value?.kind === "external") return ofMember(value, member, undefined);
        if (value !== undefined && isInterfaceDeclaration(value.declaration) && value.declaration !== declaration) {
          const found = inheritedMember(value.declaration, member, level + 1);
          if (found !== undefined) return found;
        }
      }
    }
    return undefined;
  }

  function ofCallResult(call: ts.CallExpression): Provenance | undefined {
    const callee = skipOuterExpressions(call.expression);
    if (isIdentifier(callee) && callee.text === "require" && call.arguments.length === 1) {
      const argument = call.arguments[0];
      if (argument !== undefined && isStringLiteralLike(argument)) {
        const file = requiredFile(argument);
        if (file !== undefined) return project(file);
        return argument.text.startsWith(".") ? undefined : fromModule(argument.text, "");
      }
    }
    if (call.expression.kind === Kind.ImportKeyword) return undefined;
    // `logger.error.bind(logger)` is the same function with `this` fixed: calling it is calling `logger.error`. Bound
    // leading arguments would shift the positions a row names, so only a `this`-only bind is the function itself.
    if (isPropertyAccessExpression(callee) && callee.name.text === "bind" && call.arguments.length <= 1) {
      const bound = ofExpression(callee.expression);
      if (bound !== undefined) return bound;
    }
    const target = ofExpression(call.expression);
    if (target === undefined) return undefined;
    if (target.kind === "external") return lookedUp(target, call) ?? instanceOrResult(target, call.arguments, true);
    // what the callback returns, when a model knows it or the value it derives from (`prisma.$extends(…)` of a client)
    const passedThrough = callbackResult(target.declaration, call);
    if (passedThrough !== undefined && describedOrAbove(passedThrough)) return passedThrough;
    return returnedBy(target.declaration);
  }

  /**
   * A generic function declared to return what one of its callbacks returns (`remember<T>(name: string, getValue: () =>
   * T): T`: a memoiser, a lazy singleton, `once`) returns, at this call, what the callback passed here returns —
   * `remember("prisma", () => new PrismaClient())` is a Prisma client, whatever cache its body reads it back from.
   */
  function callbackResult(declaration: ts.Node, call: ts.CallExpression): Provenance | undefined {
    let fn: ts.Node = declaration;
    if (isVariableDeclaration(fn) && fn.initializer) fn = skipOuterExpressions(fn.initializer);
    if (!isFunctionLike(fn) || fn.typeParameters === undefined || fn.type === undefined) return undefined;
    const returned = promisedType(fn.type);
    if (!isTypeReferenceNode(returned) || !isIdentifier(returned.typeName) || returned.typeArguments !== undefined) return undefined;
    const name = returned.typeName.text;
    if (!fn.typeParameters.some((p) => p.name.text === name)) return undefined;
    const index = fn.parameters.findIndex((p) => {
      const type = p.type;
      if (type === undefined || !isFunctionTypeNode(type)) return false;
      const result = promisedType(type.type);
      return isTypeReferenceNode(result) && isIdentifier(result.typeName) && result.typeName.text === name;
    });
    const argument = index < 0 ? undefined : call.arguments[index - (declaresThis(fn) ? 1 : 0)];
    if (argument === undefined) return undefined;
    const callback = skipOuterExpressions(argument);
    if (isArrowFunction(callback) || isFunctionExpression(callback)) return returnedValue(callback, describedOrAbove);
    const passed = ofExpression(callback);
    return passed?.kind === "project" ? returnedBy(passed.declaration) : undefined;
  }

  /** `inject(HttpClient)`: a dependency-injection lookup is an instance of the class it names, as `new HttpClient()` is. */
  function lookedUp(target: ExternalValue, call: ts.CallExpression): Provenance | undefined {
    const row = index.lookup(target.key);
    const token = row === undefined ? undefined : call.arguments[row.argument];
    const named = token === undefined ? undefined : ofExpression(token);
    if (named === undefined || named.kind === "external") return named;
    return isClassLike(named.declaration) ? { ...named, exact: true } : named;
  }

  function ofConstruction(construction: ts.NewExpression): Provenance | undefined {
    const target = ofExpression(construction.expression);
    if (target?.kind === "external") return instanceOrResult(target, construction.arguments ?? ts.factory.createNodeArray(), false);
    return target !== undefined && isClassLike(target.declaration) ? { ...target, exact: true } : target;
  }

  /** `axios.create({ baseURL })` is an axios instance with a base; anything else is "the result of calling it". */
  function instanceOrResult(target: ExternalValue, args: ts.NodeArray<ts.Expression>, called: boolean): ExternalValue {
    const row = index.instance(target.key);
    if (row === undefined) {
      if (!called) return target; // `new Kafka(…)`: an instance is named after its class
      const hash = target.key.indexOf("#");
      return external(`${target.key.slice(0, hash + 1)}${appendCall(target.key.slice(hash + 1))}`, target.bases, target.configuration);
    }
    const bases = [...target.bases];
    const config = row.config;
    const argument = config ? args[config.argument] : undefined;
    if (config && argument !== undefined) {
      const own = baseExpressions(argument, config.baseUrl);
      bases.push(...own);
      // `new OpenAIApi(new Configuration({ basePath }))`: a configuration object a modelled call built carries its base
      const passed = own.length === 0 && config.baseUrl !== undefined && config.baseUrl.length > 0 ? ofExpression(argument) : undefined;
      if (passed?.kind === "external") bases.push(...passed.bases);
    }
    const hash = row.returns.indexOf("#");
    const value: ExternalValue = { ...fromModule(row.returns.slice(0, hash), row.returns.slice(hash + 1)), bases };
    // the newest configuration decides a templated host (`new SQSClient({ region })`); no argument = SDK defaults
    const configuration: InstanceConfiguration | undefined = config
      ? {
          ...(argument !== undefined ? { argument } : {}),
          ...(config.baseUrl ? { baseUrl: config.baseUrl } : {}),
          ...(config.connectionString ? { connectionString: true } : {}),
        }
      : target.configuration;
    if (configuration !== undefined) value.configuration = configuration;
    return value;
  }

  /**
   * The base URL expressions inside an instance's configuration argument (`{ baseURL: BASE }`), the argument itself
   * when no property is named (node:http options), none for `baseUrl: []` (settings only, for a host template).
   */
  function baseExpressions(argument: ts.Expression, property: readonly string[] | undefined): ts.Expression[] {
    if (property === undefined) return [argument];
    if (property.length === 0) return [];
    let current: ts.Expression | undefined = argument;
    for (const name of property) {
      const object: ts.ObjectLiteralExpression | undefined = current ? objectLiteralOf(current) : undefined;
      current = object ? propertyValue(object, name) : undefined;
    }
    // an array of hosts (`brokers: [a, b]`) stays one base: the model picks the element that decides the verdict
    return current === undefined ? [] : [skipOuterExpressions(current)];
  }

  /** An object literal, directly or through a `const` that holds one. */
  function objectLiteralOf(expression: ts.Expression): ts.ObjectLiteralExpression | undefined {
    const node = skipOuterExpressions(expression);
    if (isObjectLiteralExpression(node)) return node;
    if (!isIdentifier(node)) return undefined;
    const declaration = checker().getSymbolAtLocation(node)?.valueDeclaration;
    if (declaration && isVariableDeclaration(declaration) && declaration.initializer) {
      const init = skipOuterExpressions(declaration.initializer);
      return isObjectLiteralExpression(init) ? init : undefined;
    }
    return undefined;
  }

  function propertyValue(object: ts.ObjectLiteralExpression, name: string): ts.Expression | undefined {
    for (const property of object.properties) {
      if (isPropertyAssignment(property) && propertyNameText(property.name) === name) return property.initializer;
      if (isShorthandPropertyAssignment(property) && property.name.text === name) return property.name;
    }
    return undefined;
  }

  /** The project file `require("…")` loads (resolved by the checker in JS files, by module resolution in TS files). */
  function requiredFile(specifier: ts.StringLiteralLike): ts.SourceFile | undefined {
    const declaration = checker().getSymbolAtLocation(specifier)?.valueDeclaration;
    if (declaration !== undefined && isSourceFile(declaration)) return isProjectSourceFile(declaration) ? declaration : undefined;
    const file = program.resolveModule(specifier.text, specifier.getSourceFile());
    return file !== undefined && isProjectSourceFile(file) ? file : undefined;
  }

  /** A named export of a project module, ES or CommonJS (`exports.x =`, `module.exports = { x }`). */
  function exportOf(file: ts.SourceFile, name: string): Provenance | undefined {
    // the module's symbol as binding made it (not merged with augmentations); asked of the checker first, which binds the
    // file where a checker binds files as it reaches them (narrow-checker.ts)
    checker().getSymbolAtLocation(file);
    const moduleSymbol = (file as unknown as { symbol?: ts.Symbol }).symbol;
    if (moduleSymbol === undefined) return undefined;
    const wanted = name === "" ? "default" : name;
    const symbol = checker().getExportsOfModule(moduleSymbol).find((s) => s.name === wanted);
    if (symbol !== undefined) return ofSymbol(symbol);
    // `module.exports = logger` (`export = logger`) of a package's value: the module is that value, so `require("./log")
    // .debug` is its member — a checker without the package's types lists no members of it
    const whole = moduleSymbol.exports?.get(ts.InternalSymbolName.ExportEquals);
    const value = whole !== undefined ? ofSymbol(whole) : undefined;
    if (value?.kind !== "external") return undefined;
    return wanted === "default" ? value : ofMember(value, wanted, undefined);
  }

  /**
   * Whether a value says something a model can use: a project value, or an external one that a model describes or
   * that was configured (a base URL, a construction). A global no model knows (`globalThis.cachedClient`) does not.
   */
  /** Whether a model describes a value this key is a member or a call result of (`pkg#Client` for `pkg#Client.x()`). */
  function describedAbove(key: string): boolean {
    const hash = key.indexOf("#");
    for (let at = Math.max(key.lastIndexOf("."), key.lastIndexOf("(")); at > hash; at = Math.max(key.lastIndexOf(".", at - 1), key.lastIndexOf("(", at - 1))) {
      if (index.describes(key.slice(0, at))) return true;
    }
    return false;
  }

  function describedOrAbove(value: Provenance): boolean {
    return informative(value) || (value.kind === "external" && describedAbove(value.key));
  }

  /**
   * A `let` or `var` given its value by assignments (`let visit; if (env.REDIS_ENABLED) visit = new Queue(…); else
   * visit = { add(data) { … } }`, kutt's visit queue, or a client made on first use inside a function): what the
   * assignments anywhere in its scope give it. A package's value says more than the project's own fallback (a model may
   * make its calls sinks, and an unmodelled one is reported as such), so the first one a model describes is taken, else
   * the first package value, else the first. Asked only of a variable a read resolved to.
   */
  function ofAssignments(declaration: ts.VariableDeclaration): Provenance | undefined {
    const list = declaration.parent;
    if (!isIdentifier(declaration.name) || !isVariableDeclarationList(list) || (list.flags & ts.NodeFlags.Const) !== 0) return undefined;
    const cached = assignedCache.get(declaration);
    if (cached !== undefined) return cached ?? undefined;
    assignedCache.set(declaration, null); // an assignment that reads the variable itself adds nothing the second time
    const name = declaration.name.text;
    const symbol = checker().getSymbolAtLocation(declaration.name);
    const values: Provenance[] = [];
    const visit = (node: ts.Node): void => {
      if (isBinaryExpression(node) && node.operatorToken.kind === Kind.EqualsToken) {
        const left = skipOuterExpressions(node.left);
        if (isIdentifier(left) && left.text === name && checker().getSymbolAtLocation(left) === symbol) {
          const value = ofExpression(node.right);
          if (value !== undefined) values.push(value);
        }
      }
      forEachChild(node, visit);
    };
    const scope = list.parent?.parent;
    if (symbol !== undefined && scope !== undefined) forEachChild(scope, visit);
    const found = values.find((v) => v.kind === "external" && informative(v)) ?? values.find((v) => v.kind === "external") ?? values[0];
    assignedCache.set(declaration, found ?? null);
    return found;
  }

  function informative(value: Provenance): boolean {
    if (value.kind === "project") return true;
    return value.bases.length > 0 || value.configuration !== undefined || index.describes(value.key);
  }

  /**
   * What a project factory returns: `function makeClient() { return axios.create(…) }`, else what it declares it
   * returns (`createQueue(): Queue`, `async connect(): Promise<Mail>`, an interface's method signature).
   */
  function returnedBy(declaration: ts.Node): Provenance | undefined {
    let fn: ts.Node = declaration;
    if (isVariableDeclaration(fn) && fn.initializer) fn = skipOuterExpressions(fn.initializer);
    if (!isFunctionLike(fn)) return undefined;
    const returned = returnedValue(fn as ts.FunctionLikeDeclaration);
    if (returned?.kind === "external" && (returned.bases.length > 0 || returned.configuration || index.describes(returned.key))) {
      return returned; // a configured or modelled instance says more than any declared type
    }
    const declared = fn.type !== undefined ? ofType(promisedType(fn.type)) : undefined;
    if (declared?.kind === "external" && !declared.key.startsWith("global#")) return declared;
    return returned ?? declared;
  }

  /** What the function returns: its first return with a value, or with `wanted`, its first return that is wanted. */
  function returnedValue(fn: ts.FunctionLikeDeclaration, wanted?: (value: Provenance) => boolean): Provenance | undefined {
    const body = fn.body;
    if (body === undefined) return undefined;
    if (!isBlock(body)) return ofExpression(body);
    let found: Provenance | undefined;
    let first: Provenance | undefined;
    const pending: ts.Node[] = [body];
    while (pending.length > 0 && found === undefined) {
      const node = pending.pop()!;
      if (isReturnStatement(node)) {
        const value = node.expression ? ofExpression(node.expression) : undefined;
        first ??= value;
        if (value !== undefined && (wanted === undefined || wanted(value))) found = value;
        continue;
      }
      if (isFunctionLike(node) || isClassLike(node)) continue; // their returns are not ours
      forEachChild(node, (child) => {
        pending.push(child);
      });
    }
    return found ?? first;
  }

  /** With declaration files loaded, a member found by the checker in `node_modules/pkg` is `pkg#Class.member`. */
  function fromDeclarationFile(declaration: ts.Declaration): Provenance | undefined {
    const fileName = declaration.getSourceFile().fileName;
    const at = fileName.lastIndexOf("/node_modules/");
    if (at < 0 || fileName.includes("/node_modules/typescript/lib/")) return undefined;
    const parts = fileName.slice(at + "/node_modules/".length).split("/");
    let name = parts[0]?.startsWith("@") ? `${parts[0]}/${parts[1] ?? ""}` : (parts[0] ?? "");
    if (name.startsWith("@types/")) {
      const typed = name.slice("@types/".length);
      name = typed.includes("__") ? `@${typed.replace("__", "/")}` : typed;
    }
    const members: string[] = [];
    for (let node: ts.Node | undefined = declaration; node !== undefined && !isSourceFile(node); node = node.parent) {
      const own = (node as { name?: ts.Node }).name;
      if ((isClassLike(node) || isInterfaceDeclaration(node) || isMethodDeclaration(node) || isMethodSignature(node) ||
        isPropertyDeclaration(node) || isPropertySignature(node) || isFunctionDeclaration(node) || isVariableDeclaration(node)) &&
        own !== undefined && isIdentifier(own)) {
        members.unshift(own.text);
      }
    }
    if (members.length === 0) return undefined;
    return fromModule(name, members.join("."));
  }

  function ofDeclarationFiles(callee: ts.Expression): ExternalValue | undefined {
    if (!program.hasDependencyTypes()) return undefined;
    const node = skipOuterExpressions(callee);
    const name = isPropertyAccessExpression(node) ? node.name : isIdentifier(node) ? node : undefined;
    if (name === undefined) return undefined;
    const declaration = symbolThroughImports(checker(), name)?.declarations?.[0];
    if (declaration === undefined || isProjectSourceFile(declaration.getSourceFile())) return undefined;
    const value = fromDeclarationFile(declaration);
    return value?.kind === "external" ? value : undefined;
  }

  return { ofExpression, ofDeclaration, ofMember, ofDeclarationFiles, checker };
}

/** The type a function declares for `this` (its `this` parameter), for a `this` inside it (arrow functions see through). */
function declaredThis(node: ts.Node): ts.TypeNode | undefined {
  for (let current = node.parent; current !== undefined; current = current.parent) {
    if (isArrowFunction(current)) continue;
    if (isFunctionLike(current)) {
      const first = current.parameters[0];
      return first !== undefined && isIdentifier(first.name) && first.name.text === "this" ? first.type : undefined;
    }
    if (isClassLike(current) || isSourceFile(current)) return undefined;
  }
  return undefined;
}

/** The class whose instance `this` is at `node`: arrow functions keep the outer `this`, other functions rebind it. */
export function enclosingClassOfThis(node: ts.Node): ts.ClassLikeDeclaration | undefined {
  for (let current = node.parent; current !== undefined; current = current.parent) {
    if (isClassLike(current)) return current;
    if (isFunctionDeclaration(current) || isFunctionExpression(current) || isSourceFile(current)) return undefined;
  }
  return undefined;
}

/**
 * A member declared in the class body itself (property, method, accessor, constructor parameter property). Undefined
 * when the class does not declare it (inherited, or added dynamically): the checker answers those.
 */
function memberOfClass(declaration: ts.ClassLikeDeclaration | undefined, name: string): ts.Declaration | undefined {
  if (declaration === undefined) return undefined;
  let found: ts.Declaration | undefined;
  for (const member of declaration.members) {
    if (isConstructorDeclaration(member)) {
      const parameter = member.parameters.find(
        (p) => ts.getModifiers(p)?.length && isIdentifier(p.name) && p.name.text === name,
      );
      if (parameter !== undefined) return parameter;
      continue;
    }
    if (member.name === undefined || propertyNameText(member.name) !== name) continue;
    if (isMethodDeclaration(member) && member.body === undefined) {
      found ??= member; // an overload signature: keep looking for the implementation
      continue;
    }
    if (isPropertyDeclaration(member) || isMethodDeclaration(member) || isGetAccessorDeclaration(member)) return member;
  }
  return found;
}

function appendKeyMember(key: string, member: string): string {
  const hash = key.indexOf("#");
  const members = key.slice(hash + 1);
  // `ns.default` of a namespace import is the default export, which the canonical key spells as the module root
  if (members === "" && member === "default") return key;
  return `${key.slice(0, hash + 1)}${appendMember(members, member)}`;
}

export function propertyNameText(name: ts.Node): string | undefined {
  if (isIdentifier(name) || isStringLiteralLike(name) || isNumericLiteral(name) || isPrivateIdentifier(name)) return name.text;
  if (isComputedPropertyName(name)) {
    const inner = skipOuterExpressions(name.expression);
    return isStringLiteralLike(inner) ? inner.text : undefined;
  }
  return undefined;
}

function isAliasDeclaration(node: ts.Declaration): boolean {
  return (
    isImportSpecifier(node) ||
    isImportClause(node) ||
    isNamespaceImport(node) ||
    isNamespaceExport(node) ||
    isExportSpecifier(node) ||
    isImportEqualsDeclaration(node)
  );
}

/** A declaration from a default library file or an ambient global (`declare var fetch`), not a module's export. */
function isGlobalDeclaration(declaration: ts.Declaration): boolean {
  const file = declaration.getSourceFile();
  if (!isExternalModule(file)) return true;
  for (let node: ts.Node | undefined = declaration.parent; node !== undefined; node = node.parent) {
    if (isModuleDeclaration(node) && isIdentifier(node.name) && node.name.text === "global") return true;
  }
  return false;
}

/** The expression after `extends` in a class's heritage, if any. */
export function extendedExpression(cls: ts.ClassLikeDeclaration): ts.Expression | undefined {
  return cls.heritageClauses?.find((h) => h.token === Kind.ExtendsKeyword)?.types[0]?.expression;
}

/** The `super(…)` call among the constructor's top-level statements. */
function superCallOf(cls: ts.ClassLikeDeclaration): ts.CallExpression | undefined {
  const ctor = cls.members.find((m): m is ts.ConstructorDeclaration => isConstructorDeclaration(m) && m.body !== undefined);
  for (const statement of ctor?.body?.statements ?? []) {
    if (!isExpressionStatement(statement)) continue;
    const call = skipOuterExpressions(statement.expression);
    if (isCallExpression(call) && call.expression.kind === Kind.SuperKeyword) return call;
  }
  return undefined;
}

/** `Promise<T>` (an async function's declared return) as `T`. */
function promisedType(type: ts.TypeNode): ts.TypeNode {
  if (isTypeReferenceNode(type) && isIdentifier(type.typeName) && type.typeArguments?.length === 1) {
    const name = type.typeName.text;
    if (name === "Promise" || name === "PromiseLike") return type.typeArguments[0]!;
  }
  return type;
}

/** `A.B.C` of an entity name, as written. */
function entityNameText(name: ts.EntityName): string {
  return isIdentifier(name) ? name.text : `${entityNameText(name.left)}.${name.right.text}`;
}

/** The items of an array literal, or of the array `Promise.all` awaits: what a tuple pattern takes apart position by position. */
function tupleItems(initializer: ts.Expression): readonly ts.Expression[] | undefined {
  let node = skipOuterExpressions(initializer);
  if (isAwaitExpression(node)) node = skipOuterExpressions(node.expression);
  if (isCallExpression(node) && isPropertyAccessExpression(node.expression) && node.expression.name.text === "all") {
    const receiver = skipOuterExpressions(node.expression.expression);
    const [first] = node.arguments;
    if (isIdentifier(receiver) && receiver.text === "Promise" && first !== undefined) node = skipOuterExpressions(first);
  }
  return isArrayLiteralExpression(node) ? node.elements : undefined;
}

/**
 * The types the wrappers `skipOuterExpressions` strips off an expression assert, outermost first: `x as T`, `<T>x`,
 * `x satisfies T` (not `as const`).
 */
function assertedTypes(expression: ts.Expression): ts.TypeNode[] {
  const types: ts.TypeNode[] = [];
  for (let current = expression; current !== skipOuterExpressions(current); current = (current as ts.AsExpression).expression) {
    if (!isAsExpression(current) && !isTypeAssertionExpression(current) && current.kind !== Kind.SatisfiesExpression) continue;
    const type = (current as ts.AsExpression).type;
    if (!(isTypeReferenceNode(type) && isIdentifier(type.typeName) && type.typeName.text === "const")) types.push(type);
  }
  return types;
}
