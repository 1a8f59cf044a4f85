import { readFileSync } from "node:fs";
import path from "node:path";
import { Ajv, type ErrorObject, type ValidateFunction } from "ajv";
import { RULES_DIR } from "../package-root.js";
import { throwIfProblems, type PolicyProblem } from "./policy-problems.js";
import { formatYamlPath, type PolicyDocument, type YamlPath } from "./policy-document.js";
import { once } from "./shipped.js";
import { suggestClosest } from "./suggest.js";

/** The schemas that ship in rules/schema/ (editors use the same files). */
export type SchemaName = "flowgate.config" | "pack" | "model";

export type SchemaValidators = Record<SchemaName, ValidateFunction>;

/**
 * The shipped schemas, compiled once per process (shipped.ts): a validator's only state, its `errors`, is read right
 * after each synchronous call, so scans share them.
 */
export const shippedSchemas: () => SchemaValidators = once(compileSchemas);

/**
 * The shipped schemas (a fresh set; scans use {@link shippedSchemas}), each compiled on first use: a scan whose packs
 * and models come from the build's snapshot (rules-snapshot.ts) compiles only the policy file's schema.
 */
export function compileSchemas(): SchemaValidators {
  const ajv = new Ajv({ allErrors: true, strict: true, verbose: true });
  const load = (name: SchemaName) => {
    const schema = JSON.parse(readFileSync(path.join(RULES_DIR, "schema", `${name}.schema.json`), "utf8")) as object;
    ajv.addSchema(schema);
    return schema as { $id: string };
  };
  const ids = { "flowgate.config": load("flowgate.config").$id, pack: load("pack").$id, model: load("model").$id };
  const get = (id: string) => {
    const validate = ajv.getSchema(id); // compiled once, then cached by ajv
    if (!validate) throw new Error(`schema ${id} did not compile`);
    return validate;
  };
  return {
    get "flowgate.config"() {
      return get(ids["flowgate.config"]);
    },
    get pack() {
      return get(ids.pack);
    },
    get model() {
      return get(ids.model);
    },
  };
}

/** Validates a document against a schema; every problem is reported with its place (see throwIfProblems). */
export function validateDocument(document: PolicyDocument, validate: ValidateFunction): void {
  throwIfProblems(document.displayName, schemaProblems(document, validate));
}

/** What is wrong with a document by its schema, each problem at its place; empty when it is valid. */
export function schemaProblems(document: PolicyDocument, validate: ValidateFunction): PolicyProblem[] {
  if (validate(document.data)) return [];
  return describeErrors(document, validate.errors ?? []);
}

function describeErrors(document: PolicyDocument, errors: ErrorObject[]): PolicyProblem[] {
  // An `anyOf` failure also reports why each branch failed. When the value has the type of one branch (a mapping
  // where a string or a mapping is allowed), that branch's own errors say best what is wrong, so the anyOf sentence
  // and the other branches' type mismatches go; when it matches no branch, the anyOf sentence alone says it.
  const anyOfFailures = errors.filter((e) => e.keyword === "anyOf");
  const within = (e: ErrorObject, a: ErrorObject) => e.instancePath === a.instancePath || e.instancePath.startsWith(a.instancePath + "/");
  const explainedByBranch = (a: ErrorObject) => errors.some((e) => e !== a && e.keyword !== "type" && e.keyword !== "anyOf" && within(e, a));
  const relevant = errors.filter((e) => {
    if (e.keyword === "anyOf") return !explainedByBranch(e);
    const failure = anyOfFailures.find((a) => e.instancePath === a.instancePath);
    if (failure === undefined) return true;
    return explainedByBranch(failure) ? e.keyword !== "type" : false;
  });
  const seen = new Set<string>();
  const problems: PolicyProblem[] = [];
  for (const error of relevant) {
    const instancePath = parsePointer(error.instancePath);
    const problem = describeError(document, error, instancePath);
    const key = `${problem.line}:${problem.column}:${problem.message}`;
    if (!seen.has(key)) {
      seen.add(key);
      problems.push(problem);
    }
  }
  return problems;
}

function describeError(document: PolicyDocument, error: ErrorObject, at: YamlPath): PolicyProblem {
  const where = at.length === 0 ? "the top level" : `\`${formatYamlPath(at)}\``;
  const place = (p: { line: number; column: number }, message: string): PolicyProblem => ({ ...p, message });
  const params = error.params as Record<string, unknown>;
  switch (error.keyword) {
    case "additionalProperties": {
      const key = String(params.additionalProperty);
      const valid = Object.keys((error.parentSchema as { properties?: object } | undefined)?.properties ?? {}).filter(
        (k) => k !== "$schema",
      );
      const suggestion = suggestClosest(key, valid);
      const hint = suggestion ? ` — did you mean \`${suggestion}\`?` : "";
      const qualified = formatYamlPath([...at, key]);
      return place(
        document.keyPositionOf(at, key),
        `unknown key \`${qualified}\`${hint} (valid keys${at.length ? ` in ${where}` : ""}: ${valid.join(", ")})`,
      );
    }
    case "required":
      return place(document.positionOf(at), `${where} is missing the required key \`${String(params.missingProperty)}\``);
    case "type":
      return place(document.positionOf(at), `${where} must be ${describeType(String(params.type))}, not ${describeValue(error.data)}`);
    case "enum": {
      const allowed = (params.allowedValues as unknown[]).map(String);
      const suggestion = typeof error.data === "string" ? suggestClosest(error.data, allowed) : undefined;
      const hint = suggestion ? ` — did you mean \`${suggestion}\`?` : "";
      return place(document.positionOf(at), `${where} must be one of ${allowed.join(", ")}${hint}`);
    }
    case "const":
      return place(document.positionOf(at), `${where} must be \`${String(params.allowedValue)}\``);
    case "pattern": {
      const description = (error.parentSchema as { description?: string } | undefined)?.description;
      const expected = description ? `: ${description}` : ` (pattern ${String(params.pattern)})`;
      return place(document.positionOf(at), `${where} has an invalid value ${describeValue(error.data)}; expected${expected}`);
    }
    case "anyOf": {
      const branches = (error.schema as { type?: string; const?: unknown; $ref?: string }[]).map(describeBranch);
      return place(document.positionOf(at), `${where} must be ${branches.join(" or ")}, not ${describeValue(error.data)}`);
    }
    case "minItems":
      return place(document.positionOf(at), `${where} must not be empty`);
    case "uniqueItems":
      return place(document.positionOf(at), `${where} lists the same entry twice (items ${String(params.j)} and ${String(params.i)})`);
    default:
      return place(document.positionOf(at), `${where} ${error.message ?? "is invalid"}`);
  }
}

function describeBranch(branch: { type?: string; const?: unknown; $ref?: string }): string {
  if (branch.const !== undefined) return `\`${String(branch.const)}\``;
  if (branch.type) return describeType(branch.type);
  return "a string";
}

function describeType(type: string): string {
  switch (type) {
    case "object":
      return "a mapping (key: value)";
    case "array":
      return "a list";
    case "integer":
      return "a whole number";
    default:
      return `a ${type}`;
  }
}

function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "empty";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return JSON.stringify(value);
  return `${typeof value} ${String(value)}`;
}

/** A JSON Pointer (`/vetted/hosts/1`) as a YAML path; numeric segments are sequence indexes. */
function parsePointer(pointer: string): YamlPath {
  if (pointer === "") return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"))
    .map((s) => (/^(0|[1-9][0-9]*)$/.test(s) ? Number(s) : s));
}
