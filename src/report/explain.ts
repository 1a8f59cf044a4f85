import { Chalk } from "chalk";
import type { Policy } from "../config/policy.js";
import type { Destination, Flow, FlowStep } from "../vocabulary/flow.js";
import type { Finding } from "../findings/finding.js";
import type { RuleMetadata } from "../findings/rule-catalog.js";
import { compileHostPatterns } from "../model/hosts.js";
import { dataClassWords } from "../model/data-class-words.js";
import { identifierTokens } from "../model/identifier-tokens.js";
import { LOGGER_LEVEL_CALL } from "../model/logger-calls.js";
import { listInWords, quoteCode } from "../findings/message.js";
import { throughWords } from "../findings/other-paths.js";
import type { SourceLocation } from "../location.js";
import { terminalSafe } from "./terminal-safe.js";

/** What an explanation reads besides the finding: the policy the scan ran with and the rules. */
export interface ExplainContext {
  policy: Policy;
  rules: readonly RuleMetadata[];
  /** The policy file, as the scan named it (`flowgate.config.yaml`), for the suggested edits; undefined without one. */
  policyFile: string | undefined;
  color: boolean;
}

/**
 * `flowgate explain`: one finding told in full, for a reviewer asking "why is this here?" without reading the engine —
 * the sink and why it is one, where the data goes and why that is not vetted, every source with why it was classified
 * and its whole path (why each step carries the data), and what would vet it. Plain text; scanned code through
 * terminalSafe().
 */
export function renderExplanation(finding: Finding, context: ExplainContext): string {
  // An explicit level, as in text.ts: chalk's default instance decides at import time, from the terminal of the process
  // that imported it (the startup snapshot's builder had none).
  const c = new Chalk({ level: context.color ? 1 : 0 });
  const bold = (text: string) => c.bold(text);
  const rule = context.rules.find((r) => r.id === finding.ruleId);
  const out: string[] = [];
  const severity = finding.securitySeverity ?? rule?.securitySeverity;
  out.push(
    bold(`${finding.ruleId} (${finding.level}${severity !== undefined ? `, security-severity ${severity}` : ""}) at ${where(finding.location)}`),
    `  ${terminalSafe(finding.message)}`,
    `  fingerprint ${finding.fingerprint}${finding.baselineState ? `, ${finding.baselineState} in this update` : ""}${finding.suppression ? `, suppressed: ${terminalSafe(finding.suppression.justification)}` : ""}`,
  );
  const flows = finding.flows ?? [];
  if (flows.length === 0) {
    // not a leak (a suppression without a justification, a policy change): the rule's help says what it means
    if (rule) out.push("", bold("What it means"), ...indent(rule.help.text));
    return out.join("\n") + "\n";
  }
  const first = flows[0]!;
  out.push("", bold("Where the data leaves"), ...indent(sinkText(first, context.policy)));
  out.push("", bold("Where it goes"), ...indent(destinationText(flows, context.policy)));
  const bySource = groupBySource(flows);
  out.push("", bold(`What reaches it: ${bySource.length} source${bySource.length === 1 ? "" : "s"}, ${flows.length} path${flows.length === 1 ? "" : "s"}`));
  bySource.forEach((group, i) => {
    const related = finding.relatedLocations.find((r) => JSON.stringify(r.location) === JSON.stringify(group[0]!.source.location));
    out.push(...sourceText(group, i + 1, context.policy, related?.message));
  });
  out.push("", bold("What would vet it"), ...indent(remedies(finding, flows, context)));
  return out.join("\n") + "\n";
}

/** A one-line list of the findings a query could have meant, for the "no such finding" message. */
export function findingLine(finding: Finding): string {
  const message = finding.message.length > 100 ? `${finding.message.slice(0, 99)}…` : finding.message;
  return `${where(finding.location)}  ${finding.ruleId}  ${finding.fingerprint.slice(0, 12)}  ${terminalSafe(message)}`;
}

function sinkText(flow: Flow, policy: Policy): string {
  const sink = flow.sink;
  const model = policy.models.find((m) => m.sinks.some((row) => row.id === sink.id));
  const row = model?.sinks.find((r) => r.id === sink.id);
  const why =
    sink.kind === "unmodelled-library"
      ? `a call into the package \`${sink.package ?? "?"}\`, which no library model describes and packages.local does not list as keeping data in the process`
      : sink.id === LOGGER_LEVEL_CALL
        ? "a log level call on a logger whose body the scan does not see (named or typed as a logger, no scanned implementation, no model): docs/catalogue.md#loggers-without-a-scanned-body"
        : model
        ? `a ${sink.kind} sink: ${model.id === "policy" ? "the policy's own `sinks:`" : `the library model ${model.file}`} lists \`${row?.call ?? sink.callee}\` (row \`${sink.id}\`)`
        : `a ${sink.kind} sink`;
  return terminalSafe(
    `${quoteCode(sink.label)} at ${where(sink.location)} (in ${sink.enclosingFunction}) — ${why}; the argument marked here leaves the gateway, so the rule is leak-to-${sink.kind}.`,
  );
}

function destinationText(flows: Flow[], policy: Policy): string[] {
  const seen = new Map<string, { destination: Destination; flows: Flow[] }>();
  for (const flow of flows) {
    const key = JSON.stringify(flow.destination);
    const entry = seen.get(key);
    if (entry) entry.flows.push(flow);
    else seen.set(key, { destination: flow.destination, flows: [flow] });
  }
  return [...seen.values()].map(({ destination, flows: these }) => {
    const classes = [...new Set(these.map((f) => f.dataClass))];
    switch (destination.status) {
      case "resolved": {
        const from = destination.url !== undefined ? ` (read from the URL ${destination.url})` : "";
        const entries = policy.vetted.hosts.filter((entry) => compileHostPatterns([entry.host])(destination.host));
        const only = these.find((f) => f.vettedOnlyFor?.host)?.vettedOnlyFor?.host;
        const verdict = only
          ? `vetted.hosts vets it only for ${only.join(", ")} (${entries.map((e) => `\`${e.host}\``).join(", ")}); ${classes.join(", ")} ${classes.length === 1 ? "is" : "are"} not among them`
          : entries.length > 0
            ? `vetted.hosts names it, but not for ${classes.join(", ")}`
            : `no vetted.hosts entry matches it (${policy.vetted.hosts.length} entr${policy.vetted.hosts.length === 1 ? "y" : "ies"}), so it is not vetted`;
        return terminalSafe(`Sent to ${destination.host}${from}: ${verdict}.`);
      }
      case "unresolved":
        return terminalSafe(
          `Not resolved: ${destination.reason.replace(/\.$/, "")}. flowgate evaluates string constants, template literals, configuration objects and instance base URLs it can see; a host it cannot read counts as not vetted.`,
        );
      case "none":
        return `No destination host: a ${these[0]!.sink.kind} sink has none to vet; what it is given leaves the gateway wherever its output goes.`;
      case "same-origin":
        return terminalSafe(`Sent to the path ${destination.path} on the origin the code runs on: the gateway's own routes, so it stays inside.`);
    }
  });
}

function groupBySource(flows: Flow[]): Flow[][] {
  const groups = new Map<string, Flow[]>();
  for (const flow of flows) {
    const key = JSON.stringify(flow.source.location);
    groups.set(key, [...(groups.get(key) ?? []), flow]);
  }
  return [...groups.values()];
}

/**
 * One source: what it is and where (as its related location says it, which quotes a long expression whole), then per
 * data class why it was classified and its path.
 */
function sourceText(flows: Flow[], index: number, policy: Policy, description: string | undefined): string[] {
  const source = flows[0]!.source;
  const classes = flows.map((f) => dataClassWords(f.dataClass));
  // the related location's description quotes the source's code first: whole, where the engine cut a long one
  const expression = /`([^`]*)`/.exec(description ?? "")?.[1] ?? source.expression;
  const out = ["", terminalSafe(`  ${index}. The ${listInWords([...new Set(classes)])} in ${quoteCode(expression)} at ${where(source.location)}`)];
  for (const flow of flows) {
    const spec = policy.dataClasses.find((d) => d.id === flow.dataClass);
    const about = spec?.description ? ` — ${spec.description.replace(/\.$/, "")}` : "";
    const paired = spec?.pairedNames ?? {};
    const entry = spec ? nameEntry(expression, [...spec.names, ...Object.keys(paired)]) : undefined;
    const partners = entry !== undefined ? paired[entry] : undefined;
    const listed = partners === undefined ? "one of the class's `names`" : `one of the class's \`pairedNames\`, and its file names ${partners.map((p) => `\`${p}\``).join(" or ")}`;
    const token = entry !== undefined && /^named like/.test(flow.source.reason) ? ` — the name's last words are \`${entry}\`, ${listed}` : "";
    out.push(terminalSafe(`     Why it is ${flow.dataClass}: ${flow.source.reason.replace(/\.$/, "")}${token} (data class ${flow.dataClass}${about}; sensitivity ${spec?.sensitivity ?? "moderate"}).`));
    out.push(`     Path (${flow.steps.length} step${flow.steps.length === 1 ? "" : "s"}):`);
    flow.steps.forEach((step, i) => out.push(terminalSafe(`       ${i + 1}. ${where(step.location)}  ${step.message} — ${ROLE_WHY[step.role]}`)));
    for (const other of flow.otherPaths ?? []) {
      out.push(terminalSafe(`     Another path (${other.length} step${other.length === 1 ? "" : "s"}), ${throughWords(flow.steps, other)}:`));
      other.forEach((step, i) => out.push(terminalSafe(`       ${i + 1}. ${where(step.location)}  ${step.message} — ${ROLE_WHY[step.role]}`)));
    }
  }
  return out;
}

/**
 * The `names:` entry a source's name matched by: the longest entry whose words end the name's last identifier, or are
 * followed only by more words (`phoneNumberE164`). A hint for the reader; the matcher (src/model/data-classes.ts) decides.
 */
function nameEntry(expression: string, names: readonly string[]): string | undefined {
  const identifier = expression.split(/[^\p{L}\p{N}_$-]+/u).filter(Boolean).at(-1) ?? "";
  const words = identifierTokens(identifier).join(" ");
  const candidates = names.filter((name) => {
    const entry = identifierTokens(name).join(" ");
    return entry !== "" && (` ${words} `).includes(` ${entry} `);
  });
  return candidates.sort((a, b) => identifierTokens(b).length - identifierTokens(a).length)[0];
}

// Why a step of each role carries the data on, as a reviewer would want it said.
const ROLE_WHY: Record<FlowStep["role"], string> = {
  source: "restricted data enters here",
  step: "the value is carried on here (assigned, copied into an object, array or string, or read back out of one)",
  call: "it is handed to a function of the project, whose summary carries it to what the function does with it",
  return: "it comes back out of that function to the caller",
  sink: "it leaves the gateway here",
};

function remedies(finding: Finding, flows: Flow[], context: ExplainContext): string[] {
  const classes = [...new Set(flows.map((f) => f.dataClass))].sort();
  const sink = flows[0]!.sink;
  const file = context.policyFile ?? "flowgate.config.yaml";
  const hosts = [...new Set(flows.flatMap((f) => (f.destination.status === "resolved" ? [f.destination.host] : [])))];
  const out: string[] = [];
  for (const host of hosts) {
    const only = flows.find((f) => f.destination.status === "resolved" && f.destination.host === host)?.vettedOnlyFor?.host ?? [];
    const all = [...new Set([...only, ...classes])].sort();
    out.push(`- If ${host} may receive ${classes.join(", ")} (a contract covers it): in ${file}, \`vetted.hosts: [{ host: ${host}, classes: [${all.join(", ")}] }]\`.`);
  }
  if (flows.some((f) => f.destination.status === "unresolved")) {
    out.push("- Make the destination readable (a URL constant or configuration object flowgate can evaluate), so a vetted host can vet it.");
  }
  if (sink.kind === "unmodelled-library" && sink.package !== undefined) {
    out.push(`- If \`${sink.package}\` keeps data in the process: \`packages: { local: [${sink.package}] }\`; otherwise describe it with a library model or \`sinks:\`.`);
  }
  out.push(
    `- If \`${sink.enclosingFunction}\` is the reviewed way out for this data: \`vetted.calls: [{ call: "${sink.enclosingFunction}", classes: [${classes.join(", ")}] }]\`.`,
    `- If the data should not leave: take it out of the argument, or pass it through a sanitizer (a redaction or hashing function listed in \`sanitizers:\`).`,
    `- To accept this one occurrence with a reason: \`// flowgate-ignore-next-line ${finding.ruleId} -- <why>\` on the line above ${where(finding.location)}.`,
  );
  return out.map(terminalSafe);
}

function where(location: SourceLocation): string {
  return terminalSafe(`${location.file}:${location.startLine}:${location.startColumn}`);
}

function indent(text: string | string[]): string[] {
  return (Array.isArray(text) ? text : text.split("\n")).map((line) => (line === "" ? "" : `  ${line}`));
}
