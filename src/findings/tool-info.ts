import { readFileSync } from "node:fs";
import path from "node:path";
import { PACKAGE_ROOT } from "../package-root.js";

/** Who wrote the output: read from the package's own package.json, so a release never needs a second edit. */
export interface ToolInfo {
  name: string;
  version: string;
  /**
   * The package's `homepage`; when it has none, a `data:` URI holding the package's description — a real URI that opens
   * to text about the tool, never a made-up web address (SARIF validators warn when a tool has no informationUri).
   */
  informationUri: string;
  /** The home page, when package.json has one: rule help links are made from it. */
  homepage?: string;
}

interface PackageJson {
  name?: string;
  version?: string;
  description?: string;
  homepage?: string;
}

/** The tool's name, version and home page. Reads package.json on each call: cheap, and no module-level state. */
export function readToolInfo(): ToolInfo {
  const pkg = JSON.parse(readFileSync(path.join(PACKAGE_ROOT, "package.json"), "utf8")) as PackageJson;
  const name = pkg.name ?? "flowgate";
  const version = pkg.version ?? "0.0.0";
  const homepage = pkg.homepage ? pkg.homepage.replace(/#.*$/, "") : undefined;
  return {
    name,
    version,
    informationUri: homepage ?? `data:text/plain;charset=utf-8,${encodeURIComponent(`${name} ${version}: ${pkg.description ?? ""}`.trim())}`,
    ...(homepage !== undefined ? { homepage } : {}),
  };
}

/**
 * A rule's help page: its section in docs/rules.md (whose headings are the rule ids: one home per check) under the
 * home page, when the home page is a GitHub repository; otherwise none (help.markdown in the SARIF carries the help).
 */
export function ruleHelpUri(homepage: string | undefined, ruleId: string): string | undefined {
  const repository = homepage?.match(/^https:\/\/github\.com\/[^/#?]+\/[^/#?]+/)?.[0];
  return repository ? `${repository}/blob/main/docs/rules.md#${ruleId}` : undefined;
}
