import { ts } from "ts-morph";

/**
 * What flowgate always sets, whatever the scanned tsconfig says. The program holds the scanned project's own files
 * and nothing else: no dependency declaration files (`noResolve`, no `types`), no emit, no type-check of JS; module
 * resolution is the most permissive one (`bundler` + `preserve` resolves extensionless, `.js`→`.ts`, `require` and
 * `import` alike) because a scanner should connect every import a build tool could. The latest language version
 * parses every syntax the project may use. Deprecation errors of old options are silenced: we never report option
 * diagnostics, and an old tsconfig must still lend us its `paths`.
 */
export const FORCED_OPTIONS: Readonly<ts.CompilerOptions> = {
  allowJs: true,
  checkJs: false,
  noEmit: true,
  noResolve: true,
  skipLibCheck: true,
  types: [],
  typeRoots: [],
  target: ts.ScriptTarget.ESNext,
  module: ts.ModuleKind.Preserve,
  moduleResolution: ts.ModuleResolutionKind.Bundler,
  esModuleInterop: true,
  allowSyntheticDefaultImports: true,
  allowImportingTsExtensions: true,
  allowArbitraryExtensions: true,
  resolveJsonModule: false,
  verbatimModuleSyntax: false,
  isolatedModules: false,
  composite: false,
  incremental: false,
  declaration: false,
  declarationMap: false,
  sourceMap: false,
  ignoreDeprecations: "6.0",
  // ECMAScript's own declarations only (Array, Promise, Map…): the checker needs them to type `await`, iteration and
  // array callbacks (`items.map((item) => item.msisdn)` finds the DTO field); no DOM, so globals like `fetch` stay
  // unbound and are recognised by provenance (`global#fetch`), as on Node. Served from memory (lib-files.ts).
  lib: ["lib.es2023.d.ts"],
};

/** Options the scanned tsconfig may not carry into the program (output locations, build modes, plugins). */
const DROPPED_OPTIONS = ["outDir", "outFile", "out", "rootDir", "tsBuildInfoFile", "declarationDir", "plugins", "project", "build"];

/** The scanned tsconfig's options (or none) with FORCED_OPTIONS on top. */
export function effectiveOptions(fromTsconfig: ts.CompilerOptions | undefined): ts.CompilerOptions {
  const options: ts.CompilerOptions = { ...fromTsconfig };
  for (const key of DROPPED_OPTIONS) delete options[key];
  return { ...options, ...FORCED_OPTIONS };
}
