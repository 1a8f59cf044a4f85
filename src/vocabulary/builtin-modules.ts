import { isBuiltin } from "node:module";

/**
 * Whether Node's `require` takes this name without the `node:` scheme (`fs`, `fs/promises`, `_http_agent`; not `test`,
 * which exists only as `node:test`): the names `module.builtinModules` lists. Asked through `isBuiltin`, which answers
 * the same for a name without the scheme, because `builtinModules` is not set yet while a startup snapshot is being
 * made (Node fills it in when a process starts), and the snapshot's warm-up compiles the policy and the model
 * (src/startup/warm-up-scan.ts).
 */
export function isBuiltinWithoutScheme(name: string): boolean {
  return !name.startsWith("node:") && isBuiltin(name);
}
