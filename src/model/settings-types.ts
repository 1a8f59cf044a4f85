import { ts } from "ts-morph";
import { identifierTokens } from "./identifier-tokens.js";

/**
 * A group of settings named like a data class: unleash's `config.email` is an `IEmailOption` (the SMTP host, port,
 * sender and user the operator configured), `mail: MailConfig`, `sms: SmsSettings`. A name says what a value is only
 * when nothing more precise does; here the declared type does — an object type its author named as options,
 * configuration, settings or preferences describes how something is set up, not a person's address or number. What
 * the group holds is classified by its own fields' names and types (`email.sender` is no source; a field named like a
 * datum still would be).
 *
 * Only the type's own name decides (the last word of `IEmailOption`, `SmtpConfig`, `NotificationPreferences`), through
 * unions with `undefined`/`null`, arrays and the wrappers that keep a type's meaning (`Partial<IEmailOption>`,
 * `Readonly<…>`). An object merely *holding* settings-typed fields (`config: IUnleashConfig`) is not thereby clean: its
 * other fields count as theirs do.
 */
export function isSettingsGroupType(checker: ts.TypeChecker, type: ts.Type, depth = 0): boolean {
  if (depth > 4) return false;
  if (type.isUnion()) {
    const present = type.types.filter((t) => (t.flags & (ts.TypeFlags.Undefined | ts.TypeFlags.Null)) === 0);
    return present.length > 0 && present.every((t) => isSettingsGroupType(checker, t, depth + 1));
  }
  const alias = type.aliasSymbol;
  if (alias !== undefined) {
    if (isSettingsName(alias.getName())) return true;
    const inner = type.aliasTypeArguments?.[0];
    if (MEANING_KEEPING_WRAPPERS.has(alias.getName()) && inner !== undefined) return isSettingsGroupType(checker, inner, depth + 1);
  }
  if (checker.isArrayType(type)) {
    const element = checker.getTypeArguments(type as ts.TypeReference)[0];
    return element !== undefined && isSettingsGroupType(checker, element, depth + 1);
  }
  // only an object type (an interface, a class, an object alias): a string alias named `EmailConfig` is still a string
  if ((type.flags & ts.TypeFlags.Object) === 0) return false;
  const symbol = type.getSymbol();
  if (symbol !== undefined && isSettingsName(symbol.getName())) return true;
  // `NotificationAgentEmail extends NotificationAgentConfig`: a kind of settings group is one
  if (((type as ts.ObjectType).objectFlags & ts.ObjectFlags.ClassOrInterface) === 0) return false;
  return (checker.getBaseTypes(type as ts.InterfaceType) ?? []).some((base) => isSettingsGroupType(checker, base, depth + 1));
}

/**
 * Whether a member is declared inside a group of settings: its type literal, or one it is nested in, is the body of
 * an interface, class or type alias named as settings or extending one so named (`BetterAuthAdvancedOptions = {
 * ipAddress?: { … } }`, `NotificationAgentEmail extends NotificationAgentConfig`). Syntax
 * alone decides, so the answer is the member's own, wherever its type is reached from.
 */
export function declaredInSettingsGroup(member: ts.Node): boolean {
  const declaration = namedHolder(member);
  return declaration !== undefined && namesSettings(declaration);
}

type NamedTypeDeclaration = (ts.InterfaceDeclaration | ts.ClassDeclaration | ts.TypeAliasDeclaration) & { readonly name: ts.Identifier };

/** The interface, class or type alias whose body declares a member, through nested type literals. */
function namedHolder(member: ts.Node): NamedTypeDeclaration | undefined {
  for (let node = member.parent; node !== undefined; node = node.parent) {
    switch (node.kind) {
      case ts.SyntaxKind.InterfaceDeclaration:
      case ts.SyntaxKind.ClassDeclaration:
      case ts.SyntaxKind.TypeAliasDeclaration:
        return (node as ts.ClassDeclaration).name !== undefined ? (node as NamedTypeDeclaration) : undefined;
      case ts.SyntaxKind.TypeLiteral:
      case ts.SyntaxKind.PropertySignature:
      case ts.SyntaxKind.UnionType:
      case ts.SyntaxKind.IntersectionType:
      case ts.SyntaxKind.ParenthesizedType:
      case ts.SyntaxKind.ArrayType:
      case ts.SyntaxKind.TypeReference:
        continue;
      default:
        return undefined;
    }
  }
  return undefined;
}

/**
 * A declaration named as settings, or extending one by name (`NotificationAgentEmail extends NotificationAgentConfig`:
 * a kind of settings group is one).
 */
function namesSettings(declaration: NamedTypeDeclaration): boolean {
  if (isSettingsName(declaration.name.text)) return true;
  if (declaration.kind === ts.SyntaxKind.TypeAliasDeclaration) return false;
  return (declaration.heritageClauses ?? []).some((clause) => clause.types.some((t) => {
    const base = t.expression;
    const name = base.kind === ts.SyntaxKind.Identifier ? (base as ts.Identifier).text : base.kind === ts.SyntaxKind.PropertyAccessExpression ? (base as ts.PropertyAccessExpression).name.text : undefined;
    return name !== undefined && isSettingsName(name);
  }));
}

/**
 * `{ ip: string; port: number; useSsl: boolean }` inside `JellyfinSettings`, etherpad's `SettingsType` with `ip` and
 * `port`, jellyseerr's `HostnameParams { useSsl, ip, port, urlBase }`: an object type that declares a `port` and is
 * named as settings, or named after the server it locates (its last word, parameter words aside, is host, server,
 * endpoint or upstream), describes a connection to a server, and its address, host and account are the operator's —
 * the server the gateway talks to or listens as — not a user's. A type named after what arrived (`RequestMetadata {
 * ipAddress, port }`, a socket's `NetAddr`) keeps what its fields' names say. Syntax alone decides: the member's own
 * object type (interface, class, type literal) lists a `port` beside the member and has such a name. Asked of every
 * property by the model's pre-pass, so the sibling test, which most types fail, comes first, once per type.
 */
function declaredInEndpointSettings(member: ts.Node): boolean {
  const holder = member.parent;
  if (holder === undefined || !portMembersOf(holder).some((port) => port !== member)) return false;
  const declaration = namedHolder(member);
  return declaration !== undefined && (namesSettings(declaration) || isEndpointName(declaration.name.text));
}

/**
 * A member that is one of the server's own settings, not a user's datum, whatever it is named: an endpoint's address
 * (declaredInEndpointSettings) or a default a settings class writes (declaredAsSettingDefault). Syntax alone decides.
 */
export function declaresServerSetting(member: ts.Node): boolean {
  return declaredInEndpointSettings(member) || declaredAsSettingDefault(member);
}

/**
 * spacebar's `class GeneralConfiguration { correspondenceEmail: string | null = null }`, `SecurityConfiguration {
 * forwardedFor: string | null = null }` (the name of the header that carries a client's address): a field that a class
 * named as settings, or extending one, initialises with a literal holds a default the operator's configuration file or
 * table overrides — the server's own setting. Options an interface describes (`InviteOptions { email }`, handed to a
 * call with the caller's data) and a field without a default still count by their names.
 */
function declaredAsSettingDefault(member: ts.Node): boolean {
  if (!ts.isPropertyDeclaration(member) || member.initializer === undefined || !isLiteralDefault(member.initializer)) return false;
  const holder = member.parent;
  return ts.isClassDeclaration(holder) && holder.name !== undefined && namesSettings(holder as NamedTypeDeclaration);
}

/** `null`, `undefined`, a string, number or boolean literal, or an empty list: a default written in the class. */
function isLiteralDefault(initializer: ts.Expression): boolean {
  switch (initializer.kind) {
    case ts.SyntaxKind.NullKeyword:
    case ts.SyntaxKind.TrueKeyword:
    case ts.SyntaxKind.FalseKeyword:
    case ts.SyntaxKind.StringLiteral:
    case ts.SyntaxKind.NoSubstitutionTemplateLiteral:
    case ts.SyntaxKind.NumericLiteral:
      return true;
    case ts.SyntaxKind.Identifier:
      return (initializer as ts.Identifier).text === "undefined";
    case ts.SyntaxKind.ArrayLiteralExpression:
      return (initializer as ts.ArrayLiteralExpression).elements.length === 0;
    default:
      return false;
  }
}

/**
 * The members named `port` of an interface, class or type literal, listed once per object type: the pre-pass asks for
 * every property, and scanning the siblings each time made a type of n members cost n² tests.
 */
function portMembersOf(holder: ts.Node): readonly ts.Node[] {
  let ports = PORT_MEMBERS.get(holder);
  if (ports === undefined) {
    const members: readonly ts.Node[] = ts.isInterfaceDeclaration(holder) || ts.isClassLike(holder) || ts.isTypeLiteralNode(holder) ? holder.members : [];
    ports = members.filter((m) => {
      const name = (m as { name?: ts.Node }).name;
      return name !== undefined && ts.isIdentifier(name) && name.text === "port";
    });
    PORT_MEMBERS.set(holder, ports);
  }
  return ports;
}

/** Keyed by the syntax node, so a tree that is let go takes its entries with it. */
const PORT_MEMBERS = new WeakMap<ts.Node, readonly ts.Node[]>();

/** `HostnameParams`, `IListeningHost`, `TDatabaseEndpoint`, `UpstreamServerInfo`: a type named after a server it locates. */
function isEndpointName(name: string): boolean {
  const words = identifierTokens(name);
  while (words.length > 1 && (TYPE_SUFFIXES.has(words[words.length - 1] ?? "") || PARAMETER_WORDS.has(words[words.length - 1] ?? ""))) words.pop();
  return ENDPOINT_WORDS.has(words[words.length - 1] ?? "");
}

const PARAMETER_WORDS = new Set(["params", "parameters", "args", "arguments", "props", "info", "details", "spec"]);

const ENDPOINT_WORDS = new Set(["host", "hostname", "server", "endpoint", "upstream"]);

function isSettingsName(name: string): boolean {
  const words = identifierTokens(name);
  // `SettingsType`, `ConfigTypes`: a suffix that only says the name is a type's (etherpad's `settings: SettingsType`)
  if (words.length > 1 && TYPE_SUFFIXES.has(words[words.length - 1] ?? "")) words.pop();
  return SETTINGS_WORDS.has(words[words.length - 1] ?? "");
}

const TYPE_SUFFIXES = new Set(["type", "types"]);

const SETTINGS_WORDS = new Set(["config", "configs", "configuration", "settings", "setting", "options", "option", "opts", "preferences"]);

/** The settings words that name the operator's configuration, not a call's options (`SendOptions { phone }`). */
const CONFIGURATION_WORDS = new Set(["config", "configs", "configuration", "settings", "setting"]);

/**
 * A name of the server's configuration: its last word (a type suffix aside) is `config`, `configuration` or `settings`
 * (`config`, `appConfig`, `this.settings`, `Config`), not `options` or `preferences`, which name what a call or a user
 * chose as often as what the operator did.
 */
export function isConfigurationName(name: string): boolean {
  const words = identifierTokens(name);
  if (words.length > 1 && TYPE_SUFFIXES.has(words[words.length - 1] ?? "")) words.pop();
  return CONFIGURATION_WORDS.has(words[words.length - 1] ?? "");
}

/** Utility types whose result means what their argument does (a partial group of settings is still settings). */
const MEANING_KEEPING_WRAPPERS = new Set(["Partial", "Required", "Readonly", "NonNullable", "DeepPartial", "DeepReadonly"]);

/**
 * Whether a member of a group of settings is named as a field-name mapping: its last word is `fields` or `columns`
 * (`user.fields`, `schema.columns`), or `names`/`mapping`/`map` after `field` or `column` (`columnNames`,
 * `fieldMapping`). Its type must say so too (mapsNamesToText).
 */
export function namesFieldMapping(name: string): boolean {
  const words = identifierTokens(name);
  const last = words[words.length - 1] ?? "";
  if (last === "fields" || last === "columns") return true;
  const before = words[words.length - 2] ?? "";
  return MAPPING_WORDS.has(last) && (before === "field" || before === "column");
}

const MAPPING_WORDS = new Set(["names", "mapping", "mappings", "map"]);

/**
 * Whether a declared type maps each of a given set of names to a string: `Record<keyof User, string>`, `{ [key in
 * keyof Omit<Invitation, "id">]?: string }`, `Partial<Record<Exclude<Keys, "id">, string>>`, through unions with
 * `undefined`, `Partial`/`Readonly`/`Required` and the aliases `aliasOf` gives. The keys must be a set of names (a
 * `keyof`, literals, a type parameter), not any string: `Record<string, string>` is a bag of values, which may be a
 * user's (a form's fields as submitted).
 */
export function mapsNamesToText(type: ts.TypeNode, aliasOf: (name: ts.EntityName) => ts.TypeNode | undefined, depth = 0): boolean {
  if (depth > 4) return false;
  switch (type.kind) {
    case ts.SyntaxKind.ParenthesizedType:
      return mapsNamesToText((type as ts.ParenthesizedTypeNode).type, aliasOf, depth + 1);
    case ts.SyntaxKind.UnionType: {
      const present = (type as ts.UnionTypeNode).types.filter((t) => !isAbsent(t));
      return present.length > 0 && present.every((t) => mapsNamesToText(t, aliasOf, depth + 1));
    }
    case ts.SyntaxKind.MappedType: {
      const mapped = type as ts.MappedTypeNode;
      const keys = mapped.typeParameter.constraint;
      return keys !== undefined && isNameSet(keys) && mapped.type !== undefined && isText(mapped.type);
    }
    case ts.SyntaxKind.TypeReference: {
      const reference = type as ts.TypeReferenceNode;
      const name = ts.isIdentifier(reference.typeName) ? reference.typeName.text : reference.typeName.right.text;
      const args = reference.typeArguments ?? [];
      if (name === "Record" && args.length === 2) return isNameSet(args[0]!) && isText(args[1]!);
      if (MAPPING_KEEPING_WRAPPERS.has(name) && args.length === 1) return mapsNamesToText(args[0]!, aliasOf, depth + 1);
      if (args.length > 0) return false;
      const aliased = aliasOf(reference.typeName);
      return aliased !== undefined && mapsNamesToText(aliased, aliasOf, depth + 1);
    }
    default:
      return false;
  }
}

/** Keys that are a set of names: anything but `string` (or `string | number`, `PropertyKey`). */
function isNameSet(keys: ts.TypeNode): boolean {
  if (keys.kind === ts.SyntaxKind.StringKeyword || keys.kind === ts.SyntaxKind.NumberKeyword || keys.kind === ts.SyntaxKind.SymbolKeyword) return false;
  if (ts.isTypeReferenceNode(keys) && ts.isIdentifier(keys.typeName) && keys.typeName.text === "PropertyKey") return false;
  if (ts.isUnionTypeNode(keys)) return keys.types.every(isNameSet);
  return true;
}

/** `string`, with `undefined` or `null` allowed beside it. */
function isText(type: ts.TypeNode): boolean {
  if (type.kind === ts.SyntaxKind.StringKeyword) return true;
  if (ts.isParenthesizedTypeNode(type)) return isText(type.type);
  if (!ts.isUnionTypeNode(type)) return false;
  const present = type.types.filter((t) => !isAbsent(t));
  return present.length > 0 && present.every(isText);
}

function isAbsent(type: ts.TypeNode): boolean {
  return type.kind === ts.SyntaxKind.UndefinedKeyword || ts.isLiteralTypeNode(type) && type.literal.kind === ts.SyntaxKind.NullKeyword;
}

/** Utility types whose result maps what their argument maps, to the same values or their absence. */
const MAPPING_KEEPING_WRAPPERS = new Set(["Partial", "Required", "Readonly"]);

/**
 * Whether a member read is used only as an object with members of its own: `config.emails.driverName`, `const {
 * driverName } = config.emails`. An address, a number or a list of them has no such member; a member of an array or a
 * string (`emails.length`, `emails.map(…)`, `emails.join(", ")`), an element (`emails[0]`) and a destructured one of
 * theirs keep the read what its name says. Syntax alone decides.
 */
export function readForMembers(read: ts.Expression): boolean {
  let node: ts.Node = read;
  while (isWrapper(node.parent)) node = node.parent;
  const parent = node.parent;
  if (parent.kind === ts.SyntaxKind.PropertyAccessExpression) {
    const access = parent as ts.PropertyAccessExpression;
    return access.expression === node && !isBuiltinMember(access.name.text);
  }
  if (parent.kind === ts.SyntaxKind.VariableDeclaration) {
    const declaration = parent as ts.VariableDeclaration;
    if (declaration.initializer !== node || declaration.name.kind !== ts.SyntaxKind.ObjectBindingPattern) return false;
    const elements = declaration.name.elements;
    return elements.length > 0 && elements.every((e) => {
      if (e.dotDotDotToken !== undefined) return false;
      const key = e.propertyName ?? e.name;
      return key.kind === ts.SyntaxKind.Identifier && !isBuiltinMember(key.text);
    });
  }
  return false;
}

function isWrapper(node: ts.Node): boolean {
  switch (node.kind) {
    case ts.SyntaxKind.ParenthesizedExpression:
    case ts.SyntaxKind.NonNullExpression:
    case ts.SyntaxKind.AsExpression:
    case ts.SyntaxKind.SatisfiesExpression:
    case ts.SyntaxKind.AwaitExpression:
      return true;
    default:
      return false;
  }
}

/** A member every array or string has (`length`, `map`, `includes`, `toLowerCase`, `toString`). */
function isBuiltinMember(name: string): boolean {
  return Reflect.has(Array.prototype, name) || Reflect.has(String.prototype, name);
}
