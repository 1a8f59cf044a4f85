import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import type { VersionControl } from "../result.js";

/**
 * The git work tree a directory is in, read from the files of its `.git` — HEAD, refs, packed-refs, config — and never
 * by running git: a scanned tree's git configuration can name programs to run (hooks, fsmonitor), and flowgate runs
 * nothing from the tree it scans. Undefined when the directory is in no work tree, HEAD cannot be resolved to a commit,
 * or no remote has an absolute URL (SARIF's versionControlDetails requires a repository URI; a local path would name
 * the scanning machine). Credentials in a remote URL are dropped.
 */
export function readVersionControl(dir: string): VersionControl | undefined {
  const workTree = findWorkTree(path.resolve(dir));
  if (!workTree) return undefined;
  const gitDir = gitDirOf(workTree);
  if (!gitDir) return undefined;
  const commonDir = readText(path.join(gitDir, "commondir"))?.trim();
  const common = commonDir ? path.resolve(gitDir, commonDir) : gitDir;
  const head = readText(path.join(gitDir, "HEAD"))?.trim();
  if (!head) return undefined;
  const ref = head.startsWith("ref:") ? head.slice(4).trim() : undefined;
  const revision = ref ? resolveRef(ref, gitDir, common) : head;
  if (!revision || !/^[0-9a-f]{40}([0-9a-f]{24})?$/.test(revision)) return undefined;
  const branch = ref?.startsWith("refs/heads/") ? ref.slice("refs/heads/".length) : undefined;
  const repositoryUri = remoteUri(readText(path.join(common, "config")) ?? "", branch);
  if (!repositoryUri) return undefined;
  const rootInRepository = path.relative(workTree, path.resolve(dir)).split(path.sep).join("/");
  return { repositoryUri, revision, ...(branch !== undefined ? { branch } : {}), rootInRepository };
}

function findWorkTree(start: string): string | undefined {
  for (let dir = start; ; dir = path.dirname(dir)) {
    if (statSync(path.join(dir, ".git"), { throwIfNoEntry: false })) return dir;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** `.git` is the git directory, or a file `gitdir: <path>` (a linked work tree, a submodule). */
function gitDirOf(workTree: string): string | undefined {
  const dotGit = path.join(workTree, ".git");
  if (statSync(dotGit, { throwIfNoEntry: false })?.isDirectory()) return dotGit;
  const pointer = readText(dotGit)?.match(/^gitdir:\s*(.+)$/m)?.[1]?.trim();
  return pointer ? path.resolve(workTree, pointer) : undefined;
}

function resolveRef(ref: string, gitDir: string, common: string): string | undefined {
  if (!/^refs\/[^\0]+$/.test(ref) || ref.split("/").includes("..")) return undefined;
  for (const dir of [gitDir, common]) {
    const loose = readText(path.join(dir, ref))?.trim();
    if (loose) return loose.startsWith("ref:") ? resolveRef(loose.slice(4).trim(), gitDir, common) : loose;
  }
  for (const line of (readText(path.join(common, "packed-refs")) ?? "").split("\n")) {
    const [sha, name] = line.trim().split(/\s+/);
    if (name === ref && sha) return sha;
  }
  return undefined;
}

/** The URL of the branch's remote, else `origin`'s, else the first remote's; without credentials; absolute only. */
function remoteUri(config: string, branch: string | undefined): string | undefined {
  const remotes = new Map<string, string>();
  let branchRemote: string | undefined;
  let section = "";
  for (const raw of config.split("\n")) {
    const line = raw.trim();
    const header = line.match(/^\[\s*([^\s\]"]+)(?:\s+"((?:[^"\\]|\\.)*)")?\s*\]/);
    if (header) {
      section = `${header[1]!.toLowerCase()}\0${header[2] ?? ""}`;
      continue;
    }
    const entry = line.match(/^([A-Za-z][\w-]*)\s*=\s*(.*)$/);
    if (!entry) continue;
    const key = entry[1]!.toLowerCase();
    const value = entry[2]!.replace(/^"(.*)"$/, "$1").trim();
    const [name, sub] = section.split("\0") as [string, string];
    if (name === "remote" && key === "url" && !remotes.has(sub)) remotes.set(sub, value);
    if (name === "branch" && sub === branch && key === "remote") branchRemote = value;
  }
  const url = remotes.get(branchRemote ?? "") ?? remotes.get("origin") ?? remotes.values().next().value;
  return url === undefined ? undefined : absoluteUri(url);
}

/** `https://user:token@host/x` → `https://host/x`; `git@host:owner/repo.git` → `ssh://host/owner/repo.git`. */
export function absoluteUri(url: string): string | undefined {
  const scpLike = url.match(/^(?:[^@/\s]+@)?([A-Za-z0-9.-]+):(?!\/\/)([^\s]+)$/);
  if (scpLike && !/^[A-Za-z]:[\\/]/.test(url)) return `ssh://${scpLike[1]}/${scpLike[2]!.replace(/^\/+/, "")}`;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined; // a relative path or something else that is not a URL
  }
  if (parsed.protocol === "file:" || !parsed.host) return undefined;
  parsed.username = "";
  parsed.password = "";
  return parsed.toString();
}

function readText(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8");
  } catch {
    return undefined;
  }
}
