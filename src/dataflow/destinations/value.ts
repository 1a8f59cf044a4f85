/**
 * The destination domain: what static evaluation knows about a string (or a URL, or an options object) that decides
 * where a sink sends data. Values are plain data (no compiler nodes), so they can live in summaries across phases.
 */
export type DestinationValue =
  | { kind: "const"; value: string }
  /** Parts in order; never nested, never two adjacent constants, at least two parts. */
  | { kind: "concat"; parts: DestinationValue[] }
  /**
   * Parameter `index` of the function being summarised, at a field `path` inside it (symbolic until substituted);
   * `name` is the parameter's name in the source, for the reason when it is never substituted (an entry point).
   */
  | { kind: "param"; index: number; path: readonly string[]; name?: string }
  /** An environment variable: overridable at deployment, so never vetted. */
  | { kind: "env"; name: string }
  /** Static evaluation gave up; `reason` is reviewer-facing ("from parameter `url`", "from a call to getBase()"). */
  | { kind: "unknown"; reason: string }
  /** `new URL(input, base)`: the base matters only when the input is relative. */
  | { kind: "url"; input: DestinationValue; base?: DestinationValue }
  /** An object literal (`{ hostname, path }`, an `as const` table of hosts, request options). */
  | { kind: "object"; properties: ReadonlyMap<string, DestinationValue>; complete: boolean }
  /** `left ?? right` / `left || right` whose left side is not settled yet (a parameter inside a summary). */
  | { kind: "fallback"; operator: "??" | "||"; left: DestinationValue; right: DestinationValue }
  /**
   * The origin the code runs on: a browser page's `location.origin` (or its `href`). A path on it, or a relative URL
   * with it as the base, goes to the server that served the page.
   */
  | { kind: "origin" };

export const Const = (value: string): DestinationValue => ({ kind: "const", value });
export const Param = (index: number, path: readonly string[] = [], name?: string): DestinationValue =>
  name === undefined ? { kind: "param", index, path } : { kind: "param", index, path, name };
export const Env = (name: string): DestinationValue => ({ kind: "env", name });
export const Unknown = (reason: string): DestinationValue => ({ kind: "unknown", reason });
export const PageOrigin: DestinationValue = { kind: "origin" };

/** Concatenation that keeps the invariants: flattened, adjacent constants merged, empty constants dropped. */
export function Concat(parts: readonly DestinationValue[]): DestinationValue {
  const out: DestinationValue[] = [];
  const pending: string[] = [];
  const flush = () => {
    if (pending.length > 0) out.push(Const(pending.join("")));
    pending.length = 0;
  };
  const add = (part: DestinationValue) => {
    if (part.kind === "const") pending.push(part.value);
    else {
      flush();
      out.push(part);
    }
  };
  for (const part of parts) {
    if (part.kind === "concat") part.parts.forEach(add);
    else if (part.kind === "url") add(urlToString(part));
    else add(part);
  }
  flush();
  if (out.length === 0) return Const("");
  const [single] = out;
  return out.length === 1 && single !== undefined ? single : { kind: "concat", parts: out };
}

/** The constant text a value starts with (`/api/` of `` `/api/${id}` ``), if it starts with one. */
export function constPrefix(value: DestinationValue): string | undefined {
  if (value.kind === "const") return value.value;
  const head = value.kind === "concat" ? value.parts[0] : undefined;
  if (head?.kind === "const") return head.value;
  return undefined;
}

/**
 * One of two values chosen at run time (`cond ? a : b`), as far as both agree: their common constant start, the rest
 * unknown. A choice between `` `/api/a/${id}` `` and `"/api/b"` is still a path on the code's own origin, and one
 * between `https://h/x` and `https://h/y` still goes to `h`; a start that stops inside the authority
 * (`https://api.` of two hosts) resolves to no host, as a template's does.
 */
export function either(a: DestinationValue, b: DestinationValue, reason: string): DestinationValue {
  if (a.kind === "const" && b.kind === "const" && a.value === b.value) return a;
  const left = constPrefix(a);
  const right = constPrefix(b);
  if (left === undefined || right === undefined) return Unknown(reason);
  let shared = 0;
  while (shared < left.length && shared < right.length && left[shared] === right[shared]) shared++;
  return shared === 0 ? Unknown(reason) : Concat([Const(left.slice(0, shared)), Unknown(reason)]);
}

/** A `url` value as the string it stringifies to (`url.href`, `` `${url}` ``), as far as it is known. */
export function urlToString(value: DestinationValue): DestinationValue {
  if (value.kind !== "url") return value;
  const input = urlToString(value.input);
  const base = value.base === undefined ? undefined : urlToString(value.base);
  if (input.kind === "const") {
    try {
      return Const(base?.kind === "const" ? new URL(input.value, base.value).href : new URL(input.value).href);
    } catch {
      // a base that is itself a path (axios.create({ baseURL: "/api" })) stays as it is: the client joins the two,
      // and the destination's verdict takes the pair as a path on the page's origin (sameOriginPath)
      if (base === undefined || (base.kind === "const" && !isPathOnly(base.value))) return Unknown(`\`${input.value}\` is not a valid URL`);
    }
  }
  return value;
}

/** Whether a URL text starts as a path and nothing else: `/`, then a character that cannot begin an authority. */
export function isPathOnly(text: string): boolean {
  return /^\/[^/\\]/.test(text);
}

/** The value of a field (`HOSTS.analytics`, `options.hostname`), as far as it is known. */
export function propertyOf(value: DestinationValue, name: string): DestinationValue {
  switch (value.kind) {
    case "object": {
      const found = value.properties.get(name);
      if (found !== undefined) return found;
      return value.complete ? Unknown(`no property \`${name}\``) : Unknown(`property \`${name}\` comes from a spread`);
    }
    case "param":
      return Param(value.index, [...value.path, name], value.name);
    case "env":
    case "unknown":
      return value;
    case "url":
      return urlProperty(value, name);
    case "const":
      // a URL already folded to its string form (`new URL(a, b)` with both known) still answers `.href`, `.host`…
      return /^[a-z][a-z0-9+.-]*:\/\//i.test(value.value) ? urlProperty(value, name) : Unknown(`property \`${name}\` of a string`);
    default:
      return Unknown(`property \`${name}\` of a string`);
  }
}

function urlProperty(value: DestinationValue, name: string): DestinationValue {
  const text = urlToString(value);
  if (text.kind !== "const") return name === "href" ? text : Unknown(`\`${name}\` of a URL that is not constant`);
  try {
    const url = new URL(text.value);
    const known: Record<string, string> = {
      href: url.href,
      origin: url.origin,
      host: url.host,
      hostname: url.hostname,
      protocol: url.protocol,
      pathname: url.pathname,
      port: url.port,
    };
    const field = known[name];
    return field !== undefined && Object.hasOwn(known, name) ? Const(field) : Unknown(`\`${name}\` of a URL`);
  } catch {
    return Unknown("not a valid URL");
  }
}

/**
 * Replaces `Param(i, path)` by the caller's actual argument values: a summary's symbolic destination, seen from one
 * call site (`postJson(VAULT, …)` vs `postJson(CRM, …)`). Arguments the caller does not pass are `undefined`.
 */
export function substituteParams(
  value: DestinationValue,
  argument: (index: number) => DestinationValue | undefined,
): DestinationValue {
  switch (value.kind) {
    case "param": {
      const actual = argument(value.index) ?? Unknown(`argument ${value.index + 1} is not passed`);
      return value.path.reduce(propertyOf, actual);
    }
    case "concat":
      return Concat(value.parts.map((part) => substituteParams(part, argument)));
    case "url": {
      const input = substituteParams(value.input, argument);
      const base = value.base === undefined ? undefined : substituteParams(value.base, argument);
      return urlToString({ kind: "url", input, base });
    }
    case "object": {
      const properties = new Map<string, DestinationValue>();
      for (const [key, field] of value.properties) properties.set(key, substituteParams(field, argument));
      return { kind: "object", properties, complete: value.complete };
    }
    case "fallback":
      return fallback(value.operator, substituteParams(value.left, argument), substituteParams(value.right, argument));
    default:
      return value;
  }
}

/**
 * `left ?? right`, `left || right`. A constant left side decides; an overridable left side (environment, unknown)
 * stays as it is, because a vetted fallback does not vet a destination the deployment can override.
 */
export function fallback(operator: "??" | "||", left: DestinationValue, right: DestinationValue): DestinationValue {
  switch (left.kind) {
    case "const":
      return operator === "||" && left.value === "" ? right : left;
    case "concat":
    case "url":
    case "object":
      return left; // never nullish, and (concat of non-empty parts aside) truthy
    case "param":
    case "fallback":
      return { kind: "fallback", operator, left, right };
    default:
      return left;
  }
}

/** Why a value is not a constant, for the finding message: "process.env.ANALYTICS_URL", "parameter 1". */
export function unresolvedReason(value: DestinationValue): string | undefined {
  const stack: DestinationValue[] = [value];
  while (stack.length > 0) {
    const current = stack.pop() as DestinationValue;
    switch (current.kind) {
      case "env":
        return `from process.env.${current.name}`;
      case "unknown":
        return current.reason;
      case "param": {
        const field = current.path.map((p) => `.${p}`).join("");
        if (current.name !== undefined) return `from parameter \`${current.name}${field}\``;
        return `from parameter ${current.index + 1}${field} of the enclosing function`;
      }
      case "concat":
        for (const part of [...current.parts].reverse()) stack.push(part);
        break;
      case "url":
        if (current.base !== undefined) stack.push(current.base);
        stack.push(current.input);
        break;
      case "fallback":
        stack.push(current.left);
        break;
      case "object":
        for (const field of current.properties.values()) stack.push(field);
        break;
    }
  }
  return undefined;
}
