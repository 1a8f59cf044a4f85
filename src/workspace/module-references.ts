import { ts } from "ts-morph";

/**
 * What a program collects of a file before its checker reads it: the module specifiers the file names (`imports`, with
 * the synthetic ones `importHelpers` and an automatic JSX runtime add), the modules it augments and, in a declaration
 * file, the ambient modules it declares. The checker reads these (`moduleAugmentations` when it merges the global
 * scope, `imports` for the JSX runtime and error messages) and asks the program for the resolution of each specifier,
 * which the program made when it collected them. A checker over the loaded files that reads a file only when it first
 * reaches it (lazy-checker.ts) collects them itself, with the compiler's own collection (`collectExternalModuleReferences`
 * in the compiler's program.ts, a function local to `createProgram`), transcribed here over the compiler's internal
 * helpers: creating a program per file to have it done costs half a millisecond each. TypeScript 6.0's; a file a
 * program has collected already is left as it is. `test/workspace/module-references.test.ts` compares both.
 */
export interface ModuleReferences {
  imports: readonly ts.StringLiteralLike[];
  moduleAugmentations: readonly (ts.StringLiteral | ts.Identifier)[];
  ambientModuleNames: readonly string[];
}

/** The compiler's helpers the collection is made of (not in its declared API; present in TypeScript 5 and 6). */
interface CollectionInternals {
  isSourceFileJS?: (file: ts.SourceFile) => boolean;
  getIsolatedModules?: (options: ts.CompilerOptions) => boolean;
  externalHelpersModuleNameText?: string;
  getJSXImplicitImportBase?: (options: ts.CompilerOptions, file: ts.SourceFile) => string | undefined;
  getJSXRuntimeImport?: (base: string | undefined, options: ts.CompilerOptions) => string | undefined;
  isAnyImportOrReExport?: (node: ts.Node) => boolean;
  getExternalModuleName?: (node: ts.Node) => ts.Expression | undefined;
  isAmbientModule?: (node: ts.Node) => boolean;
  hasSyntacticModifier?: (node: ts.Node, flags: ts.ModifierFlags) => boolean;
  getTextOfIdentifierOrLiteral?: (node: ts.Node) => string;
  forEachDynamicImportOrRequireCall?: (
    file: ts.SourceFile,
    includeTypeSpaceImports: boolean,
    requireStringLiteralLikeArgument: boolean,
    callback: (node: ts.Node, specifier: ts.StringLiteralLike) => void,
  ) => void;
  setParentRecursive?: (node: ts.Node, incremental: boolean) => void;
  setParent?: (child: ts.Node, parent: ts.Node) => void;
  addInternalEmitFlags?: (node: ts.Node, flags: number) => void;
}

const internals = ts as unknown as CollectionInternals;
// `NodeFlags.PossiblyContainsDynamicImport` (the parser's mark of a file with `import(…)`), internal too
const POSSIBLY_CONTAINS_DYNAMIC_IMPORT = (ts.NodeFlags as unknown as Record<string, number | undefined>).PossiblyContainsDynamicImport;
// InternalEmitFlags.NeverApplyImportHelper, which the compiler sets on its synthetic imports
const NEVER_APPLY_IMPORT_HELPER = 2;

/** Whether this compiler has every helper the collection needs (else the caller uses a program). */
export const canCollectModuleReferences: boolean =
  POSSIBLY_CONTAINS_DYNAMIC_IMPORT !== undefined &&
  (
    [
      "isSourceFileJS",
      "getIsolatedModules",
      "getJSXImplicitImportBase",
      "getJSXRuntimeImport",
      "isAnyImportOrReExport",
      "getExternalModuleName",
      "isAmbientModule",
      "hasSyntacticModifier",
      "getTextOfIdentifierOrLiteral",
      "forEachDynamicImportOrRequireCall",
      "setParentRecursive",
      "setParent",
      "addInternalEmitFlags",
    ] as const
  ).every((name) => typeof internals[name] === "function") &&
  typeof internals.externalHelpersModuleNameText === "string";

/** The file's module references, collected as a program collects them (once: a file collected before keeps its own). */
export function moduleReferencesOf(file: ts.SourceFile, options: ts.CompilerOptions): ModuleReferences {
  const held = file as unknown as Partial<ModuleReferences>;
  if (held.imports === undefined) Object.assign(file, collect(file, options, internals as Required<CollectionInternals>));
  return file as unknown as ModuleReferences;
}

/** The module names a program resolves for the file, in its order: its imports, then the augmentations named by a string. */
export function moduleNamesOf(references: ModuleReferences): ts.StringLiteralLike[] {
  const names: ts.StringLiteralLike[] = [...references.imports];
  for (const augmentation of references.moduleAugmentations) if (ts.isStringLiteral(augmentation)) names.push(augmentation);
  return names;
}

function collect(file: ts.SourceFile, options: ts.CompilerOptions, t: Required<CollectionInternals>): ModuleReferences {
  const isJavaScript = t.isSourceFileJS(file);
  const isModule = ts.isExternalModule(file);
  let imports: ts.StringLiteralLike[] | undefined;
  let moduleAugmentations: (ts.StringLiteral | ts.Identifier)[] | undefined;
  let ambientModuleNames: string[] | undefined;
  if (isJavaScript || (!file.isDeclarationFile && (t.getIsolatedModules(options) || isModule))) {
    if (options.importHelpers) imports = [syntheticImport(t.externalHelpersModuleNameText, file, t)];
    const jsxImport = t.getJSXRuntimeImport(t.getJSXImplicitImportBase(options, file), options);
    if (jsxImport) (imports ??= []).push(syntheticImport(jsxImport, file, t));
  }
  const collectIn = (node: ts.Node, inAmbientModule: boolean): void => {
    if (t.isAnyImportOrReExport(node)) {
      const name = t.getExternalModuleName(node);
      if (name !== undefined && ts.isStringLiteral(name) && name.text && (!inAmbientModule || !ts.isExternalModuleNameRelative(name.text))) {
        t.setParentRecursive(node, false);
        (imports ??= []).push(name);
      }
    } else if (ts.isModuleDeclaration(node)) {
      if (t.isAmbientModule(node) && (inAmbientModule || t.hasSyntacticModifier(node, ts.ModifierFlags.Ambient) || file.isDeclarationFile)) {
        (node.name as { parent: ts.Node }).parent = node;
        const nameText = t.getTextOfIdentifierOrLiteral(node.name);
        if (isModule || (inAmbientModule && !ts.isExternalModuleNameRelative(nameText))) {
          (moduleAugmentations ??= []).push(node.name as ts.StringLiteral | ts.Identifier);
        } else if (!inAmbientModule) {
          if (file.isDeclarationFile) (ambientModuleNames ??= []).push(nameText);
          const body = node.body;
          if (body !== undefined && ts.isModuleBlock(body)) for (const statement of body.statements) collectIn(statement, true);
        }
      }
    }
  };
  for (const statement of file.statements) collectIn(statement, false);
  if (file.flags & POSSIBLY_CONTAINS_DYNAMIC_IMPORT! || isJavaScript) {
    t.forEachDynamicImportOrRequireCall(file, true, true, (node, specifier) => {
      t.setParentRecursive(node, false);
      (imports ??= []).push(specifier);
    });
  }
  return { imports: imports ?? [], moduleAugmentations: moduleAugmentations ?? [], ambientModuleNames: ambientModuleNames ?? [] };
}

/** A specifier the file does not spell (`tslib`, `react/jsx-runtime`), made as the compiler makes it. */
function syntheticImport(text: string, file: ts.SourceFile, t: Required<CollectionInternals>): ts.StringLiteral {
  const reference = ts.factory.createStringLiteral(text);
  const declaration = ts.factory.createImportDeclaration(undefined, undefined, reference);
  t.addInternalEmitFlags(declaration, NEVER_APPLY_IMPORT_HELPER);
  t.setParent(reference, declaration);
  t.setParent(declaration, file);
  (reference as { flags: ts.NodeFlags }).flags &= ~ts.NodeFlags.Synthesized;
  (declaration as { flags: ts.NodeFlags }).flags &= ~ts.NodeFlags.Synthesized;
  return reference;
}
