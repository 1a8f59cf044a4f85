import { ts } from "ts-morph";
import { Kind, isArrayLiteralExpression, isArrayTypeNode, isAsExpression, isAwaitExpression, isBinaryExpression, isBindingElement, isCallExpression, isClassDeclaration, isConstructorDeclaration, isElementAccessExpression, isArrowFunction, isBlock, isFunctionDeclaration, isFunctionExpression, isFunctionLike, isMethodDeclaration, isReturnStatement, isIdentifier, isImportClause, isImportSpecifier, isInterfaceDeclaration, isNamespaceImport, isIntersectionTypeNode, isNewExpression, isNumericLiteral, isObjectLiteralExpression, isParameter, isParenthesizedExpression, isParenthesizedTypeNode, isPrefixUnaryExpression, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isPropertySignature, isStringLiteralLike, isTypeAliasDeclaration, isTypeAssertionExpression, isTypeLiteralNode, isTypeNode, isTypeReferenceNode, isUnionTypeNode, isVariableDeclaration, isVariableDeclarationList } from "../compiler-direct.js";
import type { DataClassSpec, SourceRow } from "../config/policy.js";
import type { SourceHit } from "../vocabulary/question.js";
import { isProjectSourceFile, outermostWrapper, skipOuterExpressions, symbolThroughImports } from "../workspace/symbols.js";
import { readsValueWrittenInCode, writesReservedAddress } from "./written-in-code.js";
import { defaultLabel } from "./call-path.js";
import { isConstantCase, namesOperatorList, namesOperatorsMachine, type DataClassMatcher } from "./data-classes.js";
import { fileWordsReader } from "./file-words.js";
import { identifierTokens } from "./identifier-tokens.js";
import { answeredPerName } from "./name-answers.js";
import { jsDocTags } from "./jsdoc-tags.js";
import { parameterNamedByOption } from "./named-parameters.js";
import type { LibraryIndex } from "./library-index.js";
import { propertyNameText, type ProvenanceResolver } from "./provenance.js";
import type { MemberIndex } from "./restricted-members.js";
import type { LoopbackServers } from "./loopback-servers.js";
import { isMessageType } from "./message-types.js";
import { shapeDeclares } from "./shape-siblings.js";
import { ownMemberDeclaration } from "./this-members.js";
import { declaredInSettingsGroup, declaresServerSetting, isConfigurationName, isSettingsGroupType, mapsNamesToText, namesFieldMapping, readForMembers } from "./settings-types.js";
import { declaresComponent, isComponentType } from "./component-types.js";
import type { ValidatorIndex } from "./validators.js";

/**
 * sourcesAt: restricted data a read yields. Two independent questions, answered in order of cost:
 *  1. request APIs by provenance (`req.ip`, `req.headers["x-forwarded-for"]`, NestJS `@Ip()`), filtered first by
 *     the member name so most reads never reach the resolver;
 *  2. data classes: the name token (a string test), then, only when the name did not decide, the declared type and
 *     JSDoc tags of the declaration (one checker symbol look-up, aliases of type names followed).
 */
export type SourceClassifier = (node: ts.Node) => readonly SourceHit[];

const NONE: readonly SourceHit[] = [];
/** What a library member of a request to a loopback-only server holds: nothing restricted, whatever its name. */
const LOCAL: readonly SourceHit[] = Object.freeze([]);
/** How many type aliases to follow (`type Msisdn = E164; type E164 = PhoneNumber`). */
const MAX_ALIAS_STEPS = 6;
/** How deep into nested declared types restricted fields are looked for (`order.customer.contact.phone`). */
const MAX_FIELD_DEPTH = 3;

export function createSourceClassifier(
  specs: readonly DataClassSpec[],
  classTags: readonly string[],
  matcher: DataClassMatcher,
  resolver: ProvenanceResolver,
  index: LibraryIndex,
  /** The project's member index (restricted-members.ts) over every file a declaration can come from. */
  memberNames: () => MemberIndex,
  /** Validator decorators (`@IsEmail()`) that classify a property whatever its name (validators.ts). */
  validators?: ValidatorIndex,
  /** Handlers of servers bound to the loopback interface, whose requests come from the gateway's own machine. */
  loopback?: LoopbackServers,
  /** Whether a call is a read of the gateway's own store that answers rows (stores.ts), not a column's values. */
  answersRows?: (call: ts.CallExpression) => boolean,
): SourceClassifier {
  const usesTypes = specs.some((s) => s.types.length > 0);
  const usesTags = classTags.length > 0 || specs.some((s) => s.tags.length > 0);
  const memberCache = new Map<readonly ts.Node[], readonly SourceHit[]>();
  const typeSymbols = new Map<ts.EntityName, ts.Symbol | undefined>();
  const fileWords = fileWordsReader();
  const namesOwn = answeredPerName(namesOperatorsOwn);
  return buildClassifier();

  function buildClassifier(): SourceClassifier {
    const nodeCache = new Map<ts.Node, readonly SourceHit[]>();
    const declarationCache = new Map<ts.Node, readonly SourceHit[]>();

    const classify: SourceClassifier = (node) => {
      let hits = nodeCache.get(node);
      if (hits === undefined) {
        hits = compute(node);
        nodeCache.set(node, hits);
      }
      return hits;
    };

    function compute(node: ts.Node): readonly SourceHit[] {
      const hits = computeHits(node);
      return hits.length > 0 ? byTypeAt(node, hits) : hits;
    }

    function computeHits(node: ts.Node): readonly SourceHit[] {
      if (isPropertyAccessExpression(node)) {
        const name = node.name.text;
        if (isConstantMember(node.expression, name)) return NONE;
        const api = apiOfMember(node, node.expression, name);
        if (api === LOCAL) return NONE;
        return firstOf(api, () => (readsOperatorsOwn(node.expression, namesOwn) ? NONE : unlessSettingsGroup(node, unlessWrittenInCode(node.expression, name, unlessPackageApi(node.expression, byNameOrDeclaration(name, node.name, node.expression))))));
      }
      if (isElementAccessExpression(node)) {
        const argument = skipOuterExpressions(node.argumentExpression);
        if (!isStringLiteralLike(argument)) return NONE;
        if (isConstantMember(node.expression, argument.text)) return NONE;
        const api = apiOfMember(node, node.expression, argument.text);
        if (api === LOCAL) return NONE;
        return firstOf(api, () => (readsOperatorsOwn(node.expression, namesOwn) ? NONE : unlessWrittenInCode(node.expression, argument.text, unlessPackageApi(node.expression, byNameOrDeclaration(argument.text, argument, node.expression)))));
      }
      if (isIdentifier(node)) {
        if (isConstantCase(node.text)) return NONE;
        const symbol = resolver.checker().getSymbolAtLocation(node);
        const declaration = symbol?.declarations?.[0];
        if (declaration !== undefined && isValueDeclaration(declaration)) return ofDeclaration(declaration);
        return nameHits(node.text, undefined, node);
      }
      if (isValueDeclaration(node)) return ofDeclaration(node);
      return NONE;
    }

    /** A parameter, binding element or variable: cached, since every read of it asks again. */
    function ofDeclaration(declaration: ts.ParameterDeclaration | ts.BindingElement | ts.VariableDeclaration): readonly SourceHit[] {
      let hits = declarationCache.get(declaration);
      if (hits === undefined) {
        hits = computeDeclaration(declaration);
        declarationCache.set(declaration, hits);
      }
      return hits;
    }

    function computeDeclaration(declaration: ts.ParameterDeclaration | ts.BindingElement | ts.VariableDeclaration): readonly SourceHit[] {
      const api: SourceHit[] = [];
      if (isParameter(declaration)) api.push(...apiOfDecorators(declaration));
      // A variable's initializer is a read the engine follows itself; a decorated parameter (`@Ip() ip`) or a
      // destructured source member (`const { ip } = req`) is not. Only those can be API sources: no resolving otherwise.
      const mayBeApiValue = isParameter(declaration)
        ? (ts.getDecorators(declaration)?.length ?? 0) > 0
        : isBindingElement(declaration) && index.sourceMemberNames.has(propertyNameText(declaration.propertyName ?? declaration.name) ?? "");
      if (mayBeApiValue && api.length === 0) api.push(...apiOfValue(resolver.ofDeclaration(declaration)));
      if (isBindingElement(declaration) && api.length === 0) {
        const keyed = apiOfKeyedBinding(declaration);
        if (keyed === LOCAL) return NONE;
        api.push(...keyed);
      }
      if (api.length > 0) return api;
      // `new LocalStrategy({ usernameField: "email" }, (username, password, done) => …)`: the library's option says
      // which datum the parameter holds, whatever it is called (named-parameters.ts)
      const named = isParameter(declaration) ? parameterNamedByOption(declaration, index, resolver) : undefined;
      if (named !== undefined) return nameHits(named.name, undefined, declaration).map((h) => ({ ...h, reason: `named ${named.reason}` }));
      // `const { ipAddress: host } = server`, `const { ips } = whitelist`, `const clientEmail =
      // serviceAccount.client_email`: a part of the operator's own, as its reads are
      if (isBindingElement(declaration) && destructuresOperatorsOwn(declaration, namesOwn)) return NONE;
      if (isVariableDeclaration(declaration) && isConstInitialisedWithOperatorsOwn(declaration, namesOwn)) return NONE;
      // `const email = \`testuser+${random}@example.com\``: an address at a domain reserved for examples and tests
      if (isVariableDeclaration(declaration) && isConstInitialisedWithReservedAddress(declaration)) return NONE;
      const nameNode = isBindingElement(declaration) ? (declaration.propertyName ?? declaration.name) : declaration.name;
      const name = propertyNameText(nameNode);
      if (name === undefined) return NONE;
      // `const DOCUMENSO_INTERNAL_EMAIL = { … }`, `const { SMTP_FROM_EMAIL } = env`: a constant or a setting by convention
      if (isConstantCase(name) && !isParameter(declaration)) return NONE;
      // `constructor(private readonly email: EmailService)`, `(email: EmailAdapter) => …`: a component (component-types.ts)
      if (!isBindingElement(declaration) && declaration.type !== undefined && isComponentType(declaration.type)) return NONE;
      // `const syncEmail = async () => { … }`: a function is code, whatever it does to what it is named after
      if (isVariableDeclaration(declaration) && declaration.initializer !== undefined && isFunctionValue(declaration.initializer)) return NONE;
      // `export const ZUserEmail = z.string().email()`: a schema describes an address, it holds none
      if (isVariableDeclaration(declaration) && declaration.initializer !== undefined && validators?.isSchema(declaration.initializer)) return NONE;
      // `const payload: EventPayload = { event, data }`, `const uniqueInviteEmails = { $setUnion: [...] }`: the engine
      // sees every field and element the literal writes, so neither the variable's name nor the declared type's
      // restricted fields (a union member this literal is not) add anything; a type named like a class still does
      if (isVariableDeclaration(declaration) && declaration.initializer !== undefined && isLiteralBuilt(declaration.initializer)) {
        return ownDeclaredHits(declaration);
      }
      // `const email = await prisma.email.findFirst()`: a row of a table named like a datum (a mail provider's settings),
      // or rows found by one; the engine classifies a row's fields by their own names and types where they are read
      // (`email.clientSecret` is none), so the variable's name does not make the whole row the datum
      if (isVariableDeclaration(declaration) && declaration.initializer !== undefined && answersRows !== undefined && holdsStoreRows(declaration.initializer, answersRows)) {
        return ownDeclaredHits(declaration);
      }
      const byName = nameHits(name, declaration, declaration);
      // `let skippedBlockedEmail = 0; … skippedBlockedEmail++`: a count of something named like a datum;
      // `const { ipAddress } = options.advanced`: a part of a group of settings
      if (byName.length === 0) return declaredHits(declaration);
      if ((isVariableDeclaration(declaration) && isCounter(declaration)) || holdsSettingsPart(declaration, name)) return NONE;
      // `export const confirmEmail = asyncWrapper(async (req, res) => { … })`: a handler the project's own wrapper
      // hands back is code, as one React's or lodash's does
      return isVariableDeclaration(declaration) && declaration.initializer !== undefined && isWrappedByProjectFunction(declaration.initializer) ? NONE : byName;
    }

    /**
     * A call of a function declared in the project that is handed a function and hands back a function in every
     * return (`asyncWrapper(fn)` returning `(req, res, next) => …`). Asked of the body, not of the declared return
     * type: without the dependencies installed, `RequestHandler` is a type the checker cannot read.
     */
    function isWrappedByProjectFunction(expression: ts.Expression): boolean {
      const call = skipOuterExpressions(expression);
      if (!isCallExpression(call) || !call.arguments.some((argument) => isFunctionValue(argument))) return false;
      const callee = skipOuterExpressions(call.expression);
      const name = isPropertyAccessExpression(callee) ? callee.name : callee;
      const declarations = symbolThroughImports(resolver.checker(), name)?.declarations ?? [];
      return declarations.some((d) => isProjectSourceFile(d.getSourceFile()) && returnsFunctionOnly(d));
    }

    return classify;
  }

  /**
   * What the checker says of a value that matched, asked only once a name or declaration has matched, so rarely:
   *  - a value whose type is a literal or a union of literals — an enum member (`AuthProvider.EMAIL`), a `const`
   *    holding a string (`const INVALID_EMAIL = "team/invalid_email"`), a field typed `"email" | "sms"` — is written in
   *    the code, so it is no user's data whatever its name;
   *  - a value whose type is a group of settings (settings-types.ts) or a message (message-types.ts) is not the datum
   *    its name says.
   */
  function byTypeAt(node: ts.Node, hits: readonly SourceHit[]): readonly SourceHit[] {
    // hits only at fields of a declaration typed as a project class or interface: no literal, and settings are not
    // asked of field hits
    if (hits.every((h) => h.path !== undefined) && isValueDeclaration(node) && declaresProjectObject(node)) return hits;
    const at = isValueDeclaration(node) ? node.name : node;
    const checker = resolver.checker();
    const type = checker.getTypeAtLocation(at);
    if (isConstantType(type)) return NONE;
    // `config.email: IEmailOption`, `const { email } = config`: a group of settings, whatever it is called; hits on
    // its fields (a path) are the fields' own and stay
    // `addEmail: SendEmail` with a subject and an HTML part: an e-mail to send, not an address (message-types.ts)
    if (hits.every((h) => h.path !== undefined) || !isSettingsGroupType(checker, type) && !isMessageType(checker, type)) return hits;
    const fields = hits.filter((h) => h.path !== undefined);
    return fields.length > 0 ? fields : NONE;
  }

  /**
   * Whether the checker would type this declaration's name as a project class or interface (with `undefined` when
   * optional), known from its annotation: a parameter or a `let`/`const` (a `var` may take another declaration's type)
   * annotated with a type name without arguments that names only project classes and interfaces without type
   * parameters. A declaration's name is not narrowed, so its type is the annotation's, an object type; the type name's
   * symbol is the one the declared hits already resolved (typeSymbol). On a generated gateway's 50k-line scan this
   * answers the 2,753 parameters like `v: Account1Dto` whose hits are their type's restricted fields.
   */
  function declaresProjectObject(declaration: ts.ParameterDeclaration | ts.BindingElement | ts.VariableDeclaration): boolean {
    if (isBindingElement(declaration) || !isIdentifier(declaration.name)) return false;
    if (isVariableDeclaration(declaration) && (declaration.parent.flags & ts.NodeFlags.BlockScoped) === 0) return false;
    const type = declaration.type;
    if (type === undefined || !isTypeReferenceNode(type) || type.typeArguments !== undefined) return false;
    const declarations = typeSymbol(type.typeName)?.declarations;
    return declarations !== undefined && declarations.length > 0 && declarations.every((d) =>
      (isClassDeclaration(d) || isInterfaceDeclaration(d)) && d.typeParameters === undefined && isProjectSourceFile(d.getSourceFile()));
  }

  /**
   * Whether a receiver is a third-party package's export itself, as imported (`Validators` of `@angular/forms`,
   * `faker`, `import * as z from "zod"`): its members are the library's API — validator functions, generator modules,
   * schema builders — never a user's datum, whatever they are called (`Validators.email`, `faker.phone`). A model row
   * still makes one a source (apiOfMember asks first); what such an export returns or holds once called is not this.
   */
  function unlessPackageApi(receiver: ts.Expression, hits: readonly SourceHit[]): readonly SourceHit[] {
    // asked only once a name matched: most reads never reach the checker
    return hits.length > 0 && isPackageExport(receiver) ? NONE : hits;
  }

  /** `EXAMPLE_ACCOUNT.email`, `this.gitAuthorUserEmail`: a literal the code wrote (written-in-code.ts); asked once a name matched. */
  function unlessWrittenInCode(receiver: ts.Expression, name: string, hits: readonly SourceHit[]): readonly SourceHit[] {
    return hits.length > 0 && readsValueWrittenInCode(receiver, name, () => resolver.checker()) ? NONE : hits;
  }

  /**
   * `const { driverName } = config.emails`, `config.intakeEmails.webhookSecret`: a member of a group of settings named
   * like a datum whose read is used only for members of its own (readForMembers) is a group of settings itself, named
   * after its subject — Papra's `config.emails` holds the sender, the driver's name and the drivers' settings. An
   * address has no `driverName`. The receiver is the server's configuration by its own name or its declared type's
   * (`config`, `this.settings`, `Config`; without the dependencies installed a configuration library's parsed type is
   * unknown), not a call's options (`SendOptions { phone: { number } }`). `user.emails` and `config.emails.map(…)` keep
   * what their names say. Asked only once a name matched.
   */
  function unlessSettingsGroup(read: ts.PropertyAccessExpression, hits: readonly SourceHit[]): readonly SourceHit[] {
    if (hits.length === 0 || !readForMembers(read)) return hits;
    const receiver = skipOuterExpressions(read.expression);
    const name = isIdentifier(receiver) ? receiver.text : isPropertyAccessExpression(receiver) ? receiver.name.text : undefined;
    if (name !== undefined && isConfigurationName(name)) return NONE;
    const type = resolver.checker().getTypeAtLocation(receiver);
    const typeName = type.aliasSymbol?.getName() ?? type.getSymbol()?.getName();
    return typeName !== undefined && isConfigurationName(typeName) ? NONE : hits;
  }

  function isPackageExport(receiver: ts.Expression): boolean {
    const inner = skipOuterExpressions(receiver);
    if (!isIdentifier(inner)) return false;
    const declaration = resolver.checker().getSymbolAtLocation(inner)?.declarations?.[0];
    if (declaration === undefined || !(isImportSpecifier(declaration) || isImportClause(declaration) || isNamespaceImport(declaration))) return false;
    return resolver.ofExpression(inner)?.kind === "external";
  }

  function firstOf(first: readonly SourceHit[], rest: () => readonly SourceHit[]): readonly SourceHit[] {
    return first.length > 0 ? first : rest();
  }

  function byNameOrDeclaration(name: string, nameNode: ts.Node, receiver: ts.Expression): readonly SourceHit[] {
    // The declaration is asked for only when the name matched and some declaration of that name says `boolean` (is it
    // a flag?) or is a part of a group of settings, or when some declaration of a member of that name could classify
    // it. All are cheap syntactic pre-passes (restricted-members.ts): most reads never reach the checker.
    const byName = matcher.byName(name, { fileNames: namesIn(nameNode) });
    if (byName.length > 0) {
      if (readsSettingsPart(name, () => declarationsOf(nameNode), receiver)) return NONE;
      if (!mayBeFlag(name)) return byName;
      const declaration = declarationOf(nameNode);
      // `setupPageRoute(app, "/confirm/:code", [], controllers.confirmEmail)`: a member declared as a function, read
      // as a value (a route's handler, a hook's method), is code, not the datum its name says; called, it is the call
      if (declaration !== undefined && declaresFunction(declaration) && !isCallee(nameNode)) return NONE;
      // `this.email?.name` of Payload's `email!: InitializedEmailAdapter`, a service's `this.email: EmailService`: a
      // component the program calls through, not an address (component-types.ts)
      if (declaration !== undefined && declaresComponent(declaration) && !isCallee(nameNode)) return NONE;
      // `settings.jellyfin.ip`, `config.general.correspondenceEmail`: a setting of the server (declaresServerSetting)
      if (declaration !== undefined && declaresServerSetting(declaration)) return NONE;
      return nameHits(name, declaration, nameNode);
    }
    if (!memberNames().restricted.has(name)) return NONE;
    const declaration = declarationOf(nameNode);
    return declaration !== undefined ? declaredHits(declaration) : NONE;
  }

  /**
   * A read whose member is declared as a part of a group of settings, not the datum it is named after:
   *  - a sub-group (isSettingsSubgroup): better-auth's `options.advanced.ipAddress` is `{ ipAddressHeaders,
   *    trustedProxies, … }`, which headers hold the client's address and which proxies to trust;
   *  - a value of a field-name mapping (isFieldNameMapping): `options.user.fields.email` is the column name the
   *    library's user may rename the `email` column to. The mapping's keys have no declarations of their own (a mapped
   *    type's), or the model's field's (`keyof Invitation`), so the receiver's declaration decides.
   * `declarations` are the read member's (every one must say so), `receiver` what it is read from. Asked only of a
   * name that matched, and only when the member index says some declaration of the member's name (or of the
   * receiver's) is declared in a group of settings with an object or mapped type.
   */
  function readsSettingsPart(name: string, declarations: () => readonly ts.Node[], receiver: ts.Expression | undefined): boolean {
    const parts = memberNames().settingsParts;
    if (parts.has(name) && everyOne(declarations(), isSettingsSubgroup)) return true;
    // `const { ip, port } = settings.jellyfin`: a setting of the server (declaresServerSetting)
    if (memberNames().flags.has(name) && everyOne(declarations(), declaresServerSetting)) return true;
    if (receiver === undefined) return false;
    const mapping = memberBehind(receiver);
    return mapping !== undefined && parts.has(mapping.name) && namesFieldMapping(mapping.name) && everyOne(mapping.declarations(), isFieldNameMapping);
  }

  /**
   * The member a receiver holds, by name, with its declarations: `options.user.fields` read right there, or a constant
   * holding it (`const { fields } = options.user`, `const fields = options.user.fields`). A variable is looked up only
   * when it is itself named as a field-name mapping.
   */
  function memberBehind(receiver: ts.Expression): { name: string; declarations: () => readonly ts.Node[] } | undefined {
    const inner = skipOuterExpressions(receiver);
    if (isPropertyAccessExpression(inner)) return { name: inner.name.text, declarations: () => declarationsOf(inner.name) };
    if (!isIdentifier(inner) || !namesFieldMapping(inner.text)) return undefined;
    const local = declarationOf(inner);
    if (local !== undefined && isBindingElement(local)) {
      const name = propertyNameText(local.propertyName ?? local.name);
      return name === undefined ? undefined : { name, declarations: () => boundMemberDeclarations(local, name) };
    }
    if (local === undefined || !isVariableDeclaration(local) || local.initializer === undefined || (local.parent.flags & ts.NodeFlags.Const) === 0) return undefined;
    const initializer = skipOuterExpressions(local.initializer);
    return isPropertyAccessExpression(initializer) ? { name: initializer.name.text, declarations: () => declarationsOf(initializer.name) } : undefined;
  }

  /**
   * A variable named like a datum that holds a part of a group of settings (readsSettingsPart): bound out of the group
   * (`const { ipAddress } = options.advanced`, `const { email } = options.user.fields`) or a constant initialised with
   * the read (`const email = options.user.fields.email`). What it holds says what it is, as a counter's steps do.
   */
  function holdsSettingsPart(declaration: ts.ParameterDeclaration | ts.BindingElement | ts.VariableDeclaration, name: string): boolean {
    if (isBindingElement(declaration)) {
      const pattern = declaration.parent;
      const source = isVariableDeclaration(pattern.parent) ? pattern.parent.initializer : undefined;
      return readsSettingsPart(name, () => boundMemberDeclarations(declaration, name), source && withoutEmptyFallback(source));
    }
    if (!isVariableDeclaration(declaration) || declaration.initializer === undefined || (declaration.parent.flags & ts.NodeFlags.Const) === 0) return false;
    const read = skipOuterExpressions(declaration.initializer);
    if (isPropertyAccessExpression(read)) return readsSettingsPart(read.name.text, () => declarationsOf(read.name), read.expression);
    if (!isElementAccessExpression(read)) return false;
    const key = skipOuterExpressions(read.argumentExpression);
    return isStringLiteralLike(key) && readsSettingsPart(key.text, () => declarationsOf(key), read.expression);
  }

  /** The declarations of the member a binding element takes out of an object, in each alternative of its type. */
  function boundMemberDeclarations(binding: ts.BindingElement, name: string): readonly ts.Node[] {
    if (binding.parent.kind !== Kind.ObjectBindingPattern) return [];
    const source = resolver.checker().getTypeAtLocation(binding.parent);
    return (source.isUnion() ? source.types : [source]).flatMap((t) => t.getProperty(name)?.declarations ?? []);
  }

  function declarationsOf(nameNode: ts.Node): readonly ts.Node[] {
    return resolver.checker().getSymbolAtLocation(nameNode)?.declarations ?? [];
  }

  /**
   * `fields?: Partial<Record<Exclude<Keys, "id">, string>>` inside `BetterAuthDBOptions`: a member of a group of settings
   * named as a field or column mapping whose type maps a set of names to strings renames those fields; each value is a
   * column name, nobody's datum.
   */
  function isFieldNameMapping(member: ts.Node): boolean {
    const type = (member as { type?: ts.TypeNode }).type;
    if (type === undefined || !declaredInSettingsGroup(member)) return false;
    return mapsNamesToText(type, (typeName) => {
      const alias = typeDeclarations(typeName).find(isTypeAliasDeclaration);
      return alias !== undefined && alias.typeParameters === undefined ? alias.type : undefined;
    });
  }

  /** Whether a declaration the checker could find for this member name may be typed `boolean`. */
  function mayBeFlag(name: string): boolean {
    const index = memberNames();
    return !index.flagsComplete || index.flags.has(name);
  }

  /** The member read is the callee of a call (`user.email()`), not a value read. */
  function isCallee(nameNode: ts.Node): boolean {
    const access = outermostWrapper(nameNode.parent);
    return isCallExpression(access.parent) && outermostWrapper(access.parent.expression) === access;
  }

  /** The member's first declaration: from the class's own body for a `this.name` read it declares (this-members.ts), else the checker's. */
  function declarationOf(nameNode: ts.Node): ts.Declaration | undefined {
    return ownMemberDeclaration(nameNode) ?? resolver.checker().getSymbolAtLocation(nameNode)?.declarations?.[0];
  }

  /**
   * Name tokens, with the declared primitive type as a hint (`phoneVerified: boolean` is a flag, not a phone number)
   * and the words of the file the name is at (`at`), which a paired name's partner must be among.
   */
  function nameHits(name: string, declaration: ts.Node | undefined, at: ts.Node): readonly SourceHit[] {
    if (declaration !== undefined && constructsProjectObject(declaration)) return NONE;
    const type = declaration !== undefined ? (declaration as { type?: ts.TypeNode }).type : undefined;
    const fileNames = namesIn(at);
    const hits = matcher.byName(name, type !== undefined ? { declaredType: primitiveOf(type), fileNames } : { fileNames });
    return hits.length > 0 ? hits : NONE;
  }

  /** Whether the file of `at` names one of the words (a paired name's partners). */
  function namesIn(at: ts.Node): (words: readonly string[]) => boolean {
    return (words) => {
      const inFile = fileWords(at.getSourceFile());
      return words.some((w) => inFile.has(w));
    };
  }

  /**
   * A field or variable without an annotation that holds an object of one of the project's classes, constructed right
   * there: an SDK client's resource clients (`readonly emails = new Emails(this)`, as Resend's, Stripe's and useSend's
   * clients build theirs), a service's helper. The engine analyses the class's constructor and sees every datum put
   * into the object, as it sees a literal's fields (isLiteralBuilt), so the name — what the part is for — adds nothing;
   * were it taken as an address, every call through the part would carry the client itself as one. A built-in
   * collection (`seenEmails = new Set<string>()`) or a package's class, whose insides the engine does not see, keeps
   * its name.
   */
  function constructsProjectObject(declaration: ts.Node): boolean {
    if (!isPropertyDeclaration(declaration) && !isVariableDeclaration(declaration)) return false;
    if (declaration.type !== undefined || declaration.initializer === undefined) return false;
    const created = skipOuterExpressions(declaration.initializer);
    if (!isNewExpression(created) || !isIdentifier(created.expression)) return false;
    const classes = typeDeclarations(created.expression);
    return classes.length > 0 && classes.every((d) => isClassDeclaration(d));
  }

  /**
   * Declared type names (aliases followed) and JSDoc tags of a declaration; failing those, the restricted fields of
   * its declared type (`user: User` with `User.phone`), as hits with a path.
   */
  function declaredHits(declaration: ts.Node): readonly SourceHit[] {
    const own = ownDeclaredHits(declaration);
    if (own.length > 0) return own;
    if (holdsOperatorsOwn(declaration, namesOwn)) return NONE;
    const type = (declaration as { type?: ts.TypeNode }).type ?? assertedType(declaration);
    if (type === undefined || !isTypeNode(type)) return NONE;
    const fields = fieldHitsOfType(type, 0);
    return fields.length > 0 || validators === undefined ? fields : validators.derivedTypeHits(type);
  }

  /**
   * A variable without an annotation whose initializer asserts a type declares it that way: `const event = job.data
   * as Event` (a queue message, a parsed body) holds an `Event`, with the restricted fields an `Event` has.
   */
  function assertedType(declaration: ts.Node): ts.TypeNode | undefined {
    if (!isVariableDeclaration(declaration) || declaration.initializer === undefined) return undefined;
    let initializer: ts.Expression = declaration.initializer;
    while (isParenthesizedExpression(initializer) || isAwaitExpression(initializer)) initializer = initializer.expression;
    return isAsExpression(initializer) || isTypeAssertionExpression(initializer) ? initializer.type : undefined;
  }

  function ownDeclaredHits(declaration: ts.Node): readonly SourceHit[] {
    const hits: SourceHit[] = [];
    const type = (declaration as { type?: ts.TypeNode }).type ?? assertedType(declaration);
    if (usesTypes && type !== undefined && isTypeNode(type)) {
      for (const name of typeNames(type)) hits.push(...matcher.byTypeName(name));
    }
    if (usesTags && hits.length === 0) {
      for (const tag of jsDocTags(declaration)) {
        hits.push(...matcher.byJsDocTag(tag.tagName.text, ts.getTextOfJSDocComment(tag.comment)));
      }
    }
    if (hits.length === 0 && validators !== undefined) hits.push(...validators.decoratorHits(declaration));
    // `interface EmailEvent { from: string; to: string[]; subject: string }`: an envelope's recipients, by their siblings
    // (an address is text: `to: number` beside them is a range's end, however its shape is named)
    const primitive = type !== undefined && isTypeNode(type) ? primitiveOf(type) : "other";
    if (hits.length === 0 && primitive !== "number" && primitive !== "boolean" && (isPropertySignature(declaration) || isPropertyDeclaration(declaration))) {
      const name = propertyNameText(declaration.name);
      if (name !== undefined) hits.push(...matcher.bySiblings(name, (sibling) => shapeDeclares(declaration, sibling)));
    }
    return hits.length > 0 ? dedupe(hits) : NONE;
  }

  /** Restricted fields of a declared object type, `path` naming where each sits (`["contact", "phone"]`). */
  function fieldHitsOfType(type: ts.TypeNode, depth: number): readonly SourceHit[] {
    if (depth >= MAX_FIELD_DEPTH) return NONE;
    const hits: SourceHit[] = [];
    for (const members of memberListsOf(type)) {
      let cached = memberCache.get(members);
      if (cached === undefined) {
        memberCache.set(members, NONE); // a recursive type (`parent: User`) contributes nothing the second time round
        cached = fieldHitsOfMembers(members, depth);
        memberCache.set(members, cached);
      }
      hits.push(...cached);
    }
    return hits.length > 0 ? hits : NONE;
  }

  function fieldHitsOfMembers(members: readonly ts.Node[], depth: number): readonly SourceHit[] {
    const hits: SourceHit[] = [];
    for (const member of members) {
      const name = memberName(member);
      if (name === undefined || isOrmRelation(member) || holdsOperatorsOwn(member, namesOwn) || declaresServerSetting(member) || declaresComponent(member)) continue;
      let own = nameHits(name, member, member);
      if (own.length > 0 && (describedByItsType(member) || isSettingsSubgroup(member))) own = NONE;
      if (own.length === 0) own = ownDeclaredHits(member);
      if (own.length > 0) {
        for (const hit of own) hits.push({ dataClass: hit.dataClass, reason: fieldReason(name, hit.reason), path: [name, ...(hit.path ?? [])] });
        continue;
      }
      const memberType = (member as { type?: ts.TypeNode }).type;
      if (memberType === undefined) continue;
      for (const hit of fieldHitsOfType(memberType, depth + 1)) hits.push({ ...hit, path: [name, ...(hit.path ?? [])] });
    }
    return hits.length > 0 ? hits : NONE;
  }

  /**
   * `ipAddress?: { ipAddressHeaders?: string[]; disableIpTracking?: boolean }` inside `BetterAuthAdvancedOptions`: a
   * member of a group of settings whose own type is an object without a member named like a datum configures how the
   * datum is handled; it holds none. An address, a number or an identifier is a string, and an object that is a datum
   * (a place) has members that say so (`lat`, `lng`). What the sub-group's members are named is still read as usual.
   * A member named in CONSTANT_CASE is a setting by convention, as a constant is, wherever it is declared: evolution-api's
   * `Env` holds `CONFIG_SESSION_PHONE: { CLIENT: string; NAME: string }`, the name its WhatsApp session shows on the
   * phone, and every setting read out of it carried a phone number.
   */
  function isSettingsSubgroup(member: ts.Node): boolean {
    const type = (member as { type?: ts.TypeNode }).type;
    if (type === undefined || !(declaredInSettingsGroup(member) || isConstantCase(memberName(member) ?? "")) || !onlyObjectAlternatives(type)) return false;
    const lists = memberListsOf(type);
    if (lists.length === 0) return false;
    return lists.every((members) => members.length > 0 && members.every((inner) => {
      const name = memberName(inner);
      return name === undefined || nameHits(name, inner, inner).length === 0;
    }));
  }

  /** Whether every alternative of a type is an object type (or absent): `string | { … }` may be the datum itself. */
  function onlyObjectAlternatives(type: ts.TypeNode): boolean {
    if (isUnionTypeNode(type)) return type.types.every(onlyObjectAlternatives);
    if (isParenthesizedTypeNode(type)) return onlyObjectAlternatives(type.type);
    if (type.kind === Kind.UndefinedKeyword || type.kind === Kind.LiteralType && (type as ts.LiteralTypeNode).literal.kind === Kind.NullKeyword) return true;
    if (isTypeLiteralNode(type)) return true;
    if (!isTypeReferenceNode(type) || type.typeArguments !== undefined) return false;
    const declarations = typeDeclarations(type.typeName);
    return declarations.length > 0 && declarations.every((d) => isInterfaceDeclaration(d) || isTypeAliasDeclaration(d) && isTypeLiteralNode(d.type));
  }

  /**
   * `email: IEmailOption` inside `IUnleashConfig`, `email: OutgoingEmail` inside a job: a field that is a group of
   * settings or a message is not its name's datum.
   */
  function describedByItsType(member: ts.Node): boolean {
    const type = (member as { type?: ts.TypeNode }).type;
    if (type === undefined || !isTypeReferenceNode(type) && !isUnionTypeNode(type) && !isArrayTypeNode(type) && !isTypeLiteralNode(type)) return false;
    const checker = resolver.checker();
    const declared = checker.getTypeFromTypeNode(type);
    return isSettingsGroupType(checker, declared) || isMessageType(checker, declared);
  }

  /** The member lists an object type is made of: a type literal, a project interface/class/alias, unions, arrays (`[]`). */
  function memberListsOf(root: ts.TypeNode): (readonly ts.Node[])[] {
    const lists: (readonly ts.Node[])[] = [];
    const pending: ts.TypeNode[] = [root];
    let steps = 0;
    while (pending.length > 0 && steps++ < 16) {
      const type = pending.pop()!;
      if (isTypeLiteralNode(type)) lists.push(type.members);
      else if (isUnionTypeNode(type) || isIntersectionTypeNode(type)) pending.push(...type.types);
      else if (isParenthesizedTypeNode(type)) pending.push(type.type);
      else if (isTypeReferenceNode(type)) {
        for (const declaration of typeDeclarations(type.typeName)) {
          if (isInterfaceDeclaration(declaration)) lists.push(declaration.members);
          else if (isClassDeclaration(declaration)) lists.push(classFields(declaration));
          else if (isTypeAliasDeclaration(declaration)) pending.push(declaration.type);
        }
      }
    }
    return lists;
  }

  function typeDeclarations(name: ts.EntityName): readonly ts.Declaration[] {
    return (typeSymbol(name)?.declarations ?? []).filter((d) => isProjectSourceFile(d.getSourceFile()));
  }

  /**
   * The symbol a type name refers to, imports followed: kept per name node. The same type names are asked again and
   * again — every read of a member declared `contact: Contact` walks `Contact` (typeNames, memberListsOf), and both
   * walks ask of the same names — while the checker resolves a name anew at each question (on outline 14,241
   * questions of 3,300 names).
   */
  function typeSymbol(name: ts.EntityName): ts.Symbol | undefined {
    if (typeSymbols.has(name)) return typeSymbols.get(name);
    const symbol = symbolThroughImports(resolver.checker(), name);
    typeSymbols.set(name, symbol);
    return symbol;
  }

  function typeNames(root: ts.TypeNode): string[] {
    const names: string[] = [];
    const pending: { type: ts.TypeNode; aliasSteps: number }[] = [{ type: root, aliasSteps: 0 }];
    while (pending.length > 0) {
      const { type, aliasSteps } = pending.pop()!;
      if (isUnionTypeNode(type) || isIntersectionTypeNode(type)) {
        for (const member of type.types) pending.push({ type: member, aliasSteps });
      } else if (isArrayTypeNode(type)) {
        pending.push({ type: type.elementType, aliasSteps });
      } else if (isParenthesizedTypeNode(type)) {
        pending.push({ type: type.type, aliasSteps });
      } else if (isTypeReferenceNode(type)) {
        names.push(lastName(type.typeName));
        if (aliasSteps < MAX_ALIAS_STEPS) {
          const aliased = aliasedType(type.typeName);
          if (aliased !== undefined) pending.push({ type: aliased, aliasSteps: aliasSteps + 1 });
        }
      }
    }
    return names;
  }

  /** `type Msisdn = PhoneNumber`: the aliased type node, through imports. */
  function aliasedType(name: ts.EntityName): ts.TypeNode | undefined {
    return typeSymbol(name)?.declarations?.find(isTypeAliasDeclaration)?.type;
  }

  /** `req.ip` (a value row) or `req.headers["x-forwarded-for"]` / `req.headers.forwarded` (a keyed row). */
  function apiOfMember(node: ts.Expression, object: ts.Expression, member: string): readonly SourceHit[] {
    const lower = member.toLowerCase();
    if (index.sourceMemberNames.has(member)) {
      const value = resolver.ofExpression(node);
      const hits = apiOfValue(value);
      if (hits.length > 0) return ofRemoteClient(hits, object);
      // `{ ...req.headers }`, `log({ headers: req.headers })`: the whole header object holds its forwarding headers
      if (value?.kind === "external" && readWhole(node)) {
        const whole = wholeKeyedHits(index.sources(value.key));
        if (whole.length > 0) return ofRemoteClient(whole, object);
      }
    }
    if (index.sourceKeys.has(lower)) {
      const base = resolver.ofExpression(object);
      if (base?.kind === "external") return ofRemoteClient(keyedHits(index.sources(base.key), lower), object);
    }
    return NONE;
  }

  /**
   * A request's sources, unless it is a request to a server only this machine can reach (loopback-servers.ts): then
   * LOCAL, which also keeps the member's name (`remoteAddress`, `x-forwarded-for`) from classifying it.
   */
  function ofRemoteClient(hits: readonly SourceHit[], request: ts.Expression): readonly SourceHit[] {
    return hits.length > 0 && loopback?.servesLoopbackOnly(request) ? LOCAL : hits;
  }

  function apiOfValue(value: ReturnType<ProvenanceResolver["ofExpression"]>): readonly SourceHit[] {
    if (value?.kind !== "external") return NONE;
    const hits: SourceHit[] = [];
    for (const row of index.sources(value.key)) {
      // `req.geo` with `fields: [latitude]`: the member's value holds the class at those fields only
      if (row.keys === undefined) hits.push({ dataClass: row.dataClass, reason: reasonOf(row), ...(row.fields ? { path: row.fields } : {}) });
    }
    return hits;
  }

  /** `const { "x-forwarded-for": xff } = req.headers`. */
  function apiOfKeyedBinding(element: ts.BindingElement): readonly SourceHit[] {
    const key = propertyNameText(element.propertyName ?? element.name)?.toLowerCase();
    if (key === undefined || !index.sourceKeys.has(key)) return NONE;
    const holder = element.parent.parent;
    const base = isVariableDeclaration(holder) && holder.initializer ? resolver.ofExpression(holder.initializer)
      : isParameter(holder) || isBindingElement(holder) ? resolver.ofDeclaration(holder) : undefined;
    if (base?.kind !== "external") return NONE;
    const hits = keyedHits(index.sources(base.key), key);
    return isVariableDeclaration(holder) && holder.initializer ? ofRemoteClient(hits, holder.initializer) : hits;
  }

  /** NestJS `@Headers("x-forwarded-for") xff`: a decorator call with a key. (`@Ip()` resolves as the parameter's value.) */
  function apiOfDecorators(parameter: ts.ParameterDeclaration): readonly SourceHit[] {
    for (const decorator of ts.getDecorators(parameter) ?? []) {
      const call = decorator.expression;
      if (!isCallExpression(call)) continue;
      const hits = sourceOfCall(call);
      if (hits.length > 0) return hits;
    }
    return NONE;
  }

  /** A call that reads a restricted value: `req.get("x-forwarded-for")`, `req.header("X-Real-IP")`. */
  function sourceOfCall(call: ts.CallExpression): readonly SourceHit[] {
    const callee = resolver.ofExpression(call.expression);
    if (callee?.kind !== "external") return NONE;
    return sourceCallHits(index.sources(callee.key), call.arguments);
  }
}

/**
 * What a source call's result holds: every row without keys (a directory API's user records hold e-mail addresses at
 * one field and phone numbers at another: one row each, so all of them), or the first keyed row whose key the call
 * names in the row's key argument (`req.get("x-forwarded-for")`, h3's `getHeader(event, "x-real-ip")`).
 */
export function sourceCallHits(rows: readonly SourceRow[], args: readonly ts.Expression[]): readonly SourceHit[] {
  const hits: SourceHit[] = [];
  for (const row of rows) {
    if (row.keys === undefined) {
      hits.push({ dataClass: row.dataClass, reason: reasonOf(row), ...(row.fields ? { path: row.fields } : {}) });
      continue;
    }
    const key = keyNamed(args[row.keyArgument ?? 0]);
    if (key !== undefined && hits.length === 0 && row.keys.includes(key)) return [{ dataClass: row.dataClass, reason: `${reasonOf(row)} \`${key}\`` }];
  }
  return hits;
}

/** The key a string-literal argument names, lower-cased. */
function keyNamed(argument: ts.Expression | undefined): string | undefined {
  const inner = argument !== undefined ? skipOuterExpressions(argument) : undefined;
  return inner !== undefined && isStringLiteralLike(inner) ? inner.text.toLowerCase() : undefined;
}

/**
 * A header-style row's object read whole (`req.headers`): each key it names holds the row's class at that field, so
 * the object passed, spread or logged leaks them and `req.headers.authorization` does not.
 */
function wholeKeyedHits(rows: readonly SourceRow[]): readonly SourceHit[] {
  const hits: SourceHit[] = [];
  for (const row of rows) {
    for (const key of row.keys ?? []) hits.push({ dataClass: row.dataClass, reason: `${reasonOf(row)} \`${key}\``, path: [key] });
  }
  return hits;
}

/** Whether a member read is the value itself, not the object of a further read or the callee of a call. */
function readWhole(node: ts.Expression): boolean {
  const current = outermostWrapper(node);
  const parent = current.parent;
  if ((isPropertyAccessExpression(parent) || isElementAccessExpression(parent)) && parent.expression === current) return false;
  if ((isCallExpression(parent) || isNewExpression(parent)) && parent.expression === current) return false;
  return true;
}

function keyedHits(rows: readonly SourceRow[], key: string): readonly SourceHit[] {
  const hits: SourceHit[] = [];
  for (const row of rows) {
    if (row.keys?.includes(key)) hits.push({ dataClass: row.dataClass, reason: `${reasonOf(row)} \`${key}\`` });
  }
  return hits;
}

/** A hit on a field, said of the object: "its field `email` is named like …", nested fields as one path. */
function fieldReason(field: string, reason: string): string {
  const nested = reason.match(/^its field `([^`]*)` is (.*)$/s);
  return nested ? `its field \`${field}.${nested[1]}\` is ${nested[2]}` : `its field \`${field}\` is ${reason}`;
}

function reasonOf(row: SourceRow): string {
  return row.label ?? `\`${defaultLabel(row.access)}\``;
}

const CONSTANT_TYPE_FLAGS = ts.TypeFlags.StringLiteral | ts.TypeFlags.NumberLiteral | ts.TypeFlags.BigIntLiteral |
  ts.TypeFlags.BooleanLiteral | ts.TypeFlags.EnumLiteral | ts.TypeFlags.Undefined | ts.TypeFlags.Null;

/** A literal type, or a union of them (`boolean` is `true | false`); not when every member is only undefined or null. */
function isConstantType(type: ts.Type): boolean {
  const members = type.isUnion() ? type.types : [type];
  let literal = false;
  for (const member of members) {
    if ((member.flags & CONSTANT_TYPE_FLAGS) === 0) return false;
    if ((member.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) === 0) literal = true;
  }
  return literal;
}

function primitiveOf(type: ts.TypeNode): "boolean" | "number" | "string" | "other" {
  if (type.kind === Kind.BooleanKeyword) return "boolean";
  if (type.kind === Kind.NumberKeyword) return "number";
  if (type.kind === Kind.StringKeyword) return "string";
  return "other";
}

function memberName(member: ts.Node): string | undefined {
  if (isPropertySignature(member) || isPropertyDeclaration(member) || isParameter(member)) return propertyNameText(member.name);
  return undefined;
}

/**
 * A member or variable that is the operator's own by its name or its declared type's: an allow- or deny-list
 * (`whitelist?: OutboundUrlValidationWhitelist`), whose fields (`hosts`, `ips`) are the operator's configuration
 * (namesOperatorList), or one of the operator's machines (`server: Server`, `proxy`), whose address is the machine's
 * (namesOperatorsMachine).
 */
function holdsOperatorsOwn(member: ts.Node, namesOwn: NameTest): boolean {
  const nameNode = (member as { name?: ts.Node }).name;
  const name = nameNode !== undefined ? propertyNameText(nameNode) : undefined;
  if (name !== undefined && namesOwn(name)) return true;
  const type = (member as { type?: ts.TypeNode }).type;
  return type !== undefined && isTypeReferenceNode(type) && namesOwn(lastName(type.typeName));
}

/**
 * A read off the operator's own (`options.whitelist.ips`, `allowlist["emails"]`, dokploy's `server.ipAddress`): the
 * receiver's own name says so.
 */
function readsOperatorsOwn(receiver: ts.Expression, namesOwn: NameTest): boolean {
  const inner = skipOuterExpressions(receiver);
  const name = isPropertyAccessExpression(inner) ? inner.name.text : isIdentifier(inner) ? inner.text : undefined;
  return name !== undefined && namesOwn(name);
}

/**
 * A binding element of a pattern that destructures the operator's own: the pattern's initializer is a read of it
 * (`const { ipAddress: host } = server`), or the pattern is a parameter, variable or outer element so named or typed
 * (`({ ipAddress }: Server) => …`, `const { server: { ipAddress } } = deployment`).
 */
function destructuresOperatorsOwn(element: ts.BindingElement, namesOwn: NameTest): boolean {
  const holder = element.parent.parent;
  if (isBindingElement(holder)) {
    const name = propertyNameText(holder.propertyName ?? holder.name);
    return name !== undefined && namesOwn(name);
  }
  if (isVariableDeclaration(holder) && holder.initializer !== undefined && readsOperatorsOwn(holder.initializer, namesOwn)) return true;
  return holdsOperatorsOwn(holder, namesOwn);
}

/** `const clientEmail = serviceAccountInfo.client_email`: a `const` set to a member read off the operator's own. */
function isConstInitialisedWithOperatorsOwn(declaration: ts.VariableDeclaration, namesOwn: NameTest): boolean {
  if (declaration.initializer === undefined || (declaration.parent.flags & ts.NodeFlags.Const) === 0) return false;
  const read = skipOuterExpressions(declaration.initializer);
  return (isPropertyAccessExpression(read) || isElementAccessExpression(read)) && readsOperatorsOwn(read.expression, namesOwn);
}

function isConstInitialisedWithReservedAddress(declaration: ts.VariableDeclaration): boolean {
  return declaration.initializer !== undefined && (declaration.parent.flags & ts.NodeFlags.Const) !== 0 && writesReservedAddress(declaration.initializer);
}

/** A test of a name, answered once per name and run (name-answers.ts): `namesOwn` is namesOperatorsOwn's. */
type NameTest = (name: string) => boolean;

function namesOperatorsOwn(name: string): boolean {
  return namesOperatorList(name) || namesOperatorsMachine(name);
}

/** The last name of `A.B.C` (`C`): how a type is named where it is declared. */
function lastName(name: ts.EntityName): string {
  return isIdentifier(name) ? name.text : name.right.text;
}

/**
 * An ORM relation (`@BelongsTo(() => User) createdBy: User`, TypeORM's and MikroORM's `@ManyToOne`, `@OneToMany`, …): the
 * related rows are there only when a query asks for them (an include, a join), so a value of the entity's type is not
 * taken to hold them — `document: Document` does not carry `document.collection.user.email`. A read of the relation
 * (`document.createdBy.email`) is still classified by its own names.
 */
function isOrmRelation(member: ts.Node): boolean {
  if (!ts.canHaveDecorators(member)) return false;
  for (const decorator of ts.getDecorators(member) ?? []) {
    const call = decorator.expression;
    const callee = isCallExpression(call) ? call.expression : call;
    const name = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : undefined;
    if (name !== undefined && ORM_RELATION_DECORATORS.has(name)) return true;
  }
  return false;
}

/** sequelize-typescript, TypeORM and MikroORM relation decorators (an embedded value, stored with its entity, is not one). */
const ORM_RELATION_DECORATORS = new Set([
  "BelongsTo",
  "BelongsToMany",
  "HasOne",
  "HasMany",
  "ManyToOne",
  "OneToMany",
  "OneToOne",
  "ManyToMany",
]);

/** A class's data fields: property declarations and constructor parameter properties (`constructor(public phone: string)`). */
function classFields(declaration: ts.ClassDeclaration): readonly ts.Node[] {
  const fields: ts.Node[] = [];
  for (const member of declaration.members) {
    if (isPropertyDeclaration(member) && !member.modifiers?.some((m) => m.kind === Kind.StaticKeyword)) fields.push(member);
    if (isConstructorDeclaration(member)) {
      for (const parameter of member.parameters) if (ts.getModifiers(parameter)?.length) fields.push(parameter);
    }
  }
  return fields;
}

/**
 * `ChannelTypeEnum.EMAIL`, `RECIPIENT_DIFF_TYPE.EMAIL`, `env.SMTP_FROM_EMAIL`, `config["ADMIN_EMAIL"]`: a SCREAMING_CASE
 * member of an enum, a namespace, a constants object or a configuration object (a receiver named in PascalCase or
 * SCREAMING_CASE, or whose last word is env, config, settings or constants) is a constant or a setting, never a user's
 * datum. Where the checker has the types, a literal type already says so; this is the convention for code whose enums
 * and settings come from packages that are not installed. A lower-case receiver's upper-case key (`row.EMAIL`, a
 * database that upper-cases column names) is still a column.
 */
function isConstantMember(receiver: ts.Expression, name: string): boolean {
  if (!isConstantCase(name)) return false;
  const inner = skipOuterExpressions(receiver);
  const receiverName = isIdentifier(inner) ? inner.text : isPropertyAccessExpression(inner) ? inner.name.text : undefined;
  if (receiverName === undefined) return false;
  if (/^[A-Z]/.test(receiverName)) return true;
  const words = identifierTokens(receiverName);
  return CONFIGURATION_WORDS.has(words[words.length - 1] ?? "");
}

const CONFIGURATION_WORDS = new Set(["env", "environment", "config", "configuration", "settings", "constants", "consts"]);

/**
 * A counter: a `let` or `var` initialised with a number literal that its scope only ever steps (`n++`, `n -= 1`) or
 * sets to another number literal. Whatever it is named after (`skippedBlockedEmail` counts skipped e-mails), it holds
 * a count; an address or a number read from somewhere is assigned, not stepped. Asked only once its name matched.
 */
function isCounter(declaration: ts.VariableDeclaration): boolean {
  const list = declaration.parent;
  if (!isIdentifier(declaration.name) || declaration.initializer === undefined || !isNumberLiteral(declaration.initializer)) return false;
  if (!isVariableDeclarationList(list) || (list.flags & ts.NodeFlags.Const) !== 0) return false;
  const name = declaration.name.text;
  const scope = list.parent?.parent;
  if (scope === undefined) return false;
  let onlySteps = true;
  const visit = (node: ts.Node): void => {
    if (!onlySteps) return;
    if (isBinaryExpression(node) && isIdentifier(node.left) && node.left.text === name && isAssignmentOperator(node.operatorToken.kind)) {
      const kind = node.operatorToken.kind;
      const stepped = kind === Kind.PlusEqualsToken || kind === Kind.MinusEqualsToken;
      if (!(stepped || kind === Kind.EqualsToken) || !isNumberLiteral(node.right)) onlySteps = false;
    }
    ts.forEachChild(node, visit);
  };
  ts.forEachChild(scope, visit);
  return onlySteps;
}

/**
 * A member declared as a function: a method (`{ email() { … } }`, a class's), or a property a function is assigned to
 * (`Controllers.confirmEmail = async (req, res) => …`, `module.exports.email = function …`, `{ email: () => … }`, a
 * class field `email = () => …`).
 */
function declaresFunction(declaration: ts.Node): boolean {
  if (isMethodDeclaration(declaration) || isFunctionDeclaration(declaration)) return true;
  if (isPropertyAssignment(declaration) || isPropertyDeclaration(declaration)) {
    return declaration.initializer !== undefined && isFunctionValue(declaration.initializer);
  }
  const assignment = isPropertyAccessExpression(declaration) ? declaration.parent : declaration;
  return assignment !== undefined && isBinaryExpression(assignment) && assignment.operatorToken.kind === Kind.EqualsToken && isFunctionValue(assignment.right);
}

function isNumberLiteral(expression: ts.Expression): boolean {
  const inner = skipOuterExpressions(expression);
  if (isPrefixUnaryExpression(inner) && inner.operator === Kind.MinusToken) return isNumericLiteral(inner.operand);
  return isNumericLiteral(inner);
}

function isAssignmentOperator(kind: ts.SyntaxKind): boolean {
  return kind >= Kind.FirstAssignment && kind <= Kind.LastAssignment;
}

/** An arrow function or function expression, also through parentheses, `as` and `satisfies`. */
function isFunctionValue(expression: ts.Expression): boolean {
  const inner = skipOuterExpressions(expression);
  if (inner.kind === Kind.ArrowFunction || inner.kind === Kind.FunctionExpression) return true;
  // `const archiveEmail = useCallback(async () => { … }, deps)`, `debounce(() => …, 300)`: a function handed back
  // wrapped, memoised or rate-limited is still the function
  if (!isCallExpression(inner) || inner.arguments.length === 0) return false;
  const callee = skipOuterExpressions(inner.expression);
  const name = isIdentifier(callee) ? callee.text : isPropertyAccessExpression(callee) ? callee.name.text : undefined;
  return name !== undefined && FUNCTION_WRAPPERS.has(name) && isFunctionValue(inner.arguments[0] as ts.Expression);
}

/** A function declaration (or a variable holding a function) each of whose returns is a function value. */
function returnsFunctionOnly(declaration: ts.Declaration): boolean {
  const fn = isVariableDeclaration(declaration) && declaration.initializer !== undefined ? skipOuterExpressions(declaration.initializer) : declaration;
  if (!(isFunctionDeclaration(fn) || isArrowFunction(fn) || isFunctionExpression(fn) || isMethodDeclaration(fn)) || fn.body === undefined) return false;
  if (!isBlock(fn.body)) return isFunctionValue(fn.body);
  const returned: (ts.Expression | undefined)[] = [];
  const visit = (node: ts.Node): void => {
    if (isReturnStatement(node)) returned.push(node.expression);
    // a nested function's returns are its own
    else if (!isFunctionLike(node)) ts.forEachChild(node, visit);
  };
  ts.forEachChild(fn.body, visit);
  return everyOne(returned, (expression) => expression !== undefined && isFunctionValue(expression));
}

/** Calls that hand back the function they are given, memoised, debounced or run once (React's hooks, lodash's). */
const FUNCTION_WRAPPERS = new Set(["useCallback", "useEvent", "useEffectEvent", "useDebouncedCallback", "useThrottledCallback", "debounce", "throttle", "memoize", "once"]);

/** An object or array literal (through `as`, `satisfies`, `!` and parentheses): a value whose parts the code spells out. */
/** `await prisma.email.findFirst()`, `(await Email.findAll())!`: the rows a read of the gateway's store answers. */
function holdsStoreRows(expression: ts.Expression, answersRows: (call: ts.CallExpression) => boolean): boolean {
  let inner = skipOuterExpressions(expression);
  while (isAwaitExpression(inner)) inner = skipOuterExpressions(inner.expression);
  return isCallExpression(inner) && answersRows(inner);
}

function isLiteralBuilt(expression: ts.Expression): boolean {
  const inner = skipOuterExpressions(expression);
  return isObjectLiteralExpression(inner) || isArrayLiteralExpression(inner);
}

/** `options.user?.fields ?? {}` (or `|| {}`), destructured: the object the empty fallback stands in for. */
function withoutEmptyFallback(expression: ts.Expression): ts.Expression {
  const inner = skipOuterExpressions(expression);
  if (!isBinaryExpression(inner) || (inner.operatorToken.kind !== Kind.QuestionQuestionToken && inner.operatorToken.kind !== Kind.BarBarToken)) return expression;
  const fallback = skipOuterExpressions(inner.right);
  return isObjectLiteralExpression(fallback) && fallback.properties.length === 0 ? inner.left : expression;
}

/** Whether there is at least one, and every one passes. */
function everyOne<T>(items: readonly T[], test: (item: T) => boolean): boolean {
  return items.length > 0 && items.every(test);
}

function isValueDeclaration(node: ts.Node): node is ts.ParameterDeclaration | ts.BindingElement | ts.VariableDeclaration {
  return isParameter(node) || isBindingElement(node) || isVariableDeclaration(node);
}

function dedupe(hits: SourceHit[]): SourceHit[] {
  const seen = new Set<string>();
  return hits.filter((h) => {
    const key = `${h.dataClass}\u0000${h.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
