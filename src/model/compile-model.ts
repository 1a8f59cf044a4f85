import { ts } from "ts-morph";
import { Kind, isAsExpression, isAwaitExpression, isCallExpression, isClassLike, isConstructorDeclaration, isElementAccessExpression, isFunctionDeclaration, isFunctionLike, isInterfaceDeclaration, isMethodDeclaration, isMethodSignature, isModuleBlock, isNewExpression, isObjectLiteralExpression, isParenthesizedExpression, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isShorthandPropertyAssignment, isSourceFile, isVariableDeclaration } from "../compiler-direct.js";
import type { DestinationRow, Policy, PropagatorRow, SinkRow, SourceRow } from "../config/policy.js";
import { serviceKey, type CallModel, type PropagateRow, type ChannelUse, type HostTemplate, type InstanceConfiguration, type Question, type RestrictedDoor, type SinkHit, type SourceHit } from "../vocabulary/question.js";
import type { Workspace } from "../workspace/workspace.js";
import { isProjectSourceFile, qualifiedName, skipOuterExpressions } from "../workspace/symbols.js";
import { isDeclarationFile } from "../workspace/find-files.js";
import { autoImports } from "../workspace/auto-imports.js";
import { scannedFileOf } from "../workspace/scanned-file.js";
import { defaultLabel, entryAbove, normalizeCallKey } from "./call-path.js";
import { keepsOnlyAddressDomain } from "./address-domain.js";
import { compileDataClasses } from "./data-classes.js";
import { compileHostVetting } from "./hosts.js";
import { decidingBase } from "./base-alternatives.js";
import { libraryIndexOf } from "./library-index.js";
import { createClassHierarchy, heritageNamesMemo, type ProjectType } from "./class-hierarchy.js";
import { createProvenanceResolver, enclosingClassOfThis, propertyNameText, type ExternalValue, type ProgramAccess, type Provenance } from "./provenance.js";
import { loggerLevelCall } from "./logger-calls.js";
import { createPackageJudge } from "./packages.js";
import { builtinOnPackageData } from "./builtin-on-data.js";
import { compileValidators } from "./validators.js";
import { memberIndex, type MemberIndex } from "./restricted-members.js";
import { memberFactsMemo, memberMarks } from "./member-facts.js";
import { createModelledMembers } from "./modelled-members.js";
import { createSourceClassifier, sourceCallHits } from "./sources.js";
import { createStoreQueries, type StoreQuery } from "./stores.js";
import { columnsRead } from "./table-columns.js";
import { namedFields, namedPath } from "./named-fields.js";
import { templateFields } from "./template-fields.js";
import { createLoopbackServers } from "./loopback-servers.js";
import { createChannelUses } from "./channels.js";
import { createRequestMembers } from "./request-members.js";
import { constantText } from "./constant-text.js";
import { createSyntheticValues } from "./synthetic.js";
import { lazy } from "../lazy.js";

/**
 * Compiles the policy into the engine's Question. Every answer starts from provenance (provenance.ts): a call is a
 * sink because its callee comes from `axios#default.post`, never because it is spelled `post`. Answers are cached per
 * node, so the engine may ask again as often as it likes. `memberFacts`: each file's part of the member index, and
 * `heritageNames` the names its classes are listed by in the class hierarchy (a run started from the cache takes the
 * unchanged files' from the entry).
 */
export function compileModel(policy: Policy, workspace: Workspace, memberFacts = memberFactsMemo(memberMarks(policy)), heritageNames = heritageNamesMemo()): Question {
  const index = libraryIndexOf(policy.models);
  const matcher = compileDataClasses(policy.dataClasses, policy.classTags);
  // one syntactic pass, on first need, over every file a declaration can come from (the project's own .d.ts too): each
  // file's facts walked, or taken from a cache entry's
  const memberNames: () => MemberIndex = lazy(() => memberIndex(workspace.loaded.map(memberFacts), policy.dataClasses, matcher));
  const resolver = createProvenanceResolver(programAccess(workspace, () => memberNames().declared), index);
  const validators = compileValidators(policy.validators, resolver, matcher);
  const vettedCalls = new CallReferenceSet(policy.vetted.calls.filter((c) => c.classes === undefined).map((c) => c.call));
  const restrictedDoors = policy.vetted.calls
    .filter((c) => c.classes !== undefined)
    .map((c) => ({ references: new CallReferenceSet([c.call]), door: { label: c.call.slice(c.call.indexOf("#") + 1), classes: c.classes! } }));
  const sanitizerCalls = new CallReferenceSet(policy.sanitizers);
  const hostVetting = compileHostVetting(policy.vetted.hosts);
  const isVettedHost = hostVetting.forEveryClass;
  const packages = createPackageJudge(policy.models, policy.packages.local, workspace.ownPackages, workspace.pathAliases);
  // a read of the store answers rows unless it echoes a write, saves, links a chain or answers a column's values
  const answersRows = (call: ts.CallExpression): boolean => {
    const model = callAt(call);
    return model.kind === "query" && model.echoes === undefined && model.saves === undefined && model.link !== true && model.values !== true;
  };
  const classified = createSourceClassifier(policy.dataClasses, policy.classTags, matcher, resolver, index, memberNames, validators, createLoopbackServers(resolver, index), answersRows);
  const synthetic = createSyntheticValues(policy.models.flatMap((m) => [...(m.synthetic ?? []), ...(m.configuration ?? [])]), resolver, () => workspace.loaded);
  // a read a data class would make a source is none when it holds a generator's value (`faker.phone.number()`)
  const classifySource = (node: ts.Node): readonly SourceHit[] => {
    const hits = classified(node);
    return hits.length > 0 && synthetic.generatedRead(node) ? [] : hits;
  };
  const membersOf = createModelledMembers(resolver, index);
  const restrictedClasses = new Set(policy.dataClasses.map((c) => c.id));
  const stores = createStoreQueries(policy.models.flatMap((m) => m.stores ?? []));
  const builders = new Map(
    policy.models.flatMap((m) => m.builders ?? []).map((row) => [normalizeCallKey(row.path), { label: row.label ?? defaultLabel(row.path), carries: row.carries }]),
  );
  const routers = new Map(policy.models.flatMap((m) => m.routers ?? []).map((row) => [normalizeCallKey(row.path), row.label ?? defaultLabel(row.path)]));
  const channels = createChannelUses(policy.models.flatMap((m) => m.channels ?? []), () => workspace.checker());
  const requestMemberAt = createRequestMembers(policy.models, index, resolver, () => memberNames().declared);
  const channelCache = new Map<ts.Node, ChannelUse | undefined>();
  const callCache = new Map<ts.Node, CallModel>();
  const hierarchy = createClassHierarchy(() => workspace.loaded, resolver, heritageNames);
  const vettedCache = new Map<ts.Node, boolean>();
  const names = new Map<ts.Node, string | null>();

  /**
   * A declaration's qualified name (`src/mail.ts#Mailer.send`), the policy's handle on it: worked out once per
   * declaration, as every call of it and every body inside it asks (a walk up to the file and the file's relative path).
   */
  function nameOf(declaration: ts.Node): string | undefined {
    let name = names.get(declaration);
    if (name === undefined) names.set(declaration, (name = qualifiedName(declaration, workspace.root) ?? null));
    return name ?? undefined;
  }
  const restrictedCache = new Map<ts.Node, RestrictedDoor | undefined>();
  const keyAnswers = new Map<string, KeyAnswer>();
  const rowHits = new Map<SinkRow, Map<string, Readonly<SinkHit>>>();

  /** The restricted doors an entry names (several entries may: their classes add up), as one door; else undefined. */
  function restrictedDoor(name: string): RestrictedDoor | undefined {
    let found: RestrictedDoor | undefined;
    for (const { references, door } of restrictedDoors) {
      if (!references.matches(name)) continue;
      found = found === undefined ? door : { label: found.label, classes: [...new Set([...found.classes, ...door.classes])].sort() };
    }
    return found;
  }

  function callAt(call: ts.CallExpression | ts.NewExpression): CallModel {
    let model = callCache.get(call);
    if (model === undefined) {
      model = computeCall(call);
      callCache.set(call, model);
    }
    return model;
  }

  function channelAt(call: ts.CallExpression | ts.NewExpression): ChannelUse | undefined {
    if (channelCache.has(call)) return channelCache.get(call);
    const callee = skipOuterExpressions(call.expression);
    if (!isPropertyAccessExpression(callee) || !channels.hasMember(callee.name.text)) return undefined;
    const target = resolver.ofExpression(call.expression);
    const key = target?.kind === "external" ? target.key : target !== undefined ? overriddenMember(target.declaration) : undefined;
    const use = key !== undefined ? channels.channelAt(call, key) : undefined;
    channelCache.set(call, use);
    return use;
  }

  /**
   * A project method that overrides a modelled class's member (`class AnyEventEmitter extends EventEmitter { emit(…) {
   * …; return super.emit(…) } }`): the modelled member's key (`node:events#emit`), so a call of the override on a
   * channel is still a publish on it.
   */
  function overriddenMember(declaration: ts.Node): string | undefined {
    if (!isMethodDeclaration(declaration) || !isClassLike(declaration.parent)) return undefined;
    const member = propertyNameText(declaration.name);
    if (member === undefined) return undefined;
    let cls: ts.ClassLikeDeclaration = declaration.parent;
    for (let level = 0; level < 8; level++) {
      const heritage = cls.heritageClauses?.find((h) => h.token === Kind.ExtendsKeyword)?.types[0]?.expression;
      const base = heritage !== undefined ? resolver.ofExpression(heritage) : undefined;
      if (base?.kind === "external") {
        const modelled = resolver.ofMember(base, member, undefined);
        return modelled?.kind === "external" ? modelled.key : undefined;
      }
      if (base === undefined || !isClassLike(base.declaration) || base.declaration === cls) return undefined;
      cls = base.declaration;
    }
    return undefined;
  }

  function computeCall(call: ts.CallExpression | ts.NewExpression): CallModel {
    const model = resolvedCall(call);
    if (model.kind !== "unknown" && model.kind !== "unmodelled") return model;
    // nothing scanned or modelled answers: a log level call on a logger is still a log door (logger-calls.ts)
    const logged = loggerLevelCall(call, (receiver) => resolver.ofExpression(receiver));
    return logged !== undefined ? { kind: "sink", sink: logged } : model;
  }

  function resolvedCall(call: ts.CallExpression | ts.NewExpression): CallModel {
    const target = resolver.ofExpression(call.expression);
    // `email.split("@")[1]`: a string operation (no model's, no project function's) that keeps only an address's domain
    if (isCallExpression(call) && (target === undefined || (target.kind === "external" && !index.describes(target.key))) && keepsOnlyAddressDomain(call)) {
      return { kind: "sanitizer", label: "the domain after '@'" };
    }
    if (target?.kind === "external") {
      const model = externalCall(call, target);
      if (model.kind !== "unknown" && model.kind !== "unmodelled") return model;
      return secondOpinion(call, target.key) ?? inheritedInterfaceMember(call) ?? model;
    }
    if (target === undefined) {
      const model = secondOpinion(call, undefined) ?? inheritedInterfaceMember(call);
      if (model !== undefined) return model;
    }
    if (target?.kind === "project") {
      const declaration = implementationOf(target.declaration, isNewExpression(call));
      const name = declaration !== undefined ? nameOf(declaration) : undefined;
      if (name !== undefined) {
        const label = name.slice(name.indexOf("#") + 1);
        if (vettedCalls.matches(name)) return { kind: "vetted", label };
        if (sanitizerCalls.matches(name)) return { kind: "sanitizer", label };
        const sink = index.sinks(name)[0];
        const door = restrictedDoor(name);
        if (sink !== undefined) return { kind: "sink", sink: { ...sinkHit(sink, []), ...(door ? { door } : {}) } };
        if (door !== undefined && declaration !== undefined && isFunctionLike(declaration) && (declaration as ts.FunctionLikeDeclaration).body) {
          // analysed as any project call, so data of the classes it is not vetted for reaches the egress inside it
          return { kind: "project", declaration: declaration as ts.SignatureDeclaration, door };
        }
      }
      const hasBody = declaration !== undefined && isFunctionLike(declaration) && (declaration as ts.FunctionLikeDeclaration).body;
      const dispatched = isCallExpression(call) ? dispatchedBodies(call, declaration) : [];
      if (hasBody) {
        const receiverClass = isCallExpression(call) ? receiverClassBelow(call, declaration) : undefined;
        const model: CallModel = { kind: "project", declaration: declaration as ts.SignatureDeclaration, ...(receiverClass ? { receiverClass } : {}) };
        return dispatched.length > 0 ? { ...model, overrides: dispatched } : model;
      }
      // an abstract method or an interface's: the implementations are the bodies that run
      const [first, ...rest] = dispatched;
      if (first !== undefined) return rest.length > 0 ? { kind: "project", declaration: first, overrides: rest } : { kind: "project", declaration: first };
      // `new Invite(props)` of a class without a constructor: its base class's constructor and its field initialisers run
      if (isNewExpression(call) && isClassLike(target.declaration)) {
        return { kind: "project", declaration: target.declaration as unknown as ts.SignatureDeclaration };
      }
    }
    return { kind: "unknown", label: calleeText(call.expression) };
  }

  /**
   * `receiver.m()` with the receiver declared as a project type (or `this` inside a class): the bodies of `m` in the
   * project classes below that type other than `resolved`; none for an exact instance (`new Sender().send()`), `super`
   * or a callee that is not a member.
   */
  function dispatchedBodies(call: ts.CallExpression, resolved: ts.Node | undefined): ts.SignatureDeclaration[] {
    const callee = skipOuterExpressions(call.expression);
    if (!isPropertyAccessExpression(callee)) return [];
    const receiver = skipOuterExpressions(callee.expression);
    let type: ProjectType | undefined;
    if (receiver.kind === Kind.ThisKeyword) type = enclosingClassOfThis(receiver);
    else if (receiver.kind !== Kind.SuperKeyword) {
      const value = resolver.ofExpression(receiver);
      if (value?.kind === "project" && !value.exact && (isClassLike(value.declaration) || isInterfaceDeclaration(value.declaration))) {
        type = value.declaration;
      } else if (value === undefined && resolved !== undefined && (isMethodDeclaration(resolved) || isMethodSignature(resolved))) {
        // a receiver only the checker can type (`providers[addon.provider]` of a map `{ [key: string]: Addon }`): the
        // type that declares the method it resolved to
        const owner = resolved.parent;
        if (isClassLike(owner) || isInterfaceDeclaration(owner)) type = owner;
      }
    }
    if (type === undefined) return [];
    return hierarchy.implementations(type, callee.name.text).filter((body) => body !== resolved);
  }

  /**
   * `store.on(name, listener)` with `store` declared as a project interface that does not declare `on` itself but takes
   * it from a library type (`interface IEventStore extends Pick<EventEmitter, "on" | "emit">`): the call resolves to the
   * library's member, which no model answers, while what runs is the `on` of the project classes implementing the
   * interface. Those bodies, as for a member the interface declares (dispatchedBodies); undefined when no project class
   * implements it (the value may then really be the library's object, and stays an unknown call).
   */
  function inheritedInterfaceMember(call: ts.CallExpression | ts.NewExpression): CallModel | undefined {
    const target = isCallExpression(call) ? memberCallReceiver(call) : undefined;
    const value = target?.value;
    if (value?.kind !== "project" || !isInterfaceDeclaration(value.declaration)) return undefined;
    const [first, ...rest] = hierarchy.implementations(value.declaration, target!.member);
    if (first === undefined) return undefined;
    return rest.length > 0 ? { kind: "project", declaration: first, overrides: rest } : { kind: "project", declaration: first };
  }

  /** `receiver.m(…)` with a receiver other than `this` and `super`: the member's name and what the receiver is. */
  function memberCallReceiver(call: ts.CallExpression): { member: string; value: Provenance | undefined } | undefined {
    const callee = skipOuterExpressions(call.expression);
    if (!isPropertyAccessExpression(callee)) return undefined;
    const receiver = skipOuterExpressions(callee.expression);
    if (receiver.kind === Kind.ThisKeyword || receiver.kind === Kind.SuperKeyword) return undefined;
    return { member: callee.name.text, value: resolver.ofExpression(receiver) };
  }

  /**
   * `receiver.m()` with the receiver known as a project class (an instance of it, or declared as it) below the class that
   * declares the resolved body `m` (inherited from a base class): that class; else undefined (`this`, `super` and other
   * receivers are the engine's to bound).
   */
  function receiverClassBelow(call: ts.CallExpression, resolved: ts.Node): ts.ClassLikeDeclaration | undefined {
    const value = memberCallReceiver(call)?.value;
    if (value?.kind !== "project" || !isClassLike(value.declaration)) return undefined;
    return resolved.parent !== value.declaration && isClassLike(resolved.parent) ? value.declaration : undefined;
  }

  /** What the declaration files say the callee is, when syntax found nothing modelled and they are loaded. */
  function secondOpinion(call: ts.CallExpression | ts.NewExpression, syntacticKey: string | undefined): CallModel | undefined {
    const typed = resolver.ofDeclarationFiles(call.expression);
    if (typed === undefined || typed.key === syntacticKey) return undefined;
    const model = externalCall(call, typed);
    return model.kind === "unknown" || model.kind === "unmodelled" ? undefined : model;
  }

  /**
   * A propagator row at one call: a field-selecting row (`pick`, `omit`) reads the names this call spells, a template
   * render's the fields its template's tags name.
   */
  function propagateRow(call: ts.CallExpression | ts.NewExpression, row: PropagatorRow): PropagateRow {
    if (row.template !== undefined) {
      const named = templateFields(call, row.template, resolver.checker());
      return { from: row.from, to: row.to, ...(named === undefined ? {} : { only: named }) };
    }
    if (row.at !== undefined) {
      const path = namedPath(call, row.at, resolver.checker());
      if (path === undefined) return { from: row.from, to: row.to };
      return { from: row.from, to: row.to, at: path.keys, ...(path.complete ? { keepFields: true } : {}) };
    }
    const selects = row.pick ?? row.omit;
    if (selects === undefined) return { from: row.from, to: row.to, ...(row.keepFields ? { keepFields: true } : {}) };
    const from = /^arg:(\d+)/.exec(row.from);
    const names = namedFields(call, selects, from ? Number(from[1]) : undefined, resolver.checker());
    const selected = names === undefined ? {} : row.pick !== undefined ? { only: names } : { except: names };
    return { from: row.from, to: row.to, keepFields: true, ...selected };
  }

  /**
   * What the policy says of a library key, whatever the call: worked out once per key, as a scan's library calls have
   * few keys (a 50k-line gateway's 8,627 have 55). In externalCall's order: an answer complete by the key alone, the
   * sink row or store query the call's own arguments complete, else the rows and package left for the call.
   */
  function keyAnswer(key: string): KeyAnswer {
    let answer = keyAnswers.get(key);
    if (answer === undefined) {
      answer = computeKeyAnswer(key);
      keyAnswers.set(key, answer);
    }
    return answer;
  }

  function computeKeyAnswer(key: string): KeyAnswer {
    if (vettedCalls.matches(key)) return { model: { kind: "vetted", label: defaultLabel(key) } };
    if (synthetic.coversKey(key)) return { model: { kind: "synthetic", label: defaultLabel(key) } };
    const sink = index.sinks(key)[0];
    if (sink !== undefined) return { sink };
    const query = stores.queryAt(key);
    if (query !== undefined) return { query };
    const builder = builders.size > 0 ? entryAbove(key, builders) : undefined;
    if (builder !== undefined) return { model: { kind: "builder", label: builder.label, carries: builder.carries } };
    const router = routers.size > 0 ? entryAbove(key, routers) : undefined;
    if (router !== undefined) return { model: { kind: "router", label: router } };
    const sanitizer = index.sanitizers(key)[0];
    if (sanitizer !== undefined) return { model: { kind: "sanitizer", label: sanitizer.label ?? defaultLabel(sanitizer.call) } };
    if (sanitizerCalls.matches(key)) return { model: { kind: "sanitizer", label: defaultLabel(key) } };
    // a built-in's method on data the package answered or typed (`data.map(…).includes(email)`) is no door
    const unmodelled = builtinOnPackageData(key) ? undefined : packages.unmodelledPackage(key);
    return { sources: index.sources(key), propagators: index.propagators(key), unmodelled };
  }

  function externalCall(call: ts.CallExpression | ts.NewExpression, target: ExternalValue): CallModel {
    const key = target.key;
    const answer = keyAnswer(key);
    // a fresh model per call, as each call's is its own
    if ("model" in answer) return { ...answer.model };
    if ("sink" in answer) {
      const { sink } = answer;
      // `new Upload({ client: s3 })`: the passed-in client's configuration decides the host, not the receiver's
      const at = sink.destination?.client;
      const client = at !== undefined ? passedClient(call, at.argument, at.property ?? []) : target;
      const door = restrictedDoor(key);
      return { kind: "sink", sink: { ...sinkHit(sink, client?.bases ?? [], client?.configuration, key), ...(door ? { door } : {}) } };
    }
    if ("query" in answer) {
      const { query } = answer;
      const { label, echoes, saves, single, link, values } = query;
      if (link) return { kind: "query", label, link };
      const table = query.table !== undefined ? tableAt(call, query.path, query.table) : undefined;
      const columns = table !== undefined && saves === undefined && query.columns ? columnsRead(call, query.columns, resolver.checker(), (raw) => isStoreRaw(raw, query.path)) : undefined;
      return {
        kind: "query",
        label,
        ...(echoes !== undefined ? { echoes } : {}),
        ...(values ? { values } : {}),
        ...(table !== undefined ? { table: `${label}:${table}`, ...(saves !== undefined ? { saves } : {}), ...(single ? { single } : {}), ...(columns ? { columns } : {}) } : {}),
      };
    }
    const { sources, propagators, unmodelled } = answer;
    if (sources.length > 0 && isCallExpression(call)) {
      const hits = sourceCallHits(sources, call.arguments);
      if (hits.length > 0) return { kind: "source", hits };
    }
    if (propagators.length > 0) {
      return { kind: "propagate", label: defaultLabel(key), rows: propagators.map((p) => propagateRow(call, p)) };
    }
    const validated = validators.parsedHits(call, key);
    if (validated !== undefined) return { kind: "validated", hits: [...validated.hits], at: validated.at };
    // no model covers the package and nothing says it keeps data in the process: a door nobody vetted
    if (unmodelled !== undefined) {
      const sink: SinkHit = { id: "unmodelled-library", kind: "unmodelled-library", label: defaultLabel(key), callee: key, arguments: "all", package: unmodelled };
      return { kind: "unmodelled", sink };
    }
    return { kind: "unknown", label: defaultLabel(key) };
  }

  /**
   * The table a query chain works on: the constant argument of the store's own call down the chain of receivers
   * (`db(TABLE).update(…).where(…)` → `db(TABLE)`, TABLE a `const`); undefined when none is spelled as a constant.
   */
  function tableAt(call: ts.CallExpression | ts.NewExpression, storePath: string, argument: number): string | undefined {
    let node: ts.Expression = call;
    for (let links = 0; links < 32; links++) {
      node = skipOuterExpressions(node);
      if (isAwaitExpression(node)) node = node.expression;
      else if (isPropertyAccessExpression(node) || isElementAccessExpression(node)) node = node.expression;
      else if (isCallExpression(node)) {
        const callee = resolver.ofExpression(node.expression);
        if (callee?.kind === "external" && callee.key === storePath) {
          const name = node.arguments[argument];
          return name !== undefined ? constantText(name, resolver.checker()) : undefined;
        }
        node = node.expression;
      } else return undefined;
    }
    return undefined;
  }

  /** `db.raw("…")`: the store's own raw SQL (a member of its path, `knex#Knex.raw`). */
  function isStoreRaw(call: ts.CallExpression, storePath: string): boolean {
    const callee = resolver.ofExpression(call.expression);
    return callee?.kind === "external" && callee.key.startsWith(storePath) && callee.key.endsWith(".raw");
  }

  /** `key`: the call that matched, named in the label when the row is a wildcard (`stripe#default.customers.*`). */
  function sinkHit(row: SinkRow, configured: readonly ts.Expression[], configuration?: InstanceConfiguration, key?: string): SinkHit {
    const bases = configured.flatMap((base) => decidingBase(base, resolver.checker, isVettedHost, (host) => hostVetting.onlyFor(host) !== undefined) ?? []);
    const hit: SinkHit = { ...rowHit(row, key !== undefined && row.call.endsWith("*") ? key : row.call) };
    if (row.destination !== undefined || bases.length > 0) {
      hit.destination = {
        ...(row.destination?.argument !== undefined ? { argument: row.destination.argument } : {}),
        ...(row.destination?.property !== undefined ? { property: row.destination.property } : {}),
        ...(row.destination?.host !== undefined ? { host: row.destination.host } : {}),
        ...(row.destination?.hostTemplate !== undefined || row.destination?.services !== undefined
          ? { hostTemplate: hostTemplateOf(row.destination, configuration) }
          : {}),
        ...(bases.length > 0 ? { base: [...bases] } : {}),
      };
    }
    return hit;
  }

  /**
   * What a sink row says of every call it matches, made once per row and the reference its label names (the row's call,
   * or a wildcard row's matching key): a gateway's many sink calls match few rows (the 50k generated gateway: 3,636
   * hits). Shared between the calls' hits, so read-only; what differs per call (the destination: bases, configuration)
   * is added to a copy.
   */
  function rowHit(row: SinkRow, labelled: string): Readonly<SinkHit> {
    let byReference = rowHits.get(row);
    if (byReference === undefined) rowHits.set(row, (byReference = new Map()));
    let hit = byReference.get(labelled);
    if (hit === undefined) {
      const made: SinkHit = { id: row.id, kind: row.kind, label: row.label ?? defaultLabel(labelled), callee: row.call, arguments: row.arguments };
      // a slot whose class the policy does not restrict classifies nothing
      const recipients = row.recipients?.filter((slot) => restrictedClasses.has(slot.dataClass));
      if (recipients && recipients.length > 0) made.recipients = recipients;
      if (row.senders && row.senders.length > 0) made.senders = row.senders;
      byReference.set(labelled, (hit = made));
    }
    return hit;
  }

  /** The SDK client a call takes as an argument (or a property inside one), when provenance says it is a library's. */
  function passedClient(call: ts.CallExpression | ts.NewExpression, argument: number, path: readonly string[]): ExternalValue | undefined {
    let current: ts.Expression | undefined = call.arguments?.[argument];
    for (const name of path) {
      const node: ts.Expression | undefined = current === undefined ? undefined : skipOuterExpressions(current);
      if (node === undefined || !isObjectLiteralExpression(node)) return undefined;
      current = undefined;
      for (const property of node.properties) {
        if (isPropertyAssignment(property) && propertyNameText(property.name) === name) current = property.initializer;
        else if (isShorthandPropertyAssignment(property) && property.name.text === name) current = property.name;
      }
    }
    const value = current === undefined ? undefined : resolver.ofExpression(current);
    return value?.kind === "external" ? value : undefined;
  }

  function isVettedDeclaration(declaration: ts.Node): boolean {
    const cached = vettedCache.get(declaration);
    if (cached !== undefined) return cached;
    let vetted = false;
    if (vettedCalls.size > 0 && isProjectSourceFile(declaration.getSourceFile())) {
      // A closure inside a vetted method is part of the vetted door.
      for (let node: ts.Node | undefined = declaration; node !== undefined && !isSourceFile(node); node = node.parent) {
        if (!isFunctionLike(node) && !isClassLike(node)) continue;
        const name = nameOf(node);
        if (name !== undefined && vettedCalls.matches(name)) {
          vetted = true;
          break;
        }
      }
    }
    vettedCache.set(declaration, vetted);
    return vetted;
  }

  /** The restricted door a declaration's body belongs to: its own entry, or an enclosing function's or class's. */
  function restrictedDoorAt(declaration: ts.Node): RestrictedDoor | undefined {
    if (restrictedCache.has(declaration)) return restrictedCache.get(declaration);
    let door: RestrictedDoor | undefined;
    if (restrictedDoors.length > 0 && isProjectSourceFile(declaration.getSourceFile())) {
      for (let node: ts.Node | undefined = declaration; node !== undefined && !isSourceFile(node); node = node.parent) {
        if (!isFunctionLike(node) && !isClassLike(node)) continue;
        const name = nameOf(node);
        door = name !== undefined ? restrictedDoor(name) : undefined;
        if (door !== undefined) break;
      }
    }
    restrictedCache.set(declaration, door);
    return door;
  }

  return {
    sourcesAt: classifySource,
    membersOf,
    callAt,
    channelAt,
    requestMemberAt,
    isVettedDeclaration,
    restrictedDoorAt,
    subclassesOf: (cls) => hierarchy.subclasses(cls),
    isVettedHost: (host) => isVettedHost(host),
    hostVettedOnlyFor: (host) => hostVetting.onlyFor(host),
  };
}

/** What the policy says of a library key before the call is looked at (compileModel's keyAnswer). */
type KeyAnswer =
  | { model: CallModel }
  | { sink: SinkRow }
  | { query: StoreQuery }
  | { sources: readonly SourceRow[]; propagators: readonly PropagatorRow[]; unmodelled: string | undefined };

/** The row's templates and service names, with the configuration of the instance they read. */
function hostTemplateOf(row: DestinationRow, configuration: InstanceConfiguration | undefined): HostTemplate {
  const services = row.services;
  return {
    templates: row.hostTemplate === undefined ? [] : [row.hostTemplate].flat(),
    ...(services !== undefined
      ? {
          services: {
            setting: services.setting.split("."),
            hosts: new Map(Object.entries(services.hosts).map(([name, host]) => [serviceKey(name), host])),
          },
        }
      : {}),
    ...(configuration ? { configuration } : {}),
  };
}

function programAccess(workspace: Workspace, declaredMemberNames: () => ReadonlySet<string>): ProgramAccess {
  // the files a framework imports into others (workspace/auto-imports.ts), and what each folder's files see of them
  const frameworkImports = lazy(() => {
    const byPath = new Map(workspace.files.map((f) => [f.path, f]));
    const rule = autoImports(byPath.keys(), (relative) => byPath.get(relative)?.sourceFile);
    return { rule, providers: workspace.files.filter((f) => rule.isAutoImported(f.path)), seen: new Map<string, ts.SourceFile[]>() };
  });
  return {
    declaredMemberNames,
    autoImported: (from) => {
      const relative = scannedFileOf(from)?.path;
      if (relative === undefined) return [];
      const { rule, providers, seen } = frameworkImports();
      let found = seen.get(relative);
      if (found === undefined) seen.set(relative, (found = providers.filter((p) => p.path !== relative && rule.visibleIn(relative, p.path)).map((p) => p.sourceFile)));
      return found;
    },
    hasDependencyTypes: lazy(() => workspace.loaded.some((f) => isDeclarationFile(f.fileName) && f.fileName.includes("/node_modules/"))),
    checker: () => workspace.checker(),
    resolveModule: (specifier, from) => workspace.resolveModule(specifier, from),
  };
}

/**
 * Call references (`vetted.calls`, `sanitizers`) as a set that also matches the members below an entry:
 * `src/enclave.ts#EnclaveClient` vets every method of that class, `pino#default` every pino call.
 */
class CallReferenceSet {
  private readonly keys: Set<string>;

  constructor(references: readonly string[]) {
    this.keys = new Set(references.map(normalizeCallKey));
  }

  get size(): number {
    return this.keys.size;
  }

  matches(key: string): boolean {
    if (this.keys.size === 0) return false;
    const hash = key.indexOf("#");
    let candidate = key;
    for (;;) {
      if (this.keys.has(candidate)) return true;
      const cut = Math.max(candidate.lastIndexOf("."), candidate.endsWith("()") ? candidate.length - 2 : -1);
      if (cut <= hash) return candidate.length > hash + 1 && this.keys.has(candidate.slice(0, hash + 1));
      candidate = candidate.slice(0, cut);
    }
  }
}

/** The declaration whose body runs: a function held by a variable or property, a class's constructor for `new`. */
function implementationOf(declaration: ts.Node, constructing: boolean): ts.Node | undefined {
  let node = declaration;
  if ((isVariableDeclaration(node) || isPropertyDeclaration(node) || isPropertyAssignment(node)) && node.initializer) {
    node = node.initializer;
    while (isParenthesizedExpression(node) || isAsExpression(node)) node = node.expression;
  }
  if (isClassLike(node)) {
    if (!constructing) return undefined;
    return node.members.find((m) => isConstructorDeclaration(m) && m.body !== undefined) ?? undefined;
  }
  if (isFunctionLike(node) && !(node as ts.FunctionLikeDeclaration).body) {
    // An overload signature: the implementation is the declaration of the same name that has a body.
    const siblings = node.parent && "members" in node.parent ? (node.parent as ts.ClassLikeDeclaration).members : undefined;
    const name = (node as ts.FunctionLikeDeclaration).name;
    const withBody = siblings?.find(
      (m) => isFunctionLike(m) && (m as ts.FunctionLikeDeclaration).body && m.name?.getText() === name?.getText(),
    );
    if (withBody) return withBody;
    if (isFunctionDeclaration(node) && node.name) {
      const statements = isSourceFile(node.parent) || isModuleBlock(node.parent) ? node.parent.statements : undefined;
      return statements?.find((s) => isFunctionDeclaration(s) && s.body !== undefined && s.name?.text === node.name?.text) ?? node;
    }
  }
  return node;
}

function calleeText(callee: ts.Expression): string {
  const text = callee.getText();
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}

