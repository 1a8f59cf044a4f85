import { ts } from "ts-morph";
import { isIdentifier, isObjectLiteralExpression, isParameter, isPropertyAssignment, isShorthandPropertyAssignment, isSourceFile } from "../../compiler-direct.js";
import {
  Param,
  destinationValue,
  evaluateDestination,
  substituteParams,
  toDestination,
  type DestinationValue,
  type EvaluationEnvironment,
} from "../destinations/index.js";
import { classFact, type Fact, type SymbolFact } from "../facts.js";
import type { RecipientSlot, SenderSlot, SinkHit, SourceHit } from "../../vocabulary/question.js";
import type { SinkSite } from "../summary.js";
import { spanKey } from "../context.js";
import { locationOf } from "../../location.js";
import { addStep } from "../trace.js";
import { nodeLocation } from "../located-node.js";
import { EMPTY, collectFacts, factsValue, readPath, withoutFields, withoutPath, type Value } from "../value.js";
import { InterpreterCore, MAX_SINK_CANDIDATES } from "./core.js";
import { joinDoors } from "./state.js";
import { isInside, paramPlace, propertyNameText, shortText, unwrap } from "./syntax.js";

/** Sinks: a sink call's arguments become flows (concrete data) or entries of the function's summary (symbolic facts). */
export abstract class SinkRecorder extends InterpreterCore {
  protected sinkCall(call: ts.CallExpression | ts.NewExpression, hit: SinkHit, args: Value[], argExprs: ts.Expression[]): void {
    if (this.frame.vetted) return;
    const dv = hit.destination ? destinationValue(hit.destination, call, this.destinationEnv()) : undefined;
    const destination = dv ? toDestination(dv) : { status: "none" as const };
    const door = joinDoors(this.frame.door, hit.door);
    const withValue = { ...(dv ? { destinationValue: dv } : {}), ...(door ? { door } : {}) };
    const indices = hit.arguments === "all" ? args.map((_, i) => i) : hit.arguments;
    const key = spanKey(call);
    let egress = this.egress.get(key);
    if (!egress) {
      egress = { location: locationOf(call, this.file.sourceFile, this.file.path), hit, destination, classes: new Set() };
      this.egress.set(key, egress);
    }
    for (const i of indices) {
      const argNode = argExprs[i];
      let v = args[i];
      if (!argNode || !v) continue;
      // the host of a request's options (`http.request({ host: ip, path })`) is where it connects, not data it hands
      // over: a proxy connecting to the address it resolved for the target sends nobody that address
      if (i === hit.destination?.argument && v.fields) v = withoutFields(v, DESTINATION_FIELDS);
      const facts = collectFacts(withoutSenders(v, hit.senders, i));
      const site: SinkSite = { hit, call, argument: argNode, file: this.file, enclosing: this.frame.name, destination, ...withValue };
      for (const f of facts?.values() ?? []) this.reachSink(f, site, egress.classes);
      for (const slot of hit.recipients ?? []) {
        if (slot.argument !== i) continue;
        const addressee = this.recipientAt(slot, v, argNode, hit.label);
        if (addressee) this.reachSink(addressee, site, egress.classes);
      }
    }
  }

  /**
   * A recipient slot of a messaging door (`to` of an e-mail send): the message goes to whatever is there, so it is an
   * address of the slot's class even where nothing names it so — a DTO's `to`, typed in a package the scan cannot see.
   * Only a value this function was handed counts (a parameter's data, or what a call made of it): a literal or a setting
   * carries no fact, and `this` (what the object was configured with, an operator's address) is left out. A value that
   * already carries a data class flows as that class. The source is shadowable at the parameter, so a caller's own
   * source reaching the same slot is shown instead. A field of a parameter's declared type that reaches the slot
   * (`notification.to`, `notification: ProviderSendNotificationDTO`) is recorded for that type (recipientFieldRead).
   */
  private recipientAt(slot: RecipientSlot, v: Value, argNode: ts.Expression, label: string): Fact | undefined {
    const facts = collectFacts(readPath(v, slot.path, this.fieldDepth));
    if (!facts || isSourceFile(this.rec.node)) return undefined;
    const parameters = (this.rec.node as ts.SignatureDeclaration).parameters ?? [];
    let classified = false;
    let param: number | undefined;
    const fields: [ts.ParameterDeclaration, string][] = [];
    for (const f of facts.values()) {
      if (f.kind === "class") {
        classified = true;
        continue;
      }
      const m = /^p(\d+)$/.exec(f.root);
      if (!m) continue;
      const i = Number(m[1]);
      param = Math.min(param ?? Infinity, i);
      const declared = parameters[i];
      if (declared && f.path.length === 1) fields.push([declared, f.path[0]!]);
    }
    if (param === undefined) return undefined;
    const declared = parameters[param];
    const shown = slotExpression(argNode, slot.path) ?? argNode;
    const slotName = slot.path.join(".");
    const expression = shown === argNode ? `${shortText(argNode, this.file.sourceFile)}.${slotName}` : shortText(shown, this.file.sourceFile);
    const reason = `put in the recipient slot \`${slotName}\` of \`${label}\``;
    const origin = {
      dataClass: slot.dataClass,
      reason,
      node: shown,
      file: this.file,
      expression,
      shadowable: true,
      ...(declared ? { place: paramPlace(declared, this.file) } : {}),
    };
    const step = addStep(undefined, shown, this.file, `${slot.dataClass} put in the recipient slot \`${slotName}\` of \`${label}\``, "source");
    const fact = classFact(origin, step);
    for (const [p, field] of fields) {
      const key = this.ctx.declaredTypeKey(p);
      if (key !== undefined) this.ctx.writeStore(recipientFieldKey(key, field), factsValue(new Map([[fact.key, fact]])), this.rec);
    }
    return classified ? undefined : fact;
  }

  /**
   * `x.f` where `x` is a parameter declared with a type whose field `f` some function of the project puts in a recipient
   * slot (recipientAt): `f` holds addresses of that slot's class wherever it is read — medusa's local notification
   * provider logs the `notification.to` its SendGrid provider sends. Read from a flow-insensitive store, so a reader
   * analysed before the slot was seen is analysed again. Shadowable at the parameter, like a name-only source.
   */
  protected recipientFieldRead(e: ts.PropertyAccessExpression, carried: Value): Value {
    if (!isIdentifier(e.expression)) return EMPTY;
    const param = this.lookup(e.expression.text)?.decl;
    if (!param || !isParameter(param) || !param.type) return EMPTY;
    const key = this.ctx.declaredTypeKey(param);
    if (key === undefined) return EMPTY;
    const marks = this.ctx.readStore(recipientFieldKey(key, e.name.text), this.rec).facts;
    if (!marks) return EMPTY;
    const have = new Set<string>();
    for (const f of collectFacts(carried)?.values() ?? []) if (f.kind === "class") have.add(f.dataClass);
    const hits: SourceHit[] = [];
    for (const f of marks.values()) {
      if (f.kind !== "class" || have.has(f.dataClass)) continue;
      have.add(f.dataClass);
      // the origin's line from its file's text when it came from a cache entry located (located-node.ts)
      const line = nodeLocation(f.origin.node, f.origin.file).startLine;
      hits.push({
        dataClass: f.dataClass,
        reason: `field \`${e.name.text}\` of \`${param.type.getText(this.ctx.fileOf(param)?.sourceFile)}\`, ${f.origin.reason} at ${f.origin.file.path}:${line}`,
      });
    }
    return hits.length > 0 ? this.sourceValue(hits, e, e, true, paramPlace(param, this.ctx.fileOf(param) ?? this.file)) : EMPTY;
  }

  /**
   * How names evaluate for the destination evaluator here: a parameter of the analysed function is `Param(i)` (so a
   * summary's destination is substituted per call site); everything else the evaluator follows itself.
   */
  protected destinationEnv(): EvaluationEnvironment {
    return {
      checker: this.ctx.checker,
      nameValue: (node) => {
        if (!isIdentifier(node) || node.getSourceFile() !== this.file.sourceFile || !isInside(node, this.rec.node)) {
          return undefined;
        }
        const b = this.lookup(node.text);
        const i = b ? this.paramIndex.get(b.key) : undefined;
        return i !== undefined ? Param(i, [], node.text) : undefined;
      },
    };
  }

  /** A summary's sink seen from this call site: its destination with the callee's parameters replaced by our arguments. */
  protected siteAt(site: SinkSite, argExprs: readonly ts.Expression[]): SinkSite {
    const dv = site.destinationValue;
    if (!dv || !mentionsParam(dv)) return site;
    const env = this.destinationEnv();
    const sub = substituteParams(dv, (i) => (argExprs[i] ? evaluateDestination(argExprs[i]!, env) : undefined));
    return { ...site, destinationValue: sub, destination: toDestination(sub) };
  }

  /** A callee's sink seen from inside a door vetted for some classes: those classes are vetted there too. */
  protected inDoor(site: SinkSite): SinkSite {
    const door = joinDoors(this.frame.door, site.door);
    return door === site.door ? site : { ...site, door };
  }

  /** A fact at a sink argument: a flow if concrete, an entry of this function's summary if symbolic. */
  protected reachSink(f: Fact, site: SinkSite, classes: Set<string> | undefined): void {
    if (f.kind === "class") {
      // data of a class the enclosing door is vetted for stays inside
      if (site.door?.classes.includes(f.dataClass)) return;
      classes?.add(f.dataClass);
      const dest = site.destination.status === "resolved" ? ` to ${site.destination.host}` : site.destination.status === "same-origin" ? " to the same origin" : "";
      const step = addStep(f.step, site.argument, site.file, `sent by \`${site.hit.label}\`${dest}`, "sink");
      this.flows.push({ fact: f, site, step });
      return;
    }
    if (isSourceFile(this.rec.node)) return;
    let entries = this.siteEntries.get(site);
    if (entries === undefined) {
      const at = sinkIndexKey(site);
      entries = this.sinkIndex.get(at);
      if (entries === undefined) this.sinkIndex.set(at, (entries = new Map()));
      this.siteEntries.set(site, entries);
    }
    const i = entries.get(f.key);
    if (i !== undefined) {
      const old = this.sinks[i]!;
      if (f === old.fact || f.step === old.fact.step) return;
      // the shortest trace is the entry's; the others are candidates for its other paths
      let other: SymbolFact = f;
      if ((f.step?.length ?? 0) < (old.fact.step?.length ?? 0)) {
        this.sinks[i] = { fact: f, site };
        other = old.fact;
      }
      const candidates = this.sinkCandidates.get(i);
      if (candidates === undefined) this.sinkCandidates.set(i, [other]);
      else if (candidates.length < MAX_SINK_CANDIDATES && !candidates.some((c) => c.step === other.step)) candidates.push(other);
      return;
    }
    entries.set(f.key, this.sinks.length);
    this.sinks.push({ fact: f, site });
  }
}

/**
 * Where a site's entries are indexed in a summary (`sinkIndex`): the sink argument and the destination, symbolic or not.
 * Kept per site object: a callee's site that no substitution changes (`siteAt`, `inDoor` give it back as it is) is met
 * again by every analysis of every caller: growthbook's scan spelled 89,293 destinations for 5,706 site objects
 * (performance.md, session 50 — helper G).
 */
const sinkIndexKeys = new WeakMap<SinkSite, string>();

function sinkIndexKey(site: SinkSite): string {
  let key = sinkIndexKeys.get(site);
  if (key === undefined) sinkIndexKeys.set(site, (key = `${site.file.path}:${site.argument.pos}>${JSON.stringify(site.destinationValue ?? site.destination)}`));
  return key;
}

function mentionsParam(v: DestinationValue): boolean {
  switch (v.kind) {
    case "param":
      return true;
    case "concat":
      return v.parts.some(mentionsParam);
    case "url":
      return mentionsParam(v.input) || (v.base !== undefined && mentionsParam(v.base));
    case "object":
      return [...v.properties.values()].some(mentionsParam);
    case "fallback":
      return mentionsParam(v.left) || mentionsParam(v.right);
    default:
      return false;
  }
}

/** The expression the code writes at a slot when the argument is an object literal that spells it (`{ to: dto.to }`). */
function slotExpression(arg: ts.Expression, path: readonly string[]): ts.Node | undefined {
  let at: ts.Expression = arg;
  for (const name of path) {
    const literal = unwrap(at);
    if (!isObjectLiteralExpression(literal)) return undefined;
    const member = literal.properties.find((p) => p.name !== undefined && propertyNameText(p.name) === name);
    if (!member) return undefined;
    if (isShorthandPropertyAssignment(member)) return member.name;
    if (!isPropertyAssignment(member)) return undefined;
    at = member.initializer;
  }
  return at;
}

/**
 * A sink argument without what it holds in the door's sender slots (SenderSlot): the operator's address or number,
 * display name included — a name built from the same row as the mailbox carries the row's class as a whole.
 */
function withoutSenders(v: Value, slots: readonly SenderSlot[] | undefined, argument: number): Value {
  let out = v;
  for (const slot of slots ?? []) if (slot.argument === argument) out = withoutPath(out, slot.path);
  return out;
}

/** The store key under which a declared type's field is recorded as reaching a recipient slot. */
function recipientFieldKey(typeKey: string, field: string): string {
  return `t:${typeKey}:${field}`;
}

/** Fields of a request's options that name the host it connects to. */
const DESTINATION_FIELDS = ["host", "hostname"];
