import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { RULES_DIR } from "../package-root.js";
import type { DataClassSpec, LibraryModel, ValidatorRow } from "./policy.js";
import type { ValidateFunction } from "ajv";
import { lazyPolicyDocument, parsePolicyDocument, type PolicyDocument } from "./policy-document.js";
import { snapshotData } from "./rules-snapshot.js";
import { shippedSchemas, validateDocument, type SchemaValidators } from "./schema-validation.js";
import { deepFreeze, oncePerName } from "./shipped.js";

/**
 * Built-in packs (rules/packs/<name>.yaml) and library models (rules/models/<name>.yaml) ship with flowgate and are
 * read from its own installation, never from the scanned tree or the PolicySource.
 */
export interface LoadedPack {
  name: string;
  /** For Policy.files: `flowgate:rules/packs/<name>.yaml` (a built-in, not a path in the scanned tree). */
  file: string;
  document: PolicyDocument;
  dataClasses: DataClassSpec[];
  models: string[];
  /** Packs this pack includes (`extends:`), loaded before it. */
  extends: string[];
  /** Packages known to keep data in the process (`packages.local`). */
  localPackages: string[];
  /** JSDoc tags whose argument names a data class (`classTags`). */
  classTags: string[];
  /** Validators that decide a field's data class (`validators`). */
  validators: ValidatorRow[];
}

const PACKS_DIR = path.join(RULES_DIR, "packs");
const MODELS_DIR = path.join(RULES_DIR, "models");

/** The names of the built-in packs, sorted. */
export function knownPacks(): string[] {
  return yamlNamesIn(PACKS_DIR);
}

/** The names of the library models, sorted. */
export function knownModels(): string[] {
  return yamlNamesIn(MODELS_DIR);
}

function yamlNamesIn(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .map((f) => f.slice(0, -".yaml".length))
    .sort();
}

/**
 * A built-in pack as scans read it: once per process (shipped.ts), from the build's snapshot when it is current
 * (rules-snapshot.ts), else from its YAML with the shipped schemas; its lists are frozen.
 */
export const loadShippedPack: (name: string) => LoadedPack = oncePerName((name) => {
  const pack = packOf(name, shippedDocument(PACKS_DIR, name, "pack"));
  deepFreeze(pack.dataClasses);
  deepFreeze(pack.models);
  deepFreeze(pack.extends);
  deepFreeze(pack.localPackages);
  deepFreeze(pack.classTags);
  deepFreeze(pack.validators);
  return pack;
});

/** A library model as scans read it (see {@link loadShippedPack}); the model is frozen. */
export const loadShippedModel: (name: string) => { model: LibraryModel; document: PolicyDocument } = oncePerName((name) => {
  const document = shippedDocument(MODELS_DIR, name, "model");
  return { model: deepFreeze(modelOf(name, document)), document };
});

/** Reads and validates one pack; the caller has checked that it exists. */
export function loadPack(name: string, schemas: SchemaValidators): LoadedPack {
  return packOf(name, readValidated(PACKS_DIR, name, schemas.pack));
}

/** Reads and validates one library model; its id is its file name. */
export function loadModel(name: string, schemas: SchemaValidators): { model: LibraryModel; document: PolicyDocument } {
  const document = readValidated(MODELS_DIR, name, schemas.model);
  return { model: modelOf(name, document), document };
}

/** The built-in file's data from the snapshot when it matches the text (positions parsed only if an error needs one). */
function shippedDocument(dir: string, name: string, schema: "pack" | "model"): PolicyDocument {
  const absolute = path.join(dir, `${name}.yaml`);
  const text = readFileSync(absolute, "utf8");
  const known = snapshotData(absolute, text);
  if (known !== undefined) return lazyPolicyDocument(text, absolute, known.data);
  const document = parsePolicyDocument(text, absolute);
  validateDocument(document, shippedSchemas()[schema]);
  return document;
}

function readValidated(dir: string, name: string, validate: ValidateFunction): PolicyDocument {
  const absolute = path.join(dir, `${name}.yaml`);
  const document = parsePolicyDocument(readFileSync(absolute, "utf8"), absolute);
  validateDocument(document, validate);
  return document;
}

function packOf(name: string, document: PolicyDocument): LoadedPack {
  const data = document.data as {
    dataClasses?: Partial<DataClassSpec>[];
    models?: string[];
    extends?: string[];
    packages?: { local?: string[] };
    classTags?: string[];
    validators?: ValidatorRow[];
  };
  return {
    name,
    file: `flowgate:rules/packs/${name}.yaml`,
    document,
    dataClasses: (data.dataClasses ?? []).map(normalizeDataClass),
    models: data.models ?? [],
    extends: data.extends ?? [],
    localPackages: data.packages?.local ?? [],
    classTags: data.classTags ?? [],
    validators: data.validators ?? [],
  };
}

function modelOf(name: string, document: PolicyDocument): LibraryModel {
  // Generic on purpose: the schema decides the row shapes, so a new row field is a schema + type edit only.
  const { description: _description, ...rows } = document.data as Partial<Omit<LibraryModel, "id" | "file">> & {
    description?: string;
  };
  return {
    ...rows,
    id: name,
    file: `flowgate:rules/models/${name}.yaml`,
    sinks: rows.sinks ?? [],
    sources: rows.sources ?? [],
    sanitizers: rows.sanitizers ?? [],
    instances: rows.instances ?? [],
    propagators: rows.propagators ?? [],
  };
}

/** Every built-in pack and model file with its text and validated data: what the build writes to the snapshot. */
export function shippedRuleFiles(schemas: SchemaValidators): [string, { text: string; data: unknown }][] {
  const files: [string, { text: string; data: unknown }][] = [];
  const add = (dir: string, names: string[], validate: ValidateFunction): void => {
    for (const name of names) {
      const absolute = path.join(dir, `${name}.yaml`);
      const text = readFileSync(absolute, "utf8");
      const document = parsePolicyDocument(text, absolute);
      validateDocument(document, validate);
      files.push([absolute, { text, data: document.data }]);
    }
  };
  add(PACKS_DIR, knownPacks(), schemas.pack);
  add(MODELS_DIR, knownModels(), schemas.model);
  return files;
}

/** A data class as the schema allows it (lists optional) in the shape the model stage reads (lists present). */
export function normalizeDataClass(spec: Partial<DataClassSpec>): DataClassSpec {
  return {
    id: spec.id ?? "",
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    names: spec.names ?? [],
    ...(spec.pairedNames !== undefined ? { pairedNames: spec.pairedNames } : {}),
    ...(spec.siblingNames !== undefined ? { siblingNames: spec.siblingNames } : {}),
    types: spec.types ?? [],
    tags: spec.tags ?? [],
    ...(spec.sensitivity !== undefined ? { sensitivity: spec.sensitivity } : {}),
  };
}
