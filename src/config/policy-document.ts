import { LineCounter, isMap, isScalar, isSeq, parseDocument, type Document, type Node } from "yaml";
import { PolicyError } from "../errors.js";
import { lazy } from "../lazy.js";

/** A path into a YAML document: map keys and sequence indexes (`["vetted", "hosts", 1]`). */
export type YamlPath = (string | number)[];

/**
 * A parsed policy, pack or model file that still knows where everything stands, so every later check can name
 * file:line:column. The plain value (`data`) is what validation and loading read; the positions come from the CST.
 */
export interface PolicyDocument {
  /** The name used in messages (relative to the cwd where possible). */
  displayName: string;
  data: unknown;
  /** The position (1-based) of the value at `path`, or of its nearest existing ancestor. */
  positionOf(path: YamlPath): { line: number; column: number };
  /** The position of a map key itself (`vetted.hots` → the `hots` key), for unknown-key messages. */
  keyPositionOf(mapPath: YamlPath, key: string): { line: number; column: number };
  /** Calls `visit` for every collection and scalar in the document, with its path. */
  walk(visit: (path: YamlPath, position: { line: number; column: number }) => void): void;
  error(path: YamlPath, message: string): PolicyError;
}

/**
 * A document whose data is already known (a built-in file from the build's snapshot): the YAML is parsed only if a
 * position is asked for, i.e. when an error must name its place.
 */
export function lazyPolicyDocument(text: string, displayName: string, data: unknown): PolicyDocument {
  const full = lazy(() => parsePolicyDocument(text, displayName));
  return {
    displayName,
    data,
    positionOf: (path) => full().positionOf(path),
    keyPositionOf: (mapPath, key) => full().keyPositionOf(mapPath, key),
    walk: (visit) => full().walk(visit),
    error: (path, message) => full().error(path, message),
  };
}

/** Parses YAML text; syntax errors (including duplicate keys) become a PolicyError at their place. */
export function parsePolicyDocument(text: string, displayName: string): PolicyDocument {
  const lineCounter = new LineCounter();
  // uniqueKeys: a repeated key is an error, never a silent override of the first one.
  const doc = parseDocument(text, { lineCounter, uniqueKeys: true, prettyErrors: false });
  const syntaxError = doc.errors[0];
  if (syntaxError) {
    const at = lineCounter.linePos(syntaxError.pos[0]);
    const firstLine = syntaxError.message.split("\n")[0] ?? syntaxError.message;
    throw new PolicyError(`YAML syntax error: ${firstLine.replace(/ at line \d+, column \d+:?$/, "")}`, displayName, at.line, at.col);
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new PolicyError(`cannot read YAML: ${(err as Error).message}`, displayName, 1, 1);
  }
  const positionAt = (offset: number) => {
    const pos = lineCounter.linePos(offset);
    return { line: pos.line, column: pos.col };
  };
  const start = (node: Node | null | undefined) => (node?.range ? positionAt(node.range[0]) : { line: 1, column: 1 });

  const self: PolicyDocument = {
    displayName,
    data: data ?? {},
    positionOf(path) {
      return start(nodeAt(doc, path));
    },
    keyPositionOf(mapPath, key) {
      const map = nodeAt(doc, mapPath);
      if (isMap(map)) {
        const pair = map.items.find((item) => isScalar(item.key) && String(item.key.value) === key);
        if (pair && isScalar(pair.key)) return start(pair.key);
      }
      return start(map);
    },
    walk(visit) {
      // Iterative: the depth of a policy file is the author's choice, the stack's depth is not.
      const stack: { node: unknown; path: YamlPath }[] = [{ node: doc.contents, path: [] }];
      while (stack.length > 0) {
        const { node, path } = stack.pop()!;
        if (isMap(node)) {
          for (let i = node.items.length - 1; i >= 0; i--) {
            const pair = node.items[i]!;
            if (isScalar(pair.key)) stack.push({ node: pair.value, path: [...path, String(pair.key.value)] });
          }
        } else if (isSeq(node)) {
          for (let i = node.items.length - 1; i >= 0; i--) stack.push({ node: node.items[i], path: [...path, i] });
        }
        if (path.length > 0 && (isMap(node) || isSeq(node) || isScalar(node))) visit(path, start(node));
      }
    },
    error(path, message) {
      const at = self.positionOf(path);
      return new PolicyError(message, displayName, at.line, at.column);
    },
  };
  return self;
}

/** The deepest node along `path` that exists (so a message about a missing child points at its parent). */
function nodeAt(doc: Document, path: YamlPath): Node | null {
  let node = doc.contents as Node | null;
  for (const segment of path) {
    let next: unknown;
    if (isMap(node)) next = node.items.find((item) => isScalar(item.key) && String(item.key.value) === String(segment))?.value;
    else if (isSeq(node) && typeof segment === "number") next = node.items[segment];
    if (!next || typeof next !== "object") return node;
    node = next as Node;
  }
  return node;
}

/** `["vetted", "hosts", 1]` → `vetted.hosts[1]`: the key format of Policy.origins and of messages. */
export function formatYamlPath(path: YamlPath): string {
  let out = "";
  for (const segment of path) {
    if (typeof segment === "number") out += `[${segment}]`;
    else out += out === "" ? segment : `.${segment}`;
  }
  return out;
}
