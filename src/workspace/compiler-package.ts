import { createRequire } from "node:module";

/** What flowgate uses of ts-morph's compiler package besides the compiler (which it imports from ts-morph). */
export interface CompilerPackage {
  /** TypeScript's lib declaration files, bundled as texts (the runtime has no `typescript/lib` folder on disk). */
  getLibFiles(): { fileName: string; text: string }[];
}

/**
 * ts-morph's compiler package (@ts-morph/common), looked up through ts-morph's own dependency so it is the one ts-morph
 * runs. The startup snapshot's bundle puts the package itself in place of this lookup (src/startup/bundle.ts).
 */
export function compilerPackage(): CompilerPackage {
  const requireFromTsMorph = createRequire(createRequire(import.meta.url).resolve("ts-morph"));
  return requireFromTsMorph("@ts-morph/common") as CompilerPackage;
}
