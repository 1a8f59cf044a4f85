import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { UsageError } from "../errors.js";
import { hostPatternError } from "../model/hosts.js";
import { parseCallReference } from "./call-reference.js";
import { mergeDataClasses } from "./merge-data-classes.js";
import { knownModels, knownPacks, loadShippedModel, loadShippedPack, normalizeDataClass, type LoadedPack } from "./packs.js";
import { parsePolicyDocument, formatYamlPath, type PolicyDocument, type YamlPath } from "./policy-document.js";
import type { DataClassSpec, LibraryModel, Policy, PolicyOrigin, SinkRow, ValidatorRow, VettedCall, VettedHost } from "./policy.js";
import { throwIfProblems, type PolicyProblem } from "./policy-problems.js";
import { schemaProblems, shippedSchemas } from "./schema-validation.js";
import { suggestClosest } from "./suggest.js";
import { realPath } from "../real-path.js";

/** Where policy files are read from: the working tree, or (in update review) the base revision. */
export interface PolicySource {
  /** Reads a file relative to the scan root; undefined when it does not exist. */
  read(relativePath: string): string | undefined;
  /** For messages: "working tree", "base revision abc123". */
  description: string;
}

export interface LoadPolicyOptions {
  root: string;
  /** --config FILE, relative to the cwd or absolute. */
  configPath?: string;
  source?: PolicySource;
}

/** The policy file names looked for at the scan root, in order. */
export const POLICY_FILE_NAMES = ["flowgate.config.yaml", "flowgate.config.yml"];

/** Policy files flowgate refuses to run (configuration code): found in place of a YAML file, they are an error. */
export const CODE_POLICY_FILE_NAMES = ["js", "cjs", "mjs", "ts"].map((extension) => `flowgate.config.${extension}`);
/** Used when there is no policy file, or the file has no `extends`. */
export const DEFAULT_PACKS = ["recommended"];
/** flowgate never evaluates configuration code: these are refused, not loaded. */
const CODE_CONFIG = /\.(js|cjs|mjs|ts|cts|mts)$/;

/** Reads policy files from the scanned directory on disk. */
export function workingTreeSource(root: string): PolicySource {
  return {
    description: "working tree",
    read(relativePath) {
      const absolute = path.resolve(root, relativePath);
      const stat = statSync(absolute, { throwIfNoEntry: false });
      if (!stat) return undefined;
      if (!stat.isFile()) throw new UsageError(`policy file ${relativePath} is not a file`);
      try {
        return readFileSync(absolute, "utf8");
      } catch (err) {
        throw new UsageError(`cannot read policy file ${relativePath}: ${(err as NodeJS.ErrnoException).code ?? String(err)}`);
      }
    },
  };
}

/** The user's policy file as written (data still unchecked), after schema validation. */
interface UserPolicy {
  extends?: string | string[];
  dataClasses?: Partial<DataClassSpec>[];
  sinks?: UserSink[];
  sanitizers?: string[];
  vetted?: { hosts?: (string | VettedHost)[]; calls?: (string | VettedCall)[] };
  packages?: { local?: string[] };
  classTags?: string[];
  validators?: ValidatorRow[];
  include?: string[];
  exclude?: string[];
}

interface UserSink {
  id: string;
  kind: SinkRow["kind"];
  call: string;
  argument?: number;
  arguments?: number[] | "all";
  destination?: SinkRow["destination"];
  label?: string;
}

/**
 * Loads flowgate.config.yaml (or --config) through the PolicySource, validates it against the shipped JSON Schema,
 * checks call references and host patterns, and merges it with the packs it extends. Every problem is a PolicyError
 * naming file:line:column; a missing or JavaScript config file is a UsageError.
 */
export function loadPolicy(options: LoadPolicyOptions): Policy {
  const root = path.resolve(options.root);
  const source = options.source ?? workingTreeSource(root);
  const userFile = findUserFile(root, source, options.configPath);
  const schemas = shippedSchemas();

  let user: UserPolicy = {};
  let document: PolicyDocument | undefined;
  if (userFile) {
    document = parsePolicyDocument(userFile.text, displayNameOf(root, userFile.relative, source));
    // every problem of the file at once: its shape, its references and its packs, whichever fails first
    const shapeProblems = schemaProblems(document, schemas["flowgate.config"]);
    const problems = [
      ...shapeProblems,
      ...checkReferences(document, document.data),
      ...checkPacks(document, document.data),
      ...checkVettedClasses(document, document.data),
    ];
    throwIfProblems(document.displayName, problems);
    user = document.data as UserPolicy;
  }

  const packNames = user.extends === undefined ? DEFAULT_PACKS : typeof user.extends === "string" ? [user.extends] : user.extends;
  // unknown names in the user's extends were reported with the file's other problems (checkPacks)
  const packs = withIncludedPacks(packNames.map((name) => loadShippedPack(name)));

  const dataClasses = mergeDataClasses(...packs.map((p) => p.dataClasses), (user.dataClasses ?? []).map(normalizeDataClass));
  const { models, modelFiles } = loadPackModels(packs, dataClasses);
  for (const pack of packs) checkValidatorClasses(pack.validators, dataClasses, (at, message) => pack.document.error(at, message));
  if (document) checkValidatorClasses(user.validators ?? [], dataClasses, (at, message) => document.error(at, message));
  if (user.sinks && user.sinks.length > 0) models.push(policyModel(user.sinks, userFile!.relative));

  const canonical = (ref: string) => {
    const parsed = parseCallReference(ref);
    return "error" in parsed ? ref : parsed.text;
  };
  return {
    files: [...(userFile ? [userFile.relative] : []), ...packs.map((p) => p.file), ...modelFiles],
    dataClasses,
    models,
    sanitizers: (user.sanitizers ?? []).map(canonical),
    vetted: {
      hosts: (user.vetted?.hosts ?? []).map((entry) => (typeof entry === "string" ? { host: entry } : entry)),
      calls: (user.vetted?.calls ?? []).map((entry) =>
        typeof entry === "string" ? { call: canonical(entry) } : { call: canonical(entry.call), classes: entry.classes },
      ),
    },
    packages: { local: [...new Set([...packs.flatMap((p) => p.localPackages), ...(user.packages?.local ?? [])])] },
    classTags: [...new Set([...packs.flatMap((p) => p.classTags), ...(user.classTags ?? [])])],
    validators: [...packs.flatMap((p) => p.validators), ...(user.validators ?? [])],
    include: user.include ?? [],
    exclude: user.exclude ?? [],
    origins: document && userFile ? originsOf(document, userFile.relative) : new Map(),
  };
}

/** The user's policy file: --config, else the first POLICY_FILE_NAMES at the root, else none (defaults apply). */
/** The user's policy file as `source` has it (--config, else the first of the default names), or undefined. */
export function findUserFile(
  root: string,
  source: PolicySource,
  configPath: string | undefined,
): { relative: string; text: string } | undefined {
  if (configPath !== undefined) {
    if (CODE_CONFIG.test(configPath)) {
      throw new UsageError(
        `refusing to load ${configPath}: flowgate never runs configuration code; write the policy as YAML (flowgate.config.yaml)`,
      );
    }
    const relative = toPosix(path.relative(root, realPath(configPath)));
    const text = source.read(relative);
    if (text === undefined) throw new UsageError(`policy file not found: ${configPath} (${source.description})`);
    return { relative, text };
  }
  for (const name of POLICY_FILE_NAMES) {
    const text = source.read(name);
    if (text !== undefined) return { relative: name, text };
  }
  for (const name of CODE_POLICY_FILE_NAMES) {
    if (source.read(name) !== undefined) {
      // Falling back to defaults here would silently ignore the user's intent.
      throw new UsageError(`found ${name}, which flowgate will not run: write the policy as YAML in flowgate.config.yaml`);
    }
  }
  return undefined;
}

/**
 * Packs named in `extends` that do not ship with flowgate. Runs before the schema is known to hold (so its problems
 * join the schema's): only string names of a valid shape are checked, the schema reports the rest.
 */
function checkPacks(document: PolicyDocument, data: unknown): PolicyProblem[] {
  const named = (data as { extends?: unknown } | null)?.extends;
  if (named === undefined) return [];
  const known = knownPacks();
  const entries: [YamlPath, unknown][] = Array.isArray(named) ? named.map((name, i) => [["extends", i], name]) : [[["extends"], named]];
  const problems: PolicyProblem[] = [];
  for (const [at, name] of entries) {
    if (typeof name !== "string" || !PACK_NAME.test(name) || known.includes(name)) continue;
    const suggestion = suggestClosest(name, known);
    problems.push({
      ...document.positionOf(at),
      message: `unknown pack \`${name}\`${suggestion ? ` — did you mean \`${suggestion}\`?` : ""} (known packs: ${known.join(", ") || "none"})`,
    });
  }
  return problems;
}

/** A call reference's shape as the schema checks it (`callReference`); what is beyond the shape is checked here. */
const CALL_REFERENCE_SHAPE = /^[^#\s]+#[^#\s]+$/;

/** A pack's name as the schema allows it (rules/schema/flowgate.config.schema.json, `packName`). */
const PACK_NAME = /^[a-z][a-z0-9]*(-[a-z0-9]+)*$/;

/**
 * Call references, host patterns and globs: checks the schema's regular expressions cannot express. Runs before the
 * schema is known to hold (so its problems join the schema's), so it reads the data defensively: a value of the wrong
 * type is the schema's to report and is skipped here.
 */
function checkReferences(document: PolicyDocument, data: unknown): PolicyProblem[] {
  const top = asRecord(data);
  const problems: PolicyProblem[] = [];
  const report = (at: YamlPath, message: string) => problems.push({ ...document.positionOf(at), message });
  const checkCall = (at: YamlPath, ref: unknown) => {
    if (typeof ref !== "string" || !CALL_REFERENCE_SHAPE.test(ref)) return; // the schema's to report
    const parsed = parseCallReference(ref);
    if ("error" in parsed) report(at, `\`${formatYamlPath(at)}\`: ${parsed.error}`);
  };
  asList(top.sinks).forEach((entry, i) => {
    const sink = asRecord(entry);
    checkCall(["sinks", i, "call"], sink.call);
    if (sink.argument !== undefined && sink.arguments !== undefined) {
      report(["sinks", i, "arguments"], `\`sinks[${i}]\` has both \`argument\` and \`arguments\`; keep one`);
    }
  });
  asList(top.sanitizers).forEach((ref, i) => checkCall(["sanitizers", i], ref));
  const vetted = asRecord(top.vetted);
  asList(vetted.calls).forEach((entry, i) => {
    if (typeof entry === "string") checkCall(["vetted", "calls", i], entry);
    else checkCall(["vetted", "calls", i, "call"], asRecord(entry).call);
  });
  for (const key of ["include", "exclude"] as const) {
    asList(top[key]).forEach((glob, i) => {
      if (typeof glob !== "string") return;
      const pattern = glob.startsWith("!") ? glob.slice(1) : glob;
      if (path.posix.isAbsolute(pattern) || /^[A-Za-z]:[\\/]/.test(pattern) || pattern.split("/").includes("..")) {
        report([key, i], `\`${key}[${i}]\`: \`${glob}\` must be relative to the scan root and stay inside it`);
      }
    });
  }
  asList(vetted.hosts).forEach((entry, i) => {
    const at: YamlPath = typeof entry === "string" ? ["vetted", "hosts", i] : ["vetted", "hosts", i, "host"];
    const pattern = typeof entry === "string" ? entry : asRecord(entry).host;
    if (typeof pattern !== "string" || pattern === "") return; // the schema's to report
    const error = hostPatternError(pattern);
    if (error !== undefined) report(at, `\`${formatYamlPath(at)}\`: ${error}`);
  });
  return problems;
}

/**
 * The data class ids a `{ host, classes }` or `{ call, classes }` entry names must exist: in a known pack the file
 * extends, or in the file's own `dataClasses`. (A misspelt id would vet nothing and say nothing.)
 */
function checkVettedClasses(document: PolicyDocument, data: unknown): PolicyProblem[] {
  const top = asRecord(data);
  const vetted = asRecord(top.vetted);
  const entries = (list: "hosts" | "calls") =>
    asList(vetted[list]).map((entry, i) => ({ at: ["vetted", list, i] as YamlPath, classes: asList(asRecord(entry).classes) }));
  const named = [...entries("hosts"), ...entries("calls")].filter((e) => e.classes.length > 0);
  if (named.length === 0) return [];
  const extended: unknown[] = top.extends === undefined ? DEFAULT_PACKS : Array.isArray(top.extends) ? top.extends : [top.extends];
  const known = new Set(knownPacks());
  const defined = new Set<string>();
  for (const pack of extended) {
    if (typeof pack === "string" && known.has(pack)) for (const d of loadShippedPack(pack).dataClasses) defined.add(d.id);
  }
  for (const d of asList(top.dataClasses)) if (typeof asRecord(d).id === "string") defined.add(asRecord(d).id as string);
  const ids = [...defined].sort();
  const problems: PolicyProblem[] = [];
  for (const { at, classes } of named) {
    classes.forEach((id, j) => {
      if (typeof id !== "string" || defined.has(id)) return;
      const place: YamlPath = [...at, "classes", j];
      const suggestion = suggestClosest(id, ids);
      problems.push({
        ...document.positionOf(place),
        message: `\`${formatYamlPath(place)}\`: unknown data class \`${id}\`${suggestion ? ` — did you mean \`${suggestion}\`?` : ""} (defined: ${ids.join(", ") || "none"})`,
      });
    });
  }
  return problems;
}

function asRecord(value: unknown): Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function asList(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * The packs with the packs they include (`extends:` inside a pack), each once, an included pack before the pack that
 * includes it, so a pack's own data classes extend those it builds on. An unknown or circular inclusion is an error in
 * the including pack.
 */
function withIncludedPacks(roots: LoadedPack[]): LoadedPack[] {
  const ordered: LoadedPack[] = [];
  const visiting = new Set<string>();
  const visit = (pack: LoadedPack): void => {
    if (ordered.some((p) => p.name === pack.name)) return;
    visiting.add(pack.name);
    pack.extends.forEach((name, index) => {
      const known = knownPacks();
      if (!known.includes(name)) {
        const suggestion = suggestClosest(name, known);
        throw pack.document.error(["extends", index], `unknown pack \`${name}\`${suggestion ? ` — did you mean \`${suggestion}\`?` : ""} (known packs: ${known.join(", ")})`);
      }
      if (visiting.has(name)) throw pack.document.error(["extends", index], `pack \`${pack.name}\` includes \`${name}\`, which includes it back`);
      visit(loadShippedPack(name));
    });
    visiting.delete(pack.name);
    ordered.push(pack);
  };
  roots.forEach(visit);
  return ordered;
}

/** A validator row naming a data class that no pack or policy defines would classify nothing: an error at the row. */
function checkValidatorClasses(
  rows: readonly ValidatorRow[],
  dataClasses: readonly DataClassSpec[],
  error: (at: YamlPath, message: string) => Error,
): void {
  const ids = dataClasses.map((d) => d.id);
  rows.forEach((row, i) => {
    for (const id of Object.keys(row.classes)) {
      if (!ids.includes(id)) {
        throw error(["validators", i, "classes", id], `validators of \`${row.package}\` name data class \`${id}\`, which no pack or policy defines (defined: ${ids.join(", ") || "none"})`);
      }
    }
  });
}

/**
 * The library models the packs name, each once, in first-mention order. An unknown model name is an error in its
 * pack; a source row naming a data class that no pack or policy defines is an error in its model (its findings would
 * name nothing).
 */
function loadPackModels(packs: LoadedPack[], dataClasses: DataClassSpec[]): { models: LibraryModel[]; modelFiles: string[] } {
  const models: LibraryModel[] = [];
  const known = knownModels();
  const classIds = dataClasses.map((d) => d.id);
  for (const pack of packs) {
    pack.models.forEach((name, index) => {
      if (models.some((m) => m.id === name)) return;
      if (!known.includes(name)) {
        const suggestion = suggestClosest(name, known);
        throw pack.document.error(
          ["models", index],
          `unknown model \`${name}\`${suggestion ? ` — did you mean \`${suggestion}\`?` : ""} (rules/models/ has: ${known.join(", ") || "nothing"})`,
        );
      }
      const { model, document } = loadShippedModel(name);
      model.sources.forEach((row, i) => {
        if (!classIds.includes(row.dataClass)) {
          throw document.error(
            ["sources", i, "dataClass"],
            `source \`${row.id}\` names data class \`${row.dataClass}\`, which no pack or policy defines (defined: ${classIds.join(", ") || "none"})`,
          );
        }
      });
      models.push(model);
    });
  }
  return { models, modelFiles: models.map((m) => m.file) };
}

/** The user's `sinks:` as a library model with id `policy`, so the model stage treats them like any library. */
function policyModel(sinks: UserSink[], file: string): LibraryModel {
  return {
    id: "policy",
    file,
    sinks: sinks.map((sink) => {
      const parsed = parseCallReference(sink.call);
      const call = "error" in parsed ? sink.call : parsed.text;
      return {
        id: sink.id,
        kind: sink.kind,
        call,
        arguments: sink.argument !== undefined ? [sink.argument] : (sink.arguments ?? "all"),
        ...(sink.destination ? { destination: sink.destination } : {}),
        ...(sink.label !== undefined ? { label: sink.label } : {}),
      };
    }),
    sources: [],
    sanitizers: [],
    instances: [],
    propagators: [],
  };
}

/** Every entry of the user's file (`vetted.hosts[1]`, `sinks[0].call`) → where it stands, for update review. */
function originsOf(document: PolicyDocument, file: string): Map<string, PolicyOrigin> {
  const origins = new Map<string, PolicyOrigin>();
  document.walk((at, position) => origins.set(formatYamlPath(at), { file, ...position }));
  return origins;
}

/** How messages name the user's file: relative to the cwd when inside it, plus the source when it is not the disk. */
function displayNameOf(root: string, relative: string, source: PolicySource): string {
  const absolute = path.resolve(root, relative);
  const fromCwd = path.relative(process.cwd(), absolute);
  const shown = fromCwd.startsWith("..") || path.isAbsolute(fromCwd) ? absolute : fromCwd;
  return source.description === "working tree" ? shown : `${shown} (${source.description})`;
}

function toPosix(p: string): string {
  return p.split(path.sep).join("/");
}
