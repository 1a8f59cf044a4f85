import { readFileSync } from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../package-root.js";

/** Who wrote the output: read from the package's own package.json, so a release never needs a second edit. */
export interface ToolInfo {
  name: string;
  version: string;
  informationUri: string;
}

// Used when package.json has no homepage: rule help links need an absolute base (SARIF helpUri must be absolute).
const DEFAULT_HOMEPAGE = "https://github.com/flowgate/flowgate";

interface PackageJson {
  name?: string;
  version?: string;
  homepage?: string;
}

/** The tool's name, version and home page. Reads package.json on each call: cheap, and no module-level state. */
export function readToolInfo(): ToolInfo {
  const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as PackageJson;
  return {
    name: pkg.name ?? "flowgate",
    version: pkg.version ?? "0.0.0",
    informationUri: (pkg.homepage ?? DEFAULT_HOMEPAGE).replace(/#.*$/, ""),
  };
}

/** A rule's help page: its section in docs/rules.md, whose headings are the rule ids (one home per check). */
export function ruleHelpUri(informationUri: string, ruleId: string): string {
  return `${informationUri.replace(/\/+$/, "")}/blob/main/docs/rules.md#${ruleId}`;
}
