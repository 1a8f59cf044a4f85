import type { ts } from "ts-morph";
import {
  isElementAccessExpression,
  isExternalModuleReference,
  isIdentifier,
  isImportDeclaration,
  isImportEqualsDeclaration,
  isNamedImports,
  isNonNullExpression,
  isParenthesizedExpression,
  isPropertyAccessExpression,
  isStringLiteralLike,
} from "../compiler-direct.js";

/**
 * The import through which an unknown call's callee came, when it names a module of the project that is not among the
 * scanned files: `new ComNS(this)` with `ComNS` from `./client/index.js`, a client generated at build time and ignored
 * by git (AT Protocol's lexicon client), or from a folder the policy excludes. Such a call is unknown like a package's,
 * carrying its arguments and receiver whole into its result, but no model or local list can say so: without a note the
 * reviewer would not learn that part of the gateway's own code was never read. Only relative specifiers of code
 * modules are asked about (a stylesheet or an image is not code), and only the callee's leftmost name through member
 * accesses: a chain `client.users.get()` comes from the import `client`; a call's result (`api().get()`) is not
 * followed back. The name is matched against the file's import bindings by the syntax, and the checker is asked only
 * about the import's specifier, a top-level node, and only when the name is such an import (the checker is made when
 * first asked for).
 */
export function missingModuleImport(callee: ts.Expression, checker: () => ts.TypeChecker): ts.StringLiteralLike | undefined {
  let node = callee;
  for (;;) {
    if (isPropertyAccessExpression(node) || isElementAccessExpression(node) || isParenthesizedExpression(node) || isNonNullExpression(node)) node = node.expression;
    else break;
  }
  if (!isIdentifier(node)) return undefined;
  const specifier = relativeImports(node.getSourceFile()).get(node.text);
  // the compiler resolves an import's specifier to the module's symbol; a module it cannot find has none
  return specifier !== undefined && checker().getSymbolAtLocation(specifier) === undefined ? specifier : undefined;
}

const importsByFile = new WeakMap<ts.SourceFile, Map<string, ts.StringLiteralLike>>();

/** The file's import bindings (named, default, namespace, `import x = require`) from relative specifiers of code. */
function relativeImports(file: ts.SourceFile): Map<string, ts.StringLiteralLike> {
  let imports = importsByFile.get(file);
  if (imports !== undefined) return imports;
  imports = new Map();
  for (const statement of file.statements) {
    if (isImportDeclaration(statement)) {
      const specifier = statement.moduleSpecifier;
      const clause = statement.importClause;
      if (!isStringLiteralLike(specifier) || !isRelativeCodeModule(specifier.text) || clause === undefined || clause.isTypeOnly) continue;
      if (clause.name) imports.set(clause.name.text, specifier);
      const bindings = clause.namedBindings;
      if (bindings === undefined) continue;
      if (isNamedImports(bindings)) for (const element of bindings.elements) imports.set(element.name.text, specifier);
      else imports.set(bindings.name.text, specifier);
    } else if (isImportEqualsDeclaration(statement) && isExternalModuleReference(statement.moduleReference)) {
      const specifier = statement.moduleReference.expression;
      if (isStringLiteralLike(specifier) && isRelativeCodeModule(specifier.text)) imports.set(statement.name.text, specifier);
    }
  }
  importsByFile.set(file, imports);
  return imports;
}

/** Files a bundler imports that are not modules of code (a dotted name such as `./user.service` is code). */
const ASSET_EXTENSIONS = /^(css|scss|sass|less|styl|svg|png|jpe?g|gif|webp|avif|ico|json|html?|md|mdx|txt|graphql|gql|wasm|node|ya?ml|vue|svelte|astro)$/;

/** `./client`, `../gen/api.js`: a module of the project's code, not `./styles.css` or `./logo.svg`. */
function isRelativeCodeModule(text: string): boolean {
  if (!text.startsWith("./") && !text.startsWith("../") && text !== "." && text !== "..") return false;
  const extension = /\.([a-z0-9]+)$/i.exec(text.slice(text.lastIndexOf("/") + 1))?.[1]?.toLowerCase();
  return extension === undefined || !ASSET_EXTENSIONS.test(extension);
}
