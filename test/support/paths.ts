import path from "node:path";
import { fileURLToPath } from "node:url";

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const FIXTURES_DIR = path.join(REPO_ROOT, "fixtures");
export const CLI = path.join(REPO_ROOT, "bin/flowgate.js");
export const SARIF_MULTITOOL = path.join(REPO_ROOT, "node_modules/@microsoft/sarif-multitool-linux/Sarif.Multitool");
