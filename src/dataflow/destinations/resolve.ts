import type { ts } from "ts-morph";
import { canonicalHost } from "../../model/hosts.js";
import type { Destination } from "../../vocabulary/flow.js";
import { serviceKey, type DestinationSpec, type HostTemplate, type InstanceConfiguration } from "../../vocabulary/question.js";
import { evaluateDestination, type EvaluationEnvironment } from "./evaluate.js";
import { Concat, Const, Unknown, constPrefix, isPathOnly, propertyOf, unresolvedReason, urlToString, type DestinationValue } from "./value.js";

/**
 * The destination of one sink call, possibly symbolic (`Param(i)` inside a summary): the evaluated argument the spec
 * names (or the property inside it), read as a URL, request options (`{ url }`, `{ baseURL, url }`,
 * `{ hostname, port, path }`) or a bare host, combined with the instance's base URL — or, where the instance
 * configures none, the SDK's default: a host built from its configuration (`sqs.{region}.amazonaws.com`) or a fixed
 * vendor host. Turn it into a verdict with {@link toDestination}, after {@link substituteParams} when the sink sits
 * inside a summarised function.
 */
export function destinationValue(
  spec: DestinationSpec,
  call: ts.CallExpression | ts.NewExpression,
  env: EvaluationEnvironment,
): DestinationValue {
  const bases = (spec.base ?? []).map((base) => evaluateDestination(base, env));
  // a named service the SDK knows decides first (nodemailer lets its preset win over `host`); then the last
  // configuration wins (axios.create({ baseURL }) then a per-request options object's own baseURL); a base the
  // instance configures wins over the SDK's default host (`new OpenAI({ baseURL })`)
  const named = spec.hostTemplate?.services !== undefined ? serviceHost(spec.hostTemplate, env) : undefined;
  const base = named ?? (bases.length > 0 ? bases[bases.length - 1] : defaultBase(spec, env));
  const argument = spec.argument === undefined ? undefined : call.arguments?.[spec.argument];
  let target: DestinationValue | undefined;
  if (argument !== undefined) {
    target = evaluateDestination(argument, env);
    for (const name of spec.property ?? []) target = propertyOf(target, name);
  } else if (spec.argument !== undefined && base === undefined) {
    return Unknown(`argument ${spec.argument + 1} is not passed`);
  }
  return withBase(base, target);
}

/** Where an SDK sends data when its instance configures no base URL: a templated host, else a fixed one. */
function defaultBase(spec: DestinationSpec, env: EvaluationEnvironment): DestinationValue | undefined {
  if (spec.hostTemplate !== undefined) return templatedHost(spec.hostTemplate, spec.host, env);
  if (spec.host !== undefined) return Const(`https://${spec.host}/`);
  return undefined;
}

/**
 * The host a well-known service name in the configuration stands for (`{ service: "gmail" }` is `smtp.gmail.com`);
 * undefined when the configuration sets no service (or is not visible here). A name the model does not list, and a
 * name from the environment or a spread, leave the destination unresolved: the SDK may know it, flowgate does not.
 */
function serviceHost(host: HostTemplate, env: EvaluationEnvironment): DestinationValue | undefined {
  const services = host.services;
  const argument = host.configuration?.argument;
  if (services === undefined || argument === undefined) return undefined;
  const config = configurationValue(host.configuration!, env);
  if (config.kind !== "object") return undefined; // a URL string or an unknown value: no service setting to read
  const value = settingOf(config, services.setting);
  if (value === undefined) return undefined;
  if (value.kind !== "const") return value; // an env keeps its reason; a parameter stays symbolic
  const known = services.hosts.get(serviceKey(value.value));
  if (known !== undefined) return Const(`https://${known}/`);
  return Unknown(`the client's ${services.setting.join(".")} \`${clip(value.value)}\` is not a service flowgate knows`);
}

/** A DNS label, as SDKs require of a region (`eu-west-1`) before they put it into a host name. */
const HOST_LABEL = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i;

/**
 * `sqs.{region}.amazonaws.com` filled from the instance's configuration. The configuration is evaluated as a whole, so
 * a base URL the syntactic capture missed (an imported config object, a spread) still overrides the templates. The
 * first template whose settings the configuration all sets decides (twilio: edge and region, edge alone, region
 * alone); when none does, the SDK's default `host`, else unresolved: the setting comes from the runtime environment
 * (`AWS_REGION`, a profile). A setting from an env, a spread that may set one, and a client whose construction is not
 * visible here are unresolved too.
 */
function templatedHost(host: HostTemplate, fallbackHost: string | undefined, env: EvaluationEnvironment): DestinationValue {
  const templates = host.templates.map((template) => template.split(/(\{[^{}]*\})/));
  const settingsOf = (pieces: readonly string[]) => pieces.filter((p) => p.startsWith("{")).map((p) => p.slice(1, -1));
  const configuration = host.configuration;
  if (configuration === undefined) {
    const settings = [...new Set(templates.flatMap(settingsOf))];
    return Unknown(`the client is built elsewhere, so its ${settings.join(" and ") || "configuration"} is not known here`);
  }
  const config = configuration.argument === undefined ? undefined : configurationValue(configuration, env);
  if (config !== undefined && configuration.baseUrl !== undefined && configuration.baseUrl.length > 0) {
    const endpoint = settingOf(config, configuration.baseUrl);
    if (endpoint !== undefined) return endpoint;
  }
  let missing: string | undefined;
  for (const pieces of templates) {
    const values = settingsOf(pieces).map((name) => ({ name, value: config === undefined ? undefined : settingOf(config, name.split(".")) }));
    const unset = values.find((v) => v.value === undefined);
    if (unset !== undefined) {
      missing ??= unset.name;
      continue;
    }
    const parts: DestinationValue[] = [Const("https://")];
    let next = 0;
    for (const piece of pieces) {
      if (!piece.startsWith("{")) {
        parts.push(Const(piece));
        continue;
      }
      const { name, value } = values[next++] as { name: string; value: DestinationValue };
      if (value.kind === "const" && !HOST_LABEL.test(value.value)) {
        return Unknown(`the client's ${name} \`${clip(value.value)}\` is not a host name label`);
      }
      parts.push(value);
    }
    parts.push(Const("/"));
    return Concat(parts);
  }
  if (fallbackHost !== undefined) return Const(`https://${fallbackHost}/`);
  if (templates.length === 0) {
    // no template to fill: the configuration names neither a base URL nor a service the model knows
    const settings = [configuration.baseUrl?.join("."), host.services?.setting.join(".")].filter((s) => s !== undefined && s !== "");
    return Unknown(`the client's configuration names no ${settings.join(" or ") || "host"}`);
  }
  return Unknown(`the client's ${missing ?? "configuration"} comes from the runtime environment`);
}

/**
 * The instance's configuration argument, evaluated; a literal connection string (`Endpoint=sb://ns…/;SharedAccessKey=…`)
 * becomes the object of its settings, and a literal without `=` is the base URL itself (`new ServiceBusClient(
 * "ns.servicebus.windows.net", credential)`).
 */
function configurationValue(configuration: InstanceConfiguration, env: EvaluationEnvironment): DestinationValue {
  const value = evaluateDestination(configuration.argument!, env);
  if (!configuration.connectionString || value.kind !== "const") return value;
  const properties = new Map<string, DestinationValue>();
  if (!value.value.includes("=")) {
    const base = configuration.baseUrl?.[0];
    if (base !== undefined) properties.set(base, value);
    return { kind: "object", properties, complete: true };
  }
  for (const part of value.value.split(";")) {
    const equals = part.indexOf("=");
    if (equals > 0) properties.set(part.slice(0, equals).trim(), Const(part.slice(equals + 1).trim()));
  }
  return { kind: "object", properties, complete: true };
}

/** A setting inside a configuration value; undefined when the configuration certainly leaves it out. */
function settingOf(config: DestinationValue, path: readonly string[]): DestinationValue | undefined {
  let current = config;
  for (const name of path) {
    if (current.kind !== "object") {
      current = propertyOf(current, name); // a parameter stays symbolic; an env or unknown keeps its reason
      continue;
    }
    const found = current.properties.get(name);
    if (found !== undefined) current = found;
    else if (current.complete) return undefined;
    else return Unknown(`the client's ${path.join(".")} may come from a spread`);
  }
  return current;
}

/** {@link destinationValue} and {@link toDestination} in one step, for sinks whose destination is not symbolic. */
export function resolveDestination(
  spec: DestinationSpec,
  call: ts.CallExpression | ts.NewExpression,
  env: EvaluationEnvironment,
): Destination {
  return toDestination(destinationValue(spec, call, env));
}

/**
 * The verdict on a destination value: the host, when the URL's authority is known (`"https://api.x/users/" + id` is
 * `api.x`; `"https://api.x" + suffix` is not, the suffix could continue the host name), else why not. The host comes
 * from the WHATWG URL parser, so userinfo (`https://enclave@evil.example/`) and case are handled as clients do.
 */
export function toDestination(value: DestinationValue): Destination {
  const text = urlToString(normaliseOptions(value));
  const path = sameOriginPath(text);
  if (path !== undefined) return { status: "same-origin", path };
  const host = hostOf(value);
  if (typeof host !== "string") {
    const reason = host.reason ?? "its value is not known statically";
    return { status: "unresolved", reason: `destination could not be resolved (${reason})` };
  }
  if (text.kind === "const" && /^[a-z][a-z0-9+.-]*:\/\//i.test(text.value)) {
    try {
      return { status: "resolved", host, url: new URL(text.value).href };
    } catch {
      // fall through: the host alone
    }
  }
  return { status: "resolved", host };
}

/**
 * The path of a URL that is a path and nothing else (`/api/invites`, `` `/api/workspaces/${id}/users` ``): its constant
 * start is `/` and a character that cannot begin an authority, so whatever follows stays on the origin the code runs
 * on. A browser sends it to the page's own server, the gateway's routes; Node's `fetch` rejects it. `//host/…` and
 * `/\host` are other hosts, and a URL with a base (`new URL(path, base)`, an instance's `baseURL`) is its base's.
 * The page's own origin (`location.origin`) is that origin too: alone, as the base of a relative URL, or followed by
 * a path (`` `${location.origin}/api/x` ``).
 * `url`: the destination as URL text (request options normalised).
 */
function sameOriginPath(url: DestinationValue): string | undefined {
  if (url.kind === "origin") return "/";
  if (url.kind === "url") {
    // new URL(path, location.origin): a relative input stays on the page's origin; an absolute one decides alone
    if (url.base === undefined || urlShape(url.input) !== "relative") return undefined;
    const input = constPrefix(urlToString(url.input)) ?? "";
    const base = urlToString(url.base);
    if (base.kind === "origin") return pathOnOrigin(input);
    // a client whose base URL is itself a path (docmost's `axios.create({ baseURL: "/api" })`): axios and got join
    // the base and a relative path as text (`/api` + `/auth/login` is `/api/auth/login`), so the request stays on the
    // origin the base names
    const basePath = sameOriginPath(base);
    return basePath === undefined ? undefined : clip(`${basePath.replace(/\/+$/, "")}/${input.replace(/^\/+/, "")}`);
  }
  // `${location.origin}/api/x`: the origin, then a path (a part that could continue the host name is not one)
  if (url.kind === "concat") {
    const parts = url.parts.filter((part) => part.kind !== "const" || part.value !== ""); // a template's empty head
    const next = parts[1];
    if (parts[0]?.kind === "origin") return next?.kind === "const" && /^[/?#]/.test(next.value) ? clip(next.value) : undefined;
  }
  const prefix = constPrefix(url);
  return prefix !== undefined && isPathOnly(prefix) ? clip(prefix) : undefined;
}

/** A relative reference resolved against the page's own origin, as the path it names (`users/1` is `/users/1`). */
function pathOnOrigin(relative: string): string {
  return clip(/^[/?#]/.test(relative) ? relative : `/${relative}`);
}

function hostOf(value: DestinationValue): string | { reason?: string } {
  const current = urlToString(normaliseOptions(value));
  if (current.kind === "url") {
    // new URL(input, base): an absolute input decides alone; a relative one takes the base's host
    const shape = urlShape(current.input);
    if (shape === "absolute") return hostOf(current.input);
    if (shape === "relative" && current.base !== undefined) return hostOf(current.base);
    return { reason: unresolvedReason(shape === "relative" ? (current.base ?? current.input) : current.input) };
  }
  const prefix = constPrefix(current);
  if (prefix !== undefined) {
    const authority = /^([a-z][a-z0-9+.-]*:)?\/\/[^/?#\\]*[/?#\\]/i.exec(prefix);
    const whole = current.kind === "const";
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(prefix) && (whole || authority !== null)) {
      try {
        const host = new URL(whole ? prefix : authority?.[0] ?? prefix).host;
        if (host !== "") return canonicalHost(host) ?? host;
        return { reason: `\`${prefix}\` has no host` };
      } catch {
        return { reason: `\`${clip(prefix)}\` is not a valid URL` };
      }
    }
    if (whole) {
      // a bare host (`api.partner.example`, `10.0.0.7:9092`) where a client takes host names
      const host = canonicalHost(prefix);
      if (host !== undefined && prefix !== "" && !prefix.startsWith("/")) return host;
      return { reason: `\`${clip(prefix)}\` is not an absolute URL` };
    }
  }
  return { reason: unresolvedReason(current) };
}

/** Request options (`{ url }`, `{ baseURL, url }`, `{ hostname, port, path }`) as the URL they denote. */
function normaliseOptions(value: DestinationValue): DestinationValue {
  if (value.kind !== "object") return value;
  const field = (...names: string[]) => {
    for (const name of names) {
      const found = value.properties.get(name);
      if (found !== undefined) return found;
    }
    return undefined;
  };
  const url = field("url", "href", "uri");
  const base = field("baseURL", "baseUrl", "prefixUrl", "origin");
  if (url !== undefined || base !== undefined) return withBase(base, url);
  const hostname = field("hostname", "host");
  if (hostname !== undefined) {
    // node:http options: protocol defaults to http:, the port follows the host
    const protocol = field("protocol") ?? Const("http:");
    const port = field("port");
    return Concat([protocol, Const("//"), hostname, ...(port === undefined ? [] : [Const(":"), port]), Const("/")]);
  }
  return Unknown(value.complete ? "the options name no URL or host" : "the options come partly from a spread");
}

/**
 * A per-call URL on an instance with a base URL (axios `baseURL`, got `prefixUrl`, `new URL(path, base)`): a relative
 * path keeps the base's host, an absolute URL replaces it (axios and fetch semantics), and a path that might be
 * absolute (unknown) leaves the destination unresolved — a vetted base does not vet what the call can override.
 */
function withBase(base: DestinationValue | undefined, target: DestinationValue | undefined): DestinationValue {
  if (base === undefined) return target ?? Unknown("no URL is given");
  if (target === undefined) return base;
  const shape = urlShape(target);
  if (shape === "absolute") {
    // "//other.example/x" keeps only the base's scheme, which does not decide the host
    const prefix = constPrefix(urlToString(target));
    return prefix?.startsWith("//") || prefix?.startsWith("\\") ? Concat([Const("https:"), target]) : target;
  }
  if (shape === "relative") return { kind: "url", input: target, base };
  return target;
}

/** Whether a URL value is absolute, relative, or could be either (unknown head). */
function urlShape(value: DestinationValue): "absolute" | "relative" | "unknown" {
  const current = urlToString(value);
  if (current.kind === "url") return urlShape(current.input);
  if (current.kind === "object") return "unknown";
  const prefix = constPrefix(current);
  if (prefix === undefined || prefix === "") return "unknown";
  if (prefix.startsWith("/") || prefix.startsWith("\\")) {
    // "//host/…" is protocol-relative: absolute
    if (prefix.length < 2) return current.kind === "const" ? "relative" : "unknown";
    return prefix[1] === "/" || prefix[1] === "\\" ? "absolute" : "relative";
  }
  if (!/^[a-z]/i.test(prefix)) return "relative";
  const end = /[^a-z0-9+.-]/i.exec(prefix);
  if (end === null) return current.kind === "const" ? "relative" : "unknown"; // "users" vs "http" + ":…"
  return end[0] === ":" ? "absolute" : "relative";
}

function clip(text: string): string {
  return text.length > 60 ? `${text.slice(0, 57)}…` : text;
}
