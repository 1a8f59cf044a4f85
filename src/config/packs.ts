import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { RULES_DIR } from "../package-root.js";
import type { DataClassSpec, LibraryModel } from "./policy.js";
import { parsePolicyDocument, type PolicyDocument } from "./policy-document.js";
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

/** {@link loadPack} with the shipped schemas, read once per process (shipped.ts); the pack's lists are frozen. */
export const loadShippedPack: (name: string) => LoadedPack = oncePerName((name) => {
  const pack = loadPack(name, shippedSchemas());
  deepFreeze(pack.dataClasses);
  deepFreeze(pack.models);
  return pack;
});

/** {@link loadModel} with the shipped schemas, read once per process (shipped.ts); the model is frozen. */
export const loadShippedModel: (name: string) => { model: LibraryModel; document: PolicyDocument } = oncePerName((name) => {
  const loaded = loadModel(name, shippedSchemas());
  deepFreeze(loaded.model);
  return loaded;
});

/** Reads and validates one pack; the caller has checked that it exists. */
export function loadPack(name: string, schemas: SchemaValidators): LoadedPack {
  const absolute = path.join(PACKS_DIR, `${name}.yaml`);
  const document = parsePolicyDocument(readFileSync(absolute, "utf8"), absolute);
  validateDocument(document, schemas.pack);
  const data = document.data as { dataClasses?: Partial<DataClassSpec>[]; models?: string[] };
  return {
    name,
    file: `flowgate:rules/packs/${name}.yaml`,
    document,
    dataClasses: (data.dataClasses ?? []).map(normalizeDataClass),
    models: data.models ?? [],
  };
}

/** Reads and validates one library model; its id is its file name. */
export function loadModel(name: string, schemas: SchemaValidators): { model: LibraryModel; document: PolicyDocument } {
  const absolute = path.join(MODELS_DIR, `${name}.yaml`);
  const document = parsePolicyDocument(readFileSync(absolute, "utf8"), absolute);
  validateDocument(document, schemas.model);
  // Generic on purpose: the schema decides the row shapes, so a new row field is a schema + type edit only.
  const { description: _description, ...rows } = document.data as Partial<Omit<LibraryModel, "id" | "file">> & {
    description?: string;
  };
  const model: LibraryModel = {
    ...rows,
    id: name,
    file: `flowgate:rules/models/${name}.yaml`,
    sinks: rows.sinks ?? [],
    sources: rows.sources ?? [],
    sanitizers: rows.sanitizers ?? [],
    instances: rows.instances ?? [],
    propagators: rows.propagators ?? [],
  };
  return { model, document };
}

/** A data class as the schema allows it (lists optional) in the shape the model stage reads (lists present). */
export function normalizeDataClass(spec: Partial<DataClassSpec>): DataClassSpec {
  return {
    id: spec.id ?? "",
    ...(spec.description !== undefined ? { description: spec.description } : {}),
    names: spec.names ?? [],
    types: spec.types ?? [],
    tags: spec.tags ?? [],
  };
}
