import { spawnSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { CHANGE_POINT } from "./gateway-files.js";

/**
 * The update scan's input: a git repository whose HEAD~1 is the project and whose HEAD changes one file, the way a
 * small pull request does. `flowgate scan --base HEAD~1` then has one changed file to re-analyse.
 */
export function commitWithOneFileChange(dir: string, file: string): void {
  git(dir, ["init", "-q", "-b", "main"]);
  git(dir, ["add", "-A"]);
  git(dir, ["commit", "-q", "-m", "generated gateway"]);
  applyOneFileChange(dir, file);
  git(dir, ["commit", "-q", "-a", "-m", "one-file change"]);
}

/**
 * In a generated service: a new method that logs the whole DTO (a new leak). In any other file (a real checkout):
 * one appended exported constant, so the change is small and type-correct.
 */
export function applyOneFileChange(dir: string, file: string): void {
  const target = path.join(dir, file);
  const text = readFileSync(target, "utf8");
  const service = /export class (\w+)Service\b/.exec(text);
  if (service && text.includes(CHANGE_POINT)) {
    const method = [
      `  async benchChangeAudit(v: ${service[1]}Dto): Promise<void> {`,
      `    logger.info({ snapshot: JSON.stringify(v) }, "bench change");`,
      `  }`,
      CHANGE_POINT,
    ].join("\n");
    writeFileSync(target, text.replace(CHANGE_POINT, method));
  } else {
    writeFileSync(target, `${text.endsWith("\n") ? text : text + "\n"}export const flowgateBenchChange = 1;\n`);
  }
}

/** A throwaway clone of a real checkout (never its working tree) with one commit on top that changes one file. */
export function cloneWithOneFileChange(source: string, clone: string): string | undefined {
  if (!existsSync(path.join(source, ".git"))) return undefined;
  git(path.dirname(clone), ["clone", "-q", "--no-hardlinks", source, clone]);
  const tracked = git(clone, ["ls-files", "*.ts"]).split("\n").filter((f) => f && !f.endsWith(".d.ts")).sort();
  const file = tracked[0];
  if (!file) return undefined;
  applyOneFileChange(clone, file);
  git(clone, ["commit", "-q", "-a", "-m", "one-file change"]);
  return file;
}

function git(cwd: string, args: string[]): string {
  const result = spawnSync("git", ["-c", "user.name=flowgate-bench", "-c", "user.email=bench@localhost", ...args], {
    cwd,
    encoding: "utf8",
  });
  if (result.status !== 0) throw new Error(`git ${args.join(" ")} failed in ${cwd}: ${result.stderr.trim()}`);
  return result.stdout;
}
