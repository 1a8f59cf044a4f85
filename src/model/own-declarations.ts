import { ts } from "ts-morph";
import { isExternalModule, isModuleDeclaration, isSourceFile, isTypeAliasDeclaration } from "../compiler-direct.js";
import { isProjectSourceFile, symbolThroughImports } from "../workspace/symbols.js";

/**
 * One of the project's own declaration files written as a module (`types/request.d.ts` with `import type {
 * ReqContextClass } from "back-end/src/services/context"; export type ReqContext = ReqContextClass`): the project's
 * vocabulary, read like its sources, whether it is imported relatively, through `paths` or by the package's own name.
 * A package's declarations (under node_modules, TypeScript's libraries among them) and a script of globals are not.
 */
export function isOwnDeclarationModule(file: ts.SourceFile): boolean {
  return file.isDeclarationFile && !file.fileName.includes("/node_modules/") && isExternalModule(file);
}

/** A declaration of such a file, outside an ambient `declare module "pkg"` or `declare global` block (those describe a package or the globals). */
export function isOwnDeclaration(declaration: ts.Node): boolean {
  if (!isOwnDeclarationModule(declaration.getSourceFile())) return false;
  for (let node = declaration.parent; node !== undefined && !isSourceFile(node); node = node.parent) {
    if (isModuleDeclaration(node)) return false;
  }
  return true;
}

/**
 * The type a project alias stands for (`type ScopeCallback = (scope: Scope) => void`, `type InviteInput =
 * z.infer<typeof Invite>`), so a declared type is read on through it: named where it is declared or through an import
 * of it (the checker's symbol for an imported name is the import's, whose declaration is the import specifier), in a
 * source file or one of the project's own declaration modules. A package's alias is not the project's word on what a
 * value is, and is not followed.
 */
export function projectTypeAlias(checker: ts.TypeChecker, name: ts.EntityName): ts.TypeNode | undefined {
  const declaration = symbolThroughImports(checker, name)?.declarations?.find(isTypeAliasDeclaration);
  if (declaration === undefined) return undefined;
  return isProjectSourceFile(declaration.getSourceFile()) || isOwnDeclaration(declaration) ? declaration.type : undefined;
}
