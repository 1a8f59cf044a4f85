import { ts } from "ts-morph";
import { isClassDeclaration, isEnumDeclaration, isImportDeclaration, isInterfaceDeclaration, isNamedImports, isNamespaceImport, isQualifiedName, isStringLiteral, isTypeAliasDeclaration, isTypeReferenceNode } from "../compiler-direct.js";
import type { FileRef } from "./trace.js";

/**
 * A name for the type a parameter is declared with, the same wherever the type is written: the module it is imported
 * from and the name it has there (`@acme/types#NotificationTypes.ProviderSendNotificationDTO`, also when the package is
 * not installed), or the file that declares it (`src/dto.ts#SendDto`). Read from syntax only: a parameter typed with a
 * global or utility type (`Pick<…>`, `Record<…>`), a union or a literal type has none.
 */
export function declaredTypeKey(param: ts.ParameterDeclaration, file: FileRef): string | undefined {
  const type = param.type;
  if (!type || !isTypeReferenceNode(type)) return undefined;
  const names: string[] = [];
  let name: ts.EntityName = type.typeName;
  while (isQualifiedName(name)) {
    names.unshift(name.right.text);
    name = name.left;
  }
  const root = name.text;
  const origin = importedAs(file.sourceFile, root, file.path) ?? declaredAt(file.sourceFile, root, file.path);
  return origin === undefined ? undefined : [origin, ...names].join(".");
}

/** `module#exported` for a name an import declaration binds (a relative module by the path it points at). */
function importedAs(sf: ts.SourceFile, name: string, path: string): string | undefined {
  for (const st of sf.statements) {
    if (!isImportDeclaration(st) || !st.importClause || !isStringLiteral(st.moduleSpecifier)) continue;
    const module = moduleName(st.moduleSpecifier.text, path);
    const clause = st.importClause;
    if (clause.name?.text === name) return `${module}#default`;
    const bindings = clause.namedBindings;
    if (bindings && isNamespaceImport(bindings) && bindings.name.text === name) return `${module}#*`;
    if (bindings && isNamedImports(bindings)) {
      const element = bindings.elements.find((e) => e.name.text === name);
      if (element) return `${module}#${(element.propertyName ?? element.name).text}`;
    }
  }
  return undefined;
}

/** `file#name` for a type the file declares at its top level. */
function declaredAt(sf: ts.SourceFile, name: string, path: string): string | undefined {
  for (const st of sf.statements) {
    if (
      (isInterfaceDeclaration(st) || isTypeAliasDeclaration(st) || isClassDeclaration(st) || isEnumDeclaration(st)) &&
      st.name?.text === name
    ) {
      return `${path.replace(/\.[cm]?[jt]sx?$/, "")}#${name}`;
    }
  }
  return undefined;
}

/** A package specifier as written; a relative one as the path it names (no extension, no `/index`). */
function moduleName(specifier: string, path: string): string {
  if (!specifier.startsWith(".")) return specifier;
  const parts = path.split("/").slice(0, -1);
  for (const p of specifier.split("/")) {
    if (p === "..") parts.pop();
    else if (p !== "." && p !== "") parts.push(p);
  }
  return parts.join("/").replace(/\.[cm]?[jt]sx?$/, "").replace(/\/index$/, "");
}
