import { execFile } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { SARIF_MULTITOOL } from "./paths.js";

const run = promisify(execFile);

/** One complaint of the validator: rule id (SARIF2001, GH1005, JSON schema errors…), level and message. */
export interface ValidatorIssue {
  ruleId: string;
  level: string;
  message: string;
  /** Where in the SARIF it points, e.g. "runs[0].results[3].message.text", when the validator says. */
  where?: string;
}

export interface ValidationReport {
  errors: ValidatorIssue[];
  warnings: ValidatorIssue[];
  notes: ValidatorIssue[];
}

interface ValidatorLog {
  runs?: {
    results?: {
      ruleId?: string;
      level?: string;
      message?: { text?: string; id?: string; arguments?: string[] };
      locations?: { logicalLocations?: { fullyQualifiedName?: string }[] }[];
    }[];
    tool?: { driver?: { rules?: { id: string; messageStrings?: Record<string, { text: string }> }[] } };
    invocations?: { toolExecutionNotifications?: { level?: string; message?: { text?: string } }[] }[];
  }[];
}

/**
 * Runs Microsoft's SARIF Multitool validator with the SARIF and GitHub rule sets (`--rule-kind "Gh;Sarif"`) on a SARIF
 * file path or a SARIF text, and returns what it reports. The binary is run directly with an argument array (no shell).
 * Tool failures (the validator crashing on input it cannot read at all) become errors too, never a silent pass.
 */
export async function validateSarif(input: { path: string } | { text: string }): Promise<ValidationReport> {
  const dir = await mkdtemp(path.join(os.tmpdir(), "flowgate-sarif-"));
  try {
    const file = "path" in input ? input.path : path.join(dir, "input.sarif");
    if ("text" in input) await writeFile(file, input.text);
    const out = path.join(dir, "validation.sarif");
    const args = ["validate", file, "--rule-kind", "Gh;Sarif", "--level", "Error;Warning;Note", "-o", out, "--log", "ForceOverwrite"];
    try {
      await run(SARIF_MULTITOOL, args, { maxBuffer: 64 * 1024 * 1024 });
    } catch (error) {
      // Non-zero exit when the input has errors; the output file still says which. No output file = a real failure.
      const exists = await readFile(out, "utf8").then(
        () => true,
        () => false,
      );
      if (!exists) throw error;
    }
    return collect(JSON.parse(await readFile(out, "utf8")) as ValidatorLog);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

function collect(log: ValidatorLog): ValidationReport {
  const report: ValidationReport = { errors: [], warnings: [], notes: [] };
  for (const run of log.runs ?? []) {
    const rules = run.tool?.driver?.rules ?? [];
    for (const result of run.results ?? []) {
      const rule = rules.find((r) => r.id === result.ruleId);
      const template = result.message?.id ? rule?.messageStrings?.[result.message.id]?.text : undefined;
      const args = result.message?.arguments ?? [];
      const message =
        result.message?.text ??
        (template ? template.replace(/\{(\d+)\}/g, (_m, i: string) => args[Number(i)] ?? "") : args.join(" "));
      const issue: ValidatorIssue = {
        ruleId: result.ruleId ?? "?",
        level: result.level ?? "warning",
        message,
        where: args[0],
      };
      bucket(report, issue.level).push(issue);
    }
    for (const invocation of run.invocations ?? []) {
      for (const n of invocation.toolExecutionNotifications ?? []) {
        if (n.level === "error") report.errors.push({ ruleId: "tool", level: "error", message: n.message?.text ?? "" });
      }
    }
  }
  return report;
}

function bucket(report: ValidationReport, level: string): ValidatorIssue[] {
  return level === "error" ? report.errors : level === "note" || level === "none" ? report.notes : report.warnings;
}
