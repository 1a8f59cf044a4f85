import type { EgressPoint, Flow } from "../../src/vocabulary/flow.js";
import { buildFindings } from "../../src/findings/build-findings.js";
import type { RuleMetadata } from "../../src/findings/rule-catalog.js";
import type { SourceLocation } from "../../src/location.js";
import type { ScanResult } from "../../src/result.js";
import type { Workspace } from "../../src/workspace/workspace.js";
import { memoryWorkspace } from "./memory-workspace.js";

/**
 * Hand-made scans: a workspace over in-memory files and flows written by the test, so findings and reporters are tested
 * without depending on the engine.
 */
export function makeWorkspace(files: Record<string, string>, root = "/scan/root"): Workspace {
  return memoryWorkspace(root, files);
}

/** The location of the `occurrence`-th (0-based) appearance of `needle` in a workspace file. */
export function locate(workspace: Workspace, file: string, needle: string, occurrence = 0): SourceLocation {
  const sourceFile = workspace.files.find((f) => f.path === file)?.sourceFile;
  if (!sourceFile) throw new Error(`no file ${file}`);
  let start = -1;
  for (let i = 0; i <= occurrence; i++) {
    start = sourceFile.text.indexOf(needle, start + 1);
    if (start < 0) throw new Error(`'${needle}' #${occurrence} not in ${file}`);
  }
  const a = sourceFile.getLineAndCharacterOfPosition(start);
  const b = sourceFile.getLineAndCharacterOfPosition(start + needle.length);
  return { file, startLine: a.line + 1, startColumn: a.character + 1, endLine: b.line + 1, endColumn: b.character + 1 };
}

/** A ScanResult around a workspace and flows, as scan() would assemble it. */
export function makeResult(workspace: Workspace, flows: Flow[], rules: RuleMetadata[], extra: Partial<ScanResult> = {}): ScanResult {
  const built = buildFindings(flows, workspace, rules);
  return {
    root: workspace.root,
    findings: built.findings,
    egress: [],
    notifications: [...workspace.notifications, ...built.notifications],
    stats: { filesScanned: workspace.files.length, filesSkipped: 0, functionsAnalysed: 3, summariesReused: 1, unresolvedCalls: 2, budgetHits: 0 },
    rules,
    policyFiles: ["flowgate.config.yaml"],
    ...extra,
  };
}

/** The demo scan most tests use: a wrapper leak over three files, a justified and an unjustified suppression. */
export const GATEWAY_FILES: Record<string, string> = {
  "src/notify.ts": `import axios from "axios";
import { format } from "./format";

export class Notifier {
  async send(user: { msisdn: string; name: string }) {
    const body = format(user.msisdn, user.name);
    // flowgate-ignore-next-line leak-to-log -- the audit logger writes to the enclave's local store
    console.log(user.msisdn);
    await axios.post(process.env.SMS_URL ?? "", body);
  }
}
`,
  "src/format.ts": `export function format(to: string, name: string) {
  return { to, text: \`Hello \${name}\` };
}
`,
  "src/debug.ts": `export function debug(req: { ip: string }) {
  // flowgate-ignore-next-line leak-to-log
  console.debug(req.ip);
  // flowgate-ignore-next-line leak-to-lgo -- typo in the rule id
  console.debug("[x](1) \u001b[31m <b>hi</b> \u202e", req.ip);
}
`,
};

export function gatewayFlows(ws: Workspace): Flow[] {
  const msisdn = locate(ws, "src/notify.ts", "user.msisdn");
  const source = { location: msisdn, reason: "named like a phone number", expression: "user.msisdn" };
  const ip = (n: number) => ({
    location: locate(ws, "src/debug.ts", "req.ip", n),
    reason: "express `req.ip`",
    expression: "req.ip",
  });
  return [
    {
      dataClass: "phone-number",
      source,
      sink: {
        location: locate(ws, "src/notify.ts", "body", 1),
        id: "axios-post",
        kind: "network",
        label: "axios.post",
        callee: "axios#default.post",
        enclosingFunction: "src/notify.ts#Notifier.send",
      },
      destination: { status: "unresolved", reason: "from process.env.SMS_URL" },
      vetted: false,
      steps: [
        { location: msisdn, message: "phone-number read from user.msisdn", role: "source" },
        { location: locate(ws, "src/notify.ts", "format(user.msisdn, user.name)"), message: "passed as 'to' to format()", role: "call" },
        { location: locate(ws, "src/format.ts", "{ to, text: `Hello ${name}` }"), message: "returned from format() in field 'to'", role: "return" },
        { location: locate(ws, "src/notify.ts", "body", 1), message: "sent by axios.post()", role: "sink" },
      ],
    },
    {
      dataClass: "phone-number",
      source,
      sink: {
        location: locate(ws, "src/notify.ts", "user.msisdn", 1),
        id: "console",
        kind: "log",
        label: "console.log",
        callee: "global#console.log",
        enclosingFunction: "src/notify.ts#Notifier.send",
      },
      destination: { status: "none" },
      vetted: false,
      steps: [{ location: locate(ws, "src/notify.ts", "user.msisdn", 1), message: "phone-number logged by console.log()", role: "sink" }],
    },
    ...[0, 1].map(
      (n): Flow => ({
        dataClass: "ip-address",
        source: ip(n),
        sink: {
          location: ip(n).location,
          id: "console",
          kind: "log",
          label: "console.debug",
          callee: "global#console.debug",
          enclosingFunction: "src/debug.ts#debug",
        },
        destination: { status: "none" },
        vetted: false,
        steps: [{ location: ip(n).location, message: "ip-address logged by console.debug()", role: "sink" }],
      }),
    ),
  ];
}

/** The egress points of the hand-made gateway: the unresolved axios call, two loggers, and a vetted enclave call. */
export function gatewayEgress(ws: Workspace): EgressPoint[] {
  return [
    {
      location: locate(ws, "src/notify.ts", 'axios.post(process.env.SMS_URL ?? "", body)'),
      kind: "network",
      label: "axios.post",
      callee: "axios#default.post",
      destination: { status: "unresolved", reason: "from process.env.SMS_URL" },
      vetted: false,
      dataClasses: ["phone-number"],
    },
    {
      location: locate(ws, "src/notify.ts", "console.log(user.msisdn)"),
      kind: "log",
      label: "console.log",
      callee: "global#console.log",
      destination: { status: "none" },
      vetted: false,
      dataClasses: ["phone-number"],
    },
    {
      location: locate(ws, "src/debug.ts", "console.debug(req.ip)"),
      kind: "log",
      label: "console.debug",
      callee: "global#console.debug",
      destination: { status: "none" },
      vetted: false,
      dataClasses: ["ip-address"],
    },
    {
      location: locate(ws, "src/format.ts", "{ to, text: `Hello ${name}` }"),
      kind: "network",
      label: "enclave.send",
      callee: "src/enclave.ts#EnclaveClient.send",
      destination: { status: "resolved", host: "vault.enclave.eu.internal", url: "https://vault.enclave.eu.internal/v1/store" },
      vetted: true,
      dataClasses: [],
    },
  ];
}
