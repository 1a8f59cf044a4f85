import { ts } from "ts-morph";
import { forEachChild, isArrowFunction, isCallExpression, isComputedPropertyName, isElementAccessExpression, isFunctionDeclaration, isFunctionExpression, isFunctionLike, isIdentifier, isObjectLiteralExpression, isParameter, isPropertyAccessExpression, isPropertyAssignment, isVariableDeclaration } from "../compiler-direct.js";
import { outermostWrapper, skipOuterExpressions } from "../workspace/symbols.js";
import { constantText, declarationOf } from "./constant-text.js";
import type { LibraryIndex } from "./library-index.js";
import type { ProvenanceResolver } from "./provenance.js";

/**
 * A server bound to the loopback interface (`server.listen(0, "127.0.0.1")`) serves processes of its own machine, not
 * the gateway's users: linkwarden's worker starts a forward proxy on 127.0.0.1 for its own headless browser, and the
 * forwarding headers and peer address of the requests that proxy gets are the worker's, not an end user's. A request
 * parameter of such a server's handler is therefore no source of them.
 *
 * Decided by syntax in the handler's file: the handler is a function passed to a call whose callbacks a model
 * describes (node:http's `createServer(handler)`), either inline or by a name that is not exported and used nowhere
 * else; the server that call makes is `listen`ed only with a loopback host, chained or through a `const`. Anything
 * else (a host from configuration, a handler used elsewhere, no `listen` in sight) keeps the request's sources.
 */
export interface LoopbackServers {
  /** Whether `expression` (`req.headers`, `req.socket`) is read off a request parameter of a loopback-only server. */
  servesLoopbackOnly(expression: ts.Expression): boolean;
}

const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "::1", "[::1]"]);

export function createLoopbackServers(resolver: ProvenanceResolver, index: LibraryIndex): LoopbackServers {
  const byFunction = new Map<ts.Node, boolean>();

  function servesLoopbackOnly(expression: ts.Expression): boolean {
    let root = skipOuterExpressions(expression);
    while (isPropertyAccessExpression(root) || isElementAccessExpression(root)) root = skipOuterExpressions(root.expression);
    if (!isIdentifier(root)) return false;
    const declaration = declarationOf(root, resolver.checker());
    if (declaration === undefined || !isParameter(declaration) || !isFunctionLike(declaration.parent)) return false;
    const fn = declaration.parent;
    let known = byFunction.get(fn);
    if (known === undefined) byFunction.set(fn, (known = handlerOfLoopbackServers(fn)));
    return known;
  }

  function handlerOfLoopbackServers(fn: ts.SignatureDeclaration): boolean {
    const calls = handedTo(fn);
    return calls !== undefined && calls.length > 0 && calls.every((call) => makesServer(call) && listensOnLoopbackOnly(call));
  }

  /** The calls the function is handed to; undefined when it is used any other way (or may be, from another file). */
  function handedTo(fn: ts.SignatureDeclaration): ts.CallExpression[] | undefined {
    if (isArrowFunction(fn) || isFunctionExpression(fn)) {
      const call = argumentOf(fn);
      return call !== undefined ? [call] : undefined;
    }
    if (!isFunctionDeclaration(fn) || fn.name === undefined) return undefined;
    if (ts.getCombinedModifierFlags(fn) & ts.ModifierFlags.Export) return undefined;
    const name = fn.name;
    const calls: ts.CallExpression[] = [];
    let other = false;
    const visit = (node: ts.Node): void => {
      if (other) return;
      if (isIdentifier(node) && node !== name && node.text === name.text && declarationOf(node, resolver.checker()) === fn) {
        const call = argumentOf(node);
        if (call === undefined) other = true;
        else calls.push(call);
      }
      forEachChild(node, visit);
    };
    visit(fn.getSourceFile());
    return other ? undefined : calls;
  }

  /** The call `node` is an argument of, if it is one. */
  function argumentOf(node: ts.Node): ts.CallExpression | undefined {
    const current = outermostWrapper(node);
    const parent = current.parent;
    return parent !== undefined && isCallExpression(parent) && parent.arguments.includes(current as ts.Expression) ? parent : undefined;
  }

  /** A call whose callbacks a model describes: a library's server that calls the handler with its requests. */
  function makesServer(call: ts.CallExpression): boolean {
    const callee = resolver.ofExpression(call.expression);
    return callee?.kind === "external" && index.callbacks(callee.key).length > 0;
  }

  /** `createServer(h).listen(port, "127.0.0.1")`, or `const server = createServer(h)` and every `server.listen(…)`. */
  function listensOnLoopbackOnly(server: ts.CallExpression): boolean {
    const chained = listenOn(server);
    if (chained !== undefined) return loopbackListen(chained);
    const declaration = outermostWrapper(server).parent;
    if (declaration === undefined || !isVariableDeclaration(declaration) || !isIdentifier(declaration.name)) return false;
    if (!(ts.getCombinedNodeFlags(declaration) & ts.NodeFlags.Const)) return false;
    const name = declaration.name;
    const listens: ts.CallExpression[] = [];
    const visit = (node: ts.Node): void => {
      if (isIdentifier(node) && node !== name && node.text === name.text && declarationOf(node, resolver.checker()) === declaration) {
        const listen = listenOn(node);
        if (listen !== undefined) listens.push(listen);
      }
      forEachChild(node, visit);
    };
    visit(server.getSourceFile());
    return listens.length > 0 && listens.every(loopbackListen);
  }

  /** `target.listen(…)`: the call, when `target` is the receiver of a `listen` call. */
  function listenOn(target: ts.Node): ts.CallExpression | undefined {
    const access = target.parent;
    if (access === undefined || !isPropertyAccessExpression(access) || access.expression !== target || access.name.text !== "listen") return undefined;
    const call = access.parent;
    return call !== undefined && isCallExpression(call) && call.expression === access ? call : undefined;
  }

  /** `listen(port, "127.0.0.1", …)` or `listen({ port, host: "localhost" })`. */
  function loopbackListen(listen: ts.CallExpression): boolean {
    const [first, second] = listen.arguments;
    if (first !== undefined && isObjectLiteralExpression(skipOuterExpressions(first))) {
      const options = skipOuterExpressions(first) as ts.ObjectLiteralExpression;
      const host = options.properties.find((p): p is ts.PropertyAssignment => isPropertyAssignment(p) && !isComputedPropertyName(p.name) && p.name.text === "host");
      return host !== undefined && isLoopback(host.initializer);
    }
    return second !== undefined && isLoopback(second);
  }

  function isLoopback(host: ts.Expression): boolean {
    const text = constantText(host, resolver.checker());
    return text !== undefined && LOOPBACK_HOSTS.has(text);
  }

  return { servesLoopbackOnly };
}
