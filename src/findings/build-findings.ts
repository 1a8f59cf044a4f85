import { closest } from "fastest-levenshtein";
import type { Destination, Flow, FlowStep } from "../vocabulary/flow.js";
import type { SinkKind } from "../vocabulary/sink-kind.js";
import { compareLocations, type SourceLocation } from "../location.js";
import type { Notification } from "../result.js";
import type { ScannedFile, Workspace } from "../workspace/workspace.js";
import type { Finding } from "./finding.js";
import { assignFingerprints, fingerprintBase, normalizeCode } from "./fingerprint.js";
import { MAX_PATHS_SHOWN, type Granularity } from "./granularity.js";
import { lineHashes, startLines } from "./line-hash.js";
import { dataClassWords } from "../model/data-class-words.js";
import { listInWords, MessageBuilder, quoteCode, type Message } from "./message.js";
import { findRuleOrThrow, type RuleMetadata } from "./rule-catalog.js";
import { compareNotifications, compareOptionalLocations, compareStrings as cmp } from "./order.js";
import { codeFrameAt, textAt } from "./source-text.js";
import { findSuppressionComments, type SuppressionComment } from "./suppressions.js";
import { InternalErrors } from "../internal-errors.js";
import type { DataClassSpec, Sensitivity } from "../config/policy.js";
import { resultSecuritySeverity } from "./severity.js";

export interface BuiltFindings {
  findings: Finding[];
  notifications: Notification[];
}

/** A finding before its identity is known: fingerprints depend on the order of all findings with the same base. */
interface Draft {
  finding: Omit<Finding, "fingerprint">;
  base: string;
}

/**
 * Whether a flow is the scan's to report: a flow that runs wholly inside files loaded only because the scanned code
 * imports them (a package outside the include, imported-files.ts) is that package's own — found when it is scanned —
 * while one that starts in, passes through or ends in the scanned files is reported, wherever its door is.
 */
function inScope(flow: Flow, imported: ReadonlySet<string>): boolean {
  return pathInScope(flow.steps, imported);
}

function pathInScope(steps: readonly FlowStep[], imported: ReadonlySet<string>): boolean {
  return imported.size === 0 || steps.some((step) => !imported.has(step.location.file));
}

/** A flow with its other paths that are the scan's to report (a flow's own path is checked by inScope). */
function scopedOtherPaths(flow: Flow, imported: ReadonlySet<string>): Flow {
  if (flow.otherPaths === undefined || imported.size === 0) return flow;
  const otherPaths = flow.otherPaths.filter((path) => pathInScope(path, imported));
  const { otherPaths: _all, ...rest } = flow;
  return otherPaths.length > 0 ? { ...rest, otherPaths } : rest;
}

/** A flow's paths as a reader is shown them (presentSteps). */
function presented(flow: Flow): Flow {
  return { ...flow, steps: presentSteps(flow.steps), ...(flow.otherPaths ? { otherPaths: flow.otherPaths.map(presentSteps) } : {}) };
}

// Longer primary regions get no SARIF snippet: it would bloat the file for no reader.
const MAX_SNIPPET = 1000;

/**
 * Turns flows into findings: one per door (or per source × sink argument × data class at "flow" granularity; the
 * shortest path of each kept), with rule, message,
 * fingerprint and inline suppressions; adds suppression-unjustified findings and notifications for suppressions that
 * name unknown rules or cover nothing. Sorted by location, then rule, then fingerprint.
 */
export interface BuildOptions {
  /** Where a failure to build one door's finding is recorded (it becomes an internal error; the others still build). */
  internal?: InternalErrors;
  /** "door" (default): one finding per sink argument × rule; "flow": one per source × sink argument × data class. */
  granularity?: Granularity;
  /** The policy's data classes: their sensitivity sets each leak's security-severity. */
  dataClasses?: readonly DataClassSpec[];
  /**
   * Leave out what only a report shows — GitHub's line hash, the snippet, the code frame — for presentFindings to add
   * to the findings reported: an update review builds every finding of two or three runs and reports few of them.
   */
  bare?: boolean;
}

export function buildFindings(flows: Flow[], workspace: Workspace, rules: RuleMetadata[], options: BuildOptions = {}): BuiltFindings {
  const internal = options.internal ?? new InternalErrors();
  const granularity = options.granularity ?? "door";
  const sensitivities = new Map((options.dataClasses ?? []).map((c) => [c.id, c.sensitivity]));
  const files = new Map(workspace.files.map((f) => [f.path, f]));
  const notifications: Notification[] = [];
  const leaks = shortestFlows(flows.filter((f) => !f.vetted && inScope(f, workspace.imported)).map((f) => scopedOtherPaths(f, workspace.imported)));
  const groups = granularity === "door" ? doors(leaks) : leaks.map((flow) => [flow]);
  // a door whose finding we fail to build is an internal error of its own; the other doors still become findings
  const drafts: Draft[] = groups.flatMap((group) =>
    internal.attempt(
      { stage: "findings", function: group[0]!.sink.enclosingFunction, location: group[0]!.sink.location },
      () => [leakDraft(group, granularity, rules, files, (c) => sensitivities.get(c))],
      [],
    ),
  );

  const comments = workspace.files.flatMap(findSuppressionComments);
  const ruleIds = rules.map((r) => r.id);
  const used = new Set<SuppressionComment>();
  for (const comment of comments) {
    for (const id of comment.ruleIds.filter((id) => !ruleIds.includes(id))) {
      notifications.push({
        id: "suppression-unknown-rule",
        level: "warning",
        message: `The suppression names the unknown rule '${id}' (did you mean '${closest(id, ruleIds)}'?), so it suppresses nothing for it.`,
        location: comment.location,
      });
    }
    if (comment.ruleIds.length === 0) {
      notifications.push({
        id: "suppression-unknown-rule",
        level: "warning",
        message: "The suppression names no rule; write `// flowgate-ignore-next-line <rule-id> -- <justification>`.",
        location: comment.location,
      });
    }
    if (comment.justification === undefined && comment.ruleIds.length > 0) drafts.push(unjustifiedDraft(comment, rules, files));
  }
  for (const draft of drafts) {
    const comment = comments.find(
      (c) =>
        c.justification !== undefined &&
        c.location.file === draft.finding.location.file &&
        c.targetLine === draft.finding.location.startLine &&
        c.ruleIds.includes(draft.finding.ruleId),
    );
    if (comment?.justification !== undefined) {
      draft.finding.suppression = { justification: comment.justification, location: comment.location };
      used.add(comment);
    }
  }
  for (const comment of comments) {
    if (comment.justification !== undefined && !used.has(comment) && comment.ruleIds.some((id) => ruleIds.includes(id))) {
      notifications.push({
        id: "suppression-unused",
        level: "note",
        message: `The suppression of ${comment.ruleIds.join(", ")} covers no finding on line ${comment.targetLine}.`,
        location: comment.location,
      });
    }
  }

  drafts.sort(compareDrafts);
  const fingerprints = assignFingerprints(drafts, (d) => d.base);
  const findings = drafts.map((draft, i): Finding => ({ ...draft.finding, fingerprint: fingerprints[i] as string }));
  notifications.sort(compareNotifications);
  return { findings: options.bare === true ? findings : presentFindings(findings, files), notifications };
}

/**
 * The findings with what only a report shows, read from the files their primary locations are in: GitHub's line hash
 * (hashing the whole file's lines once per file), the snippet (when short enough) and the code frame. A finding in no
 * file of these is returned as it is.
 */
export function presentFindings(findings: readonly Finding[], files: ReadonlyMap<string, ScannedFile>): Finding[] {
  // a file's lines are hashed down to the last line a finding in it starts on, and only those lines' hashes are kept
  const wanted = startLines(
    findings.map((f) => f.location),
    (file) => files.get(file)?.path,
  );
  const hashesByFile = new Map<string, string[]>();
  return findings.map((finding): Finding => {
    const file = files.get(finding.location.file);
    if (!file) return finding;
    let hashes = hashesByFile.get(file.path);
    if (!hashes) hashesByFile.set(file.path, (hashes = lineHashes(file.text, wanted.get(file.path))));
    const presented: Finding = { ...finding, lineHash: hashes[finding.location.startLine - 1] };
    const snippet = textAt(file, finding.location);
    if (snippet !== undefined && snippet.length <= MAX_SNIPPET) presented.snippet = snippet;
    presented.codeFrame = codeFrameAt(file, finding.location);
    return presented;
  });
}

/** One flow per source × sink argument × data class: the one with the fewest steps, ties broken by the steps' places. */
function shortestFlows(flows: Flow[]): Flow[] {
  const best = new Map<string, Flow>();
  for (const flow of flows) {
    const key = JSON.stringify([flow.dataClass, flow.source.location, flow.sink.location, flow.sink.callee]);
    const kept = best.get(key);
    if (!kept || compareFlowPaths(flow, kept) < 0) best.set(key, flow);
  }
  return [...best.values()];
}

/** The flows of each door (sink argument × callee × kind, hence rule), each door's flows shortest first. */
function doors(flows: Flow[]): Flow[][] {
  const byDoor = new Map<string, Flow[]>();
  for (const flow of flows) {
    const key = JSON.stringify([flow.sink.location, flow.sink.callee, flow.sink.kind]);
    const list = byDoor.get(key);
    if (list) list.push(flow);
    else byDoor.set(key, [flow]);
  }
  return [...byDoor.values()].map((list) => list.sort(compareFlowPaths));
}

function compareFlowPaths(a: Flow, b: Flow): number {
  if (a.steps.length !== b.steps.length) return a.steps.length - b.steps.length;
  for (let i = 0; i < a.steps.length; i++) {
    const sa = a.steps[i] as FlowStep;
    const sb = b.steps[i] as FlowStep;
    const c = compareLocations(sa.location, sb.location) || cmp(sa.message, sb.message);
    if (c !== 0) return c;
  }
  return compareLocations(a.source.location, b.source.location) || cmp(a.dataClass, b.dataClass) || cmp(a.source.reason, b.source.reason);
}

/**
 * One finding for the flows of one door: the message names the data classes and links every source (a related
 * location per source place, in the order of their shortest paths); the identity leaves sources and classes out, so
 * it survives sources coming and going (docs/fingerprints.md). A flow-granularity finding is a door of one flow, whose
 * identity keeps its source and class.
 */
function leakDraft(
  flows: Flow[],
  granularity: Granularity,
  rules: RuleMetadata[],
  files: Map<string, ScannedFile>,
  sensitivityOf: (dataClass: string) => Sensitivity | undefined,
): Draft {
  const first = flows[0] as Flow;
  const sink = first.sink;
  const rule = findRuleOrThrow(rules, `leak-to-${sink.kind}`);
  const sinkFile = files.get(sink.location.file);
  const sinkText = sinkFile ? (textAt(sinkFile, sink.location) ?? "") : "";
  const shown = flows.map(presented);
  const sources = sourcePlaces(shown, (location, expression) => sourceText(files.get(location.file), location, expression));
  const message = leakMessage(shown, sources);
  const identity = (enclosing: string): string[] =>
    granularity === "flow"
      ? [first.dataClass, enclosing, sink.callee, normalizeCode(first.source.expression), normalizeCode(sinkText)]
      : [enclosing, sink.callee, normalizeCode(sinkText)];
  const parts = identity(sink.enclosingFunction);
  return {
    finding: {
      ruleId: rule.id,
      level: rule.level,
      message: message.text,
      messageLinks: message.links,
      location: sink.location,
      relatedLocations: sources.map((s) => ({ location: s.location, message: s.description })),
      flows: shown,
      securitySeverity: resultSecuritySeverity(rule.securitySeverity, [...new Set(flows.map((f) => f.dataClass))], sensitivityOf),
      movedIdentity: identity(sink.enclosingFunction.slice(sink.enclosingFunction.indexOf("#") + 1)),
    },
    base: fingerprintBase({ ruleId: rule.id, file: sink.location.file, parts }),
  };
}

/** A place data comes from, with the classes read there and why each was recognised. */
interface SourcePlace {
  location: SourceLocation;
  expression: string;
  classes: string[];
  /** "The e-mail address in `user.email`: named like an e-mail address." */
  description: string;
}

/** The distinct source places of a door's flows, in the order of their first (shortest) flow. */
function sourcePlaces(flows: Flow[], fullText: (location: SourceLocation, expression: string) => string): SourcePlace[] {
  const byPlace = new Map<string, { location: SourceLocation; expression: string; reasons: Map<string, string> }>();
  for (const flow of flows) {
    const key = JSON.stringify(flow.source.location);
    let place = byPlace.get(key);
    if (!place) {
      const expression = fullText(flow.source.location, flow.source.expression);
      byPlace.set(key, (place = { location: flow.source.location, expression, reasons: new Map() }));
    }
    if (!place.reasons.has(flow.dataClass)) place.reasons.set(flow.dataClass, flow.source.reason);
  }
  return [...byPlace.values()].map((place) => {
    const classes = [...place.reasons.keys()];
    const why = [...place.reasons].map(([dataClass, reason]) =>
      classes.length > 1 ? `${dataClassWords(dataClass)}: ${sentenceFragment(reason)}` : sentenceFragment(reason),
    );
    return {
      location: place.location,
      expression: place.expression,
      classes,
      description: `The ${listInWords(classes.map(dataClassWords))} in ${quoteCode(place.expression)}: ${why.join("; ")}.`,
    };
  });
}

/**
 * A source's code as messages quote it: the engine keeps a long expression's first characters only
 * (`(await prisma.user.findUnique({ where: … }...`), which can hide what made it a source (its `.email` at the end);
 * the code at its location is whole, and quoteCode() cuts it in the middle.
 */
function sourceText(file: ScannedFile | undefined, location: SourceLocation, expression: string): string {
  if (!expression.endsWith("...") || !file) return expression;
  const whole = textAt(file, location)?.replace(/\s+/g, " ");
  return whole !== undefined && whole.startsWith(expression.slice(0, -3)) ? whole : expression;
}

/**
 * The message as a reviewer would say it. One source: "The e-mail address in `user.email` (named like an e-mail
 * address) is sent by `axios.post` to api.crm.example, a host that is not vetted." Several: "Phone number and e-mail
 * address data from 3 sources (`a`, `b` and `c`) is sent by …", each source a link to its related location.
 */
function leakMessage(flows: Flow[], sources: SourcePlace[]): Message {
  const first = flows[0] as Flow;
  const classes = [...new Set(flows.map((f) => f.dataClass))];
  const m = new MessageBuilder();
  if (sources.length === 1) {
    const source = sources[0] as SourcePlace;
    m.add(`The ${listInWords(classes.map(dataClassWords))} in `).code(source.expression, 1);
    // Why it is restricted, unless the reason only names the source again (a request API: "express `req.ip`").
    if (flows.length === 1 && !first.source.reason.includes(quoteCode(source.expression))) m.add(` (${sentenceFragment(first.source.reason)})`);
  } else {
    m.add(`${capitalise(listInWords(classes.map(dataClassWords)))} data from ${sources.length} sources (`);
    // Sources that read alike (a parameter `user` in two handlers) are told apart by where they are.
    const alike = (source: SourcePlace) => sources.filter((other) => quoteCode(other.expression) === quoteCode(source.expression)).length > 1;
    sources.forEach((source, i) => {
      if (i > 0) m.add(i === sources.length - 1 ? " and " : ", ");
      m.code(source.expression, i + 1);
      if (alike(source)) m.add(` in ${source.location.file}:${source.location.startLine}`);
    });
    m.add(")");
  }
  m.add(` ${SINK_VERBS[first.sink.kind]} `).code(first.sink.label).add(`${destinationPhrase(flows)}${doorPhrase(flows)}${packagePhrase(first)}.`);
  if (flows.length > MAX_PATHS_SHOWN) m.add(` Paths are shown for the ${MAX_PATHS_SHOWN} shortest of its ${flows.length} flows.`);
  return m.build();
}

// What happens to the data at a sink of each kind, as the message says it.
const SINK_VERBS: Record<SinkKind, string> = {
  network: "is sent by",
  log: "is logged by",
  telemetry: "is sent to telemetry by",
  "third-party": "is handed to a third-party package by",
  queue: "is put on a message queue by",
  socket: "is sent over a socket by",
  storage: "is written to storage by",
  process: "is passed to another process by",
  "unmodelled-library": "is handed to a package no model describes by",
};

/**
 * Where the data goes, for every destination the door's flows have (a wrapper's sink can have several). A host vetted
 * for some data classes only (`{ host, classes }`) says which: the door's flows are those of the other classes.
 */
function destinationPhrase(flows: Flow[]): string {
  const vettedFor = new Map<string, readonly string[] | undefined>();
  for (const flow of flows) {
    if (flow.destination.status === "resolved") vettedFor.set(flow.destination.host, flow.vettedOnlyFor?.host ?? vettedFor.get(flow.destination.host));
  }
  const destinations: Destination[] = flows.map((f) => f.destination);
  const unvetted = [...vettedFor].flatMap(([host, classes]) => (classes === undefined ? [host] : [])).sort();
  const partly = [...vettedFor].flatMap(([host, classes]) => (classes === undefined ? [] : [{ host, classes }])).sort((a, b) => cmp(a.host, b.host));
  const unresolved = [...new Set(destinations.flatMap((d) => (d.status === "unresolved" ? [d.reason.replace(/\.$/, "")] : [])))].sort();
  const places: string[] = [];
  if (unvetted.length === 1) places.push(`${unvetted[0]}, a host that is not vetted`);
  else if (unvetted.length > 1) places.push(`${listInWords(unvetted)}, hosts that are not vetted`);
  for (const { host, classes } of partly) places.push(`${host}, a host vetted only for ${listInWords(classes.map(dataClassWords))}`);
  const out: string[] = places.length > 0 ? [` to ${places.join(", and ")}`] : [];
  const hosts = vettedFor.size;
  if (unresolved.length === 1) {
    const reason = unresolved[0] as string;
    out.push(
      /^destination could not be resolved/i.test(reason)
        ? `${hosts > 0 ? " and elsewhere" : ""}; the ${reason}, so it counts as not vetted`
        : `${hosts > 0 ? " and elsewhere" : ""}; the destination could not be resolved (${reason}), so it counts as not vetted`,
    );
  } else if (unresolved.length > 1) {
    out.push(`${hosts > 0 ? " and elsewhere" : ""}; ${unresolved.length} of its destinations could not be resolved, so they count as not vetted`);
  }
  return out.join("");
}

/**
 * When the data leaves through a vetted door that covers other data classes only (`{ call, classes }` in
 * `vetted.calls`): "; `Audit.record` is a vetted door only for device ID".
 */
function doorPhrase(flows: Flow[]): string {
  const doors = new Map<string, Set<string>>();
  for (const flow of flows) {
    const door = flow.vettedOnlyFor?.door;
    if (door) doors.set(door.label, new Set([...(doors.get(door.label) ?? []), ...door.classes]));
  }
  return [...doors]
    .sort(([a], [b]) => cmp(a, b))
    .map(([label, classes]) => `; ${quoteCode(label)} is a vetted door only for ${listInWords([...classes].sort().map(dataClassWords))}`)
    .join("");
}

/**
 * The steps a reader is shown: consecutive steps at one place are one step ("read from `email`" and "assigned to
 * `email`" at the same column of a destructuring), keeping the first one's words plus what a later one adds (a sink).
 */
export function presentSteps(steps: FlowStep[]): FlowStep[] {
  const out: FlowStep[] = [];
  for (const step of steps) {
    const last = out.at(-1);
    if (!last || compareLocations(last.location, step.location) !== 0) {
      out.push(step);
      continue;
    }
    if (step.role === "sink" || step.role === "source") {
      out[out.length - 1] = { ...last, role: step.role, message: last.message === step.message ? last.message : `${sentenceFragment(last.message)}, ${step.message}` };
    }
  }
  return out;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function unjustifiedDraft(comment: SuppressionComment, rules: RuleMetadata[], files: Map<string, ScannedFile>): Draft {
  const rule = findRuleOrThrow(rules, "suppression-unjustified");
  const file = files.get(comment.location.file);
  const target = file ? (textAt(file, lineLocation(comment.location.file, comment.targetLine)) ?? "") : "";
  return {
    finding: {
      ruleId: rule.id,
      level: rule.level,
      message: `The suppression of ${comment.ruleIds.join(", ")} gives no justification after '--', so it does not apply.`,
      location: comment.location,
      relatedLocations: [],
    },
    // Identity: what is suppressed and the code it was meant to cover, not where the comment stands.
    base: fingerprintBase({ ruleId: rule.id, file: comment.location.file, parts: [...comment.ruleIds].sort().concat(normalizeCode(target)) }),
  };
}

function lineLocation(file: string, line: number): SourceLocation {
  return { file, startLine: line, startColumn: 1, endLine: line + 1, endColumn: 1 };
}

/** Why a call into a package is a door: which package, and what would settle it. */
function packagePhrase(flow: Flow): string {
  if (flow.sink.package === undefined) return "";
  return `; no library model covers the package \`${flow.sink.package}\` and \`packages.local\` does not list it as keeping data in the process`;
}

/** A reason written as a sentence ("Matched by name.") embedded mid-sentence: no final period. */
function sentenceFragment(text: string): string {
  return text.trim().replace(/\.$/, "");
}

function compareDrafts(a: Draft, b: Draft): number {
  return (
    compareLocations(a.finding.location, b.finding.location) ||
    cmp(a.finding.ruleId, b.finding.ruleId) ||
    cmp(a.base, b.base) ||
    cmp(a.finding.message, b.finding.message) ||
    compareOptionalLocations(a.finding.relatedLocations[0]?.location, b.finding.relatedLocations[0]?.location)
  );
}
