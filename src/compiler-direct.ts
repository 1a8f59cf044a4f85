import { ts } from "ts-morph";

/**
 * The bundled compiler's node kinds and node tests, read once. ts-morph's `ts` is the compiler's export object: some
 * 2,000 properties, each a getter, so the object is in dictionary mode and every `ts.isIdentifier(n)` or
 * `ts.SyntaxKind.X` in a hot path is a hash lookup and a getter call before the test itself, which V8 cannot inline
 * through. The engine and the model test the kind of nodes millions of times a scan; read from here, each test is a
 * call V8 inlines, and each kind a property of an ordinary object. The bindings are the compiler's own functions (its
 * getters hand out functions that never change after the bundle loads).
 */
export const Kind = ts.SyntaxKind;
export const NodeFlags = ts.NodeFlags;

export const {
  forEachChild, isArrayBindingPattern, isArrayLiteralExpression, isArrayTypeNode, isArrowFunction, isAsExpression, isAwaitExpression,
  isBinaryExpression, isBindingElement, isBlock, isCallExpression, isClassDeclaration, isClassExpression,
  isClassLike, isClassStaticBlockDeclaration, isComputedPropertyName, isConditionalExpression,
  isConstructorDeclaration, isDefaultClause, isDeleteExpression, isElementAccessExpression, isEnumDeclaration,
  isEnumMember, isExportAssignment, isExportDeclaration, isExportSpecifier, isExpression, isExpressionStatement, isExternalModule,
  isExternalModuleReference, isForInStatement, isForOfStatement, isFunctionDeclaration, isFunctionExpression,
  isFunctionLike, isFunctionTypeNode, isGetAccessorDeclaration, isIdentifier, isIfStatement, isImportClause,
  isImportDeclaration, isImportEqualsDeclaration, isImportSpecifier, isImportTypeNode, isInterfaceDeclaration,
  isIntersectionTypeNode, isIterationStatement, isLiteralTypeNode, isMethodDeclaration, isMethodSignature,
  isModuleBlock, isModuleDeclaration, isNamedExports, isNamedImports, isNamespaceExport, isNamespaceImport, isNewExpression,
  isNoSubstitutionTemplateLiteral, isNonNullExpression, isNumericLiteral, isObjectBindingPattern,
  isObjectLiteralExpression, isOmittedExpression, isParameter, isParameterPropertyDeclaration,
  isParenthesizedExpression, isParenthesizedTypeNode, isPostfixUnaryExpression, isPrefixUnaryExpression,
  isPrivateIdentifier, isPropertyAccessExpression, isPropertyAssignment, isPropertyDeclaration, isPropertySignature,
  isQualifiedName, isRegularExpressionLiteral, isReturnStatement, isSetAccessorDeclaration,
  isShorthandPropertyAssignment, isSourceFile, isSpreadAssignment, isSpreadElement, isStringLiteral,
  isStringLiteralLike, isTemplateExpression, isTypeAliasDeclaration, isTypeAssertionExpression, isTypeLiteralNode,
  isTypeNode, isTypeQueryNode, isTypeReferenceNode, isUnionTypeNode, isVariableDeclaration,
  isVariableDeclarationList, isVariableStatement, isVoidExpression
} = ts;
