import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { Log, Result } from "sarif";
import { runMain } from "../support/run-cli.js";
import { removeTree, writeTree, type Tree } from "../support/temp-tree.js";

export interface TreeScan {
  status: number | null;
  stderr: string;
  /** The SARIF text exactly as written. */
  sarifText: string;
  sarif: Log;
  results: Result[];
  /** Tool execution notifications' message texts. */
  notifications: string[];
}

/** A leaking line every hardening tree carries, to prove the rest of the scan still ran: one leak-to-log finding. */
export const LEAK = `export function notify(msisdn: string): void {\n  console.log("sms to", msisdn);\n}\n`;

/**
 * Scans a directory through the CLI's own main() in this process (no Node start-up per case) and reads the SARIF back.
 * The report goes to a file outside the scanned tree.
 */
export async function scanDir(root: string, args: string[] = []): Promise<TreeScan> {
  const out = mkdtempSync(path.join(os.tmpdir(), "flowgate-out-"));
  try {
    const file = path.join(out, "report.sarif");
    const run = await runMain(["scan", root, "--format", "sarif", "--output", file, "--quiet", ...args]);
    let sarifText = "";
    try {
      sarifText = readFileSync(file, "utf8");
    } catch {
      // no report: the status and stderr say why
    }
    const sarif = (sarifText === "" ? { version: "2.1.0", runs: [] } : JSON.parse(sarifText)) as Log;
    const runOut = sarif.runs[0];
    const notifications = (runOut?.invocations ?? []).flatMap((inv) =>
      (inv.toolExecutionNotifications ?? []).map((n) => n.message.text ?? ""),
    );
    return { status: run.status, stderr: run.stderr, sarifText, sarif, results: runOut?.results ?? [], notifications };
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

/** Writes a tree (with a policy file unless it has one), scans it, and removes it. */
export async function scanTree(tree: Tree, args: string[] = []): Promise<TreeScan & { root: string }> {
  const root = writeTree({ "flowgate.config.yaml": "extends: recommended\n", ...tree }, "flowgate-hardening-");
  try {
    return { ...(await scanDir(root, args)), root };
  } finally {
    removeTree(root);
  }
}

/** `file:line` of each result's primary location, sorted: what the assertions compare. */
export function resultLines(scan: TreeScan): string[] {
  return scan.results
    .map((r) => {
      const physical = r.locations?.[0]?.physicalLocation;
      return `${r.ruleId} ${physical?.artifactLocation?.uri}:${physical?.region?.startLine}`;
    })
    .sort();
}
