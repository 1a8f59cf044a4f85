import { pathToFileURL } from "node:url";
import { shippedCheckFiles } from "../findings/rule-catalog.js";
import { shippedRuleFiles } from "./packs.js";
import { SNAPSHOT_FILE, writeSnapshot } from "./rules-snapshot.js";
import { compileSchemas } from "./schema-validation.js";

/**
 * `npm run build` runs this after compiling: every built-in pack, model and check is parsed and validated (a bad one
 * fails the build, named) and written to the snapshot scans read instead of the YAML (rules-snapshot.ts).
 */
export function writeRulesSnapshot(): number {
  const files = [...shippedRuleFiles(compileSchemas()), ...shippedCheckFiles()];
  writeSnapshot(files);
  return files.length;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const count = writeRulesSnapshot();
  process.stdout.write(`rules snapshot: ${count} built-in packs, models and checks → ${SNAPSHOT_FILE}\n`);
}
