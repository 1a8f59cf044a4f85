import { fileURLToPath } from "node:url";
import path from "node:path";

/** The installed package's root (where rules/ and package.json live), from dist/ or src/ alike. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const RULES_DIR = path.join(PACKAGE_ROOT, "rules");
