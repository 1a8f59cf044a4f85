import { isBuiltinWithoutScheme } from "../vocabulary/builtin-modules.js";

/**
 * A call reference `module#path` names an API by provenance: where the value comes from, not what it is called.
 *   package:  `axios#default.post`, `@nestjs/axios#HttpService.post`, `kafkajs#Kafka.producer().send`
 *   builtin:  `node:http#request`
 *   global:   `global#fetch`, `global#JSON.stringify`
 *   file:     `src/enclave.ts#EnclaveClient.send` (relative to the scan root)
 * The path is a chain of members; `()` after a member means "the result of calling it".
 */
export interface CallReference {
  kind: "package" | "builtin" | "global" | "file";
  module: string;
  /** Members in order: `[{ name: "Kafka" }, { name: "producer", called: true }, { name: "send" }]`. */
  path: { name: string; called: boolean }[];
  /** The reference in canonical form (`./src/a.ts#f` → `src/a.ts#f`). */
  text: string;
}

const SOURCE_FILE = /\.(ts|tsx|mts|cts|js|jsx|mjs|cjs)$/;
const PACKAGE_NAME = /^(@[a-z0-9][a-z0-9._~-]*\/)?[a-z0-9][a-z0-9._~-]*(\/[A-Za-z0-9._~-]+)*$/;
const MEMBER = /^[A-Za-z_$][A-Za-z0-9_$]*(\(\))?$/;

/** Parses a call reference, or returns why it is not one (a sentence for the policy error). */
export function parseCallReference(text: string): CallReference | { error: string } {
  const hash = text.indexOf("#");
  if (hash < 0 || hash !== text.lastIndexOf("#")) {
    return { error: `\`${text}\` is not a call reference: write module#path, e.g. axios#default.post or src/audit.ts#exportRecord` };
  }
  let module = text.slice(0, hash);
  const memberText = text.slice(hash + 1);
  const members = memberText.split(".");
  const badMember = members.find((m) => !MEMBER.test(m));
  if (badMember !== undefined) {
    return {
      error: `\`${text}\`: ${badMember === "" ? "an empty member" : `\`${badMember}\``} is not a member name (the path after # is members separated by dots, \`()\` for a call's result)`,
    };
  }
  const path = members.map((m) => ({ name: m.replace(/\(\)$/, ""), called: m.endsWith("()") }));

  let kind: CallReference["kind"];
  if (module === "global") kind = "global";
  else if (module.startsWith("node:")) {
    const name = module.slice("node:".length);
    if (!isBuiltinWithoutScheme(name)) return { error: `\`${text}\`: \`${name}\` is not a Node.js builtin module` };
    kind = "builtin";
  } else if (SOURCE_FILE.test(module) || module.startsWith("./")) {
    if (module.startsWith("./")) module = module.slice(2);
    if (module.includes("\\")) return { error: `\`${text}\`: write file paths with forward slashes` };
    if (module.startsWith("/") || /^[A-Za-z]:/.test(module)) {
      return { error: `\`${text}\`: file paths are relative to the scan root, not absolute` };
    }
    if (module.split("/").some((s) => s === ".." || s === "." || s === "")) {
      return { error: `\`${text}\`: the file path must stay inside the scan root (no \`..\`, \`.\` or empty segments)` };
    }
    if (!SOURCE_FILE.test(module)) return { error: `\`${text}\`: a project file reference needs the file's extension (.ts, .js, …)` };
    kind = "file";
  } else if (isBuiltinWithoutScheme(module)) {
    return { error: `\`${text}\`: write Node.js builtins with the node: prefix (\`node:${module}#${memberText}\`)` };
  } else if (PACKAGE_NAME.test(module)) kind = "package";
  else {
    return {
      error: `\`${text}\`: \`${module}\` is neither a package name, node:<builtin>, global, nor a project file with an extension`,
    };
  }
  return { kind, module, path, text: `${module}#${memberText}` };
}
