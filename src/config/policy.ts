import type { ModelledSinkKind } from "../vocabulary/sink-kind.js";

/**
 * The policy after loading: the user's flowgate.config.yaml merged with the packs it extends.
 * This is the config stage's output and the model stage's input; nothing after the model stage reads it.
 */
export interface Policy {
  /** Policy files read, in order (the user's file first, then packs), for messages and for update review. */
  files: string[];
  dataClasses: DataClassSpec[];
  /** Library models from rules/models/*.yaml that the packs pull in, plus the user's `sinks`. */
  models: LibraryModel[];
  sanitizers: string[]; // call references, `module#path`
  vetted: { hosts: VettedHost[]; calls: VettedCall[] };
  /**
   * JSDoc tags whose argument names a data class (`/** @restricted device-id *\/`): `restricted`, `pii`, `sensitive`.
   * Without an argument such a tag is matched like any tag of `dataClasses[].tags`.
   */
  classTags: string[];
  /** Validation libraries whose validators decide a field's data class, whatever it is called (`@IsEmail()`). */
  validators: ValidatorRow[];
  /** Third-party packages by npm name: `local` ones are known to keep data in the process (lodash, zod, an ORM). */
  packages: { local: string[] };
  include: string[];
  exclude: string[];
  /** Where each user-written entry stands (`vetted.hosts[2]` → file:line), for policy-change findings. */
  origins: Map<string, PolicyOrigin>;
}

/** A `vetted.hosts` entry: a host pattern, vetted for every data class or (with `classes`) only for those listed. */
export interface VettedHost {
  host: string;
  /** Absent: every class. */
  classes?: string[];
}

/** A `vetted.calls` entry: a call reference (canonical), a door for every data class or only for those listed. */
export interface VettedCall {
  call: string;
  /** Absent: every class. */
  classes?: string[];
}

export interface PolicyOrigin {
  file: string;
  line: number;
  column: number;
}

export interface DataClassSpec {
  id: string;
  description?: string;
  /** Identifier tokens, matched on word boundaries of camelCase / snake_case / kebab-case / SCREAMING_CASE names. */
  names: string[];
  /**
   * Names another vocabulary uses for something else, each matched like `names` but only in a file that also names
   * one of its partners: `lng: [lat, latitude]` (i18next's `lng` is a language; a longitude comes with its latitude).
   */
  pairedNames?: Record<string, string[]>;
  /**
   * Member names that hold the class only in a shape that also declares every one of their siblings, matched exactly
   * as written: `to: [from, subject]` (a mail envelope's recipients; a route's or a diff's `to` is something else). A
   * shape is a validation schema's object (`z.object({ from, to, subject })`), an interface, a type literal or a class.
   */
  siblingNames?: Record<string, string[]>;
  /** Declared type names, matched exactly (aliases followed). */
  types: string[];
  /** JSDoc tags on fields and properties. */
  tags: string[];
  /** How much harm the class does when it leaks; raises or lowers a result's security-severity (src/findings/severity.ts). */
  sensitivity?: Sensitivity;
}

/** A data class's sensitivity, from least to most (docs/data-classes.md). */
export const SENSITIVITIES = ["low", "moderate", "high", "very-high"] as const;
export type Sensitivity = (typeof SENSITIVITIES)[number];

/** One library's model: rows rooted at a package and an access path (`axios#default.post`). */
export interface LibraryModel {
  /** Model id: the YAML file name under rules/models/, or `policy` for the user's own `sinks:`. */
  id: string;
  file: string;
  sinks: SinkRow[];
  sources: SourceRow[];
  sanitizers: SanitizerRow[];
  /** Calls that return a configured instance (`axios#default.create` → `axios#default`). */
  instances: InstanceRow[];
  /** Dependency-injection lookups: calls that return an instance of the class they are given (`inject(HttpClient)`). */
  lookups?: LookupRow[];
  /** Library calls that move taint (`global#JSON.stringify`: argument 0 → return). */
  propagators: PropagatorRow[];
  /** Values that are the same API under another name (`axios#AxiosInstance` is `axios#default`). */
  aliases?: AliasRow[];
  /** Calls whose function arguments receive known values (`express#default().get`: parameter 0 is `express#Request`). */
  callbacks?: CallbackRow[];
  /** Callback parameters whose datum an option of the call names (passport-local's `usernameField`). */
  namedParameters?: NamedParameterRow[];
  /** Synthetic-data generators (`@faker-js/faker#default`): values under these paths are never a real person's. */
  synthetic?: SyntheticRow[];
  /**
   * Configuration (`global#process.env`, `@nestjs/config#ConfigService`): values under these paths are the operator's
   * settings, never a user's data, whatever they are called (`process.env.SMTP_FROM_EMAIL`).
   */
  configuration?: SyntheticRow[];
  /**
   * The gateway's own store (`@prisma/client#PrismaClient`): calls below `path` named in `reads` are queries, whose
   * result is the database's answer, not the query's arguments.
   */
  stores?: StoreRow[];
  /**
   * A builder chain (`next-safe-action#createSafeActionClient()`): calls below `path` return the builder; their callbacks
   * receive what it carries at the members named in `carries` only.
   */
  builders?: BuilderRow[];
  /**
   * A web framework's app or router (`hono#Hono`): calls below `path` register handlers and answer the app; handlers
   * get nothing of the app, and what they return answers the client.
   */
  routers?: RouterRow[];
  /**
   * A channel inside the gateway (a queue, an event emitter): what a publishing call below `path` puts on it comes
   * back to the callbacks of the subscribing calls on the same channel.
   */
  channels?: ChannelRow[];
}

export interface ChannelRow {
  path: string;
  label?: string;
  /** The argument that names the topic (an event's name) on both sides; a constant there keys the channel. */
  topic?: number;
  /** Publishing members, to the arguments the message is made of (`add: [0, 1]`, `emit: [1, 2, 3]`). */
  publish: Record<string, number[]>;
  /** Subscribing members, to the callback that receives the message and where. */
  subscribe: Record<string, ChannelSubscription>;
}

export interface ChannelSubscription {
  /** The callback argument: its position, or `last`. */
  callback: number | "last";
  /** The parameter that receives the message; absent: every parameter. */
  parameter?: number;
  /** Where inside that parameter the message sits (`[data]` of a job); absent: the parameter itself. */
  at?: string[];
}

export interface RouterRow {
  path: string;
  label?: string;
}

export interface BuilderRow {
  path: string;
  /** Members of the object each callback receives that hold what the chain carries (`ctx`). */
  carries: string[];
  label?: string;
}

export interface StoreRow {
  path: string;
  /** Last members that read (`findUnique`, `findOne`, `where`); writes echo what they wrote and are not listed. */
  reads: string[];
  /** Writes whose answer echoes only the data argument at this position (`create: 0`), not the options after it. */
  writes?: Record<string, number>;
  /**
   * The argument of the store's own call that names the table (`db("events")`: 0). What `saves` put into a table is
   * what reads of the same table return (src/dataflow/interpret/channels.ts).
   */
  table?: number;
  /** Writes that save rows into the table, to the argument that holds them (`insert: 0`). Needs `table`. */
  saves?: Record<string, number>;
  /** Reads (of `reads`) that answer one row, not a list (`first`). */
  single?: string[];
  /** Queries whose answer the database computes (`count`, `raw`): no row, whatever the table holds. */
  aggregates?: string[];
  /**
   * Reads (of `reads`) that answer a column's values rather than rows (`distinct("email")`): a variable holding them is
   * what its name says, where one holding rows is not (src/model/sources.ts).
   */
  values?: string[];
  /**
   * Members of a table's query chain whose arguments name the columns a read answers (`select`, `returning`, `first`):
   * a row read back carries those columns only. Needs `table`.
   */
  columns?: string[];
  label?: string;
}

export interface SinkRow {
  id: string;
  kind: ModelledSinkKind;
  call: string; // module#path
  /** Arguments whose data leaves; "all" for variadic loggers. */
  arguments: number[] | "all";
  /** Where the destination is read from, for network/queue/socket/third-party sinks. */
  destination?: DestinationRow;
  label?: string;
  /** Recipient slots of a messaging door (`{ argument: 0, path: [to], dataClass: email-address }`): RecipientSlot. */
  recipients?: RecipientRow[];
  /** Sender slots of a messaging door (`{ argument: 0, path: [from] }`): SenderSlot. */
  senders?: SenderRow[];
}

export interface SenderRow {
  argument: number;
  path: string[];
}

export interface RecipientRow {
  argument: number;
  path: string[];
  dataClass: string;
}

export interface DestinationRow {
  argument?: number;
  /** Property path inside that argument (`url`, `hostname`) or `baseURL` of the instance config. */
  property?: string[];
  /**
   * The host an SDK talks to when its instance configures no base URL of its own (`api.openai.com`) and no
   * `hostTemplate` applies; a configured base (`new OpenAI({ baseURL })`) wins.
   */
  host?: string;
  /**
   * A host built from the instance's configuration when it configures no base URL: `sqs.{region}.amazonaws.com`.
   * Each `{path}` is a property (dotted path) of the instance row's configuration argument. A list is tried in order:
   * the first template whose settings the configuration all sets decides; when none does, `host` if given, else the
   * destination is unresolved (the SDK reads the setting from the runtime environment).
   */
  hostTemplate?: string | string[];
  /**
   * Where the call takes the SDK client whose configuration decides the host, when the client is passed in rather
   * than being the receiver: `new Upload({ client: s3, params })` is `{ argument: 0, property: [client] }`.
   */
  client?: { argument: number; property?: string[] };
  /**
   * Service names the SDK turns into a host itself: nodemailer's `{ service: "gmail" }` is `smtp.gmail.com`. A known
   * name in the configuration's `setting` decides the host ahead of a configured base URL (the SDK lets the service
   * preset win); an unknown or non-constant one leaves the destination unresolved.
   */
  services?: { setting: string; hosts: Record<string, string> };
}

export interface SourceRow {
  id: string;
  dataClass: string;
  /** An access path (`express#Request.ip`) or a call (`express#Request.get`) with a header-name argument. */
  access: string;
  /** For header-style sources: the argument or key values that make the read restricted (lower-case). */
  keys?: string[];
  /** For a keyed call: the argument that names the key, 0 unless said (h3's `getHeader(event, name)` is 1). */
  keyArgument?: number;
  /** For a call: the fields of its result that hold the data (`[user, email]`), instead of the whole result. */
  fields?: string[];
  label?: string;
}

export interface SyntheticRow {
  /** A package (`chance#default`) or a path inside one; every member, call and result below it is generated. */
  path: string;
  label?: string;
}

export interface SanitizerRow {
  id: string;
  call: string;
  label?: string;
}

export interface InstanceRow {
  call: string;
  returns: string;
  /**
   * Argument holding the instance's configuration, and its base-URL property (`endpoint`, `baseURL`): absent, the
   * argument itself is the base (node:http options); `[]`, the configuration sets no base URL, only settings the
   * sinks' `destination.hostTemplate` reads (twilio's `{ edge, region }`).
   */
  config?: { argument: number; baseUrl?: string[]; connectionString?: boolean };
}

/**
 * A dependency-injection lookup (`@angular/core#inject`, a container's `get`): the call returns an instance of the class
 * (or token) its `argument` names, so `inject(HttpClient).post(…)` is `HttpClient`'s `post`.
 */
export interface LookupRow {
  call: string;
  argument: number;
}

export interface PropagatorRow {
  call: string;
  from: string; // grammar of PropagateRow in src/vocabulary/question.ts: "arg:0", "args", "receiver", "arg:0.body"
  to: string; // "return", "receiver", "arg:1", "return.data"
  /** The value moves field by field instead of joined flat (class-transformer's `plainToInstance`). */
  keepFields?: boolean;
  /** The first argument naming the fields the result keeps (lodash's `pick(object, names)`: 1); implies keepFields. */
  pick?: number;
  /** The first argument naming the fields the result drops (lodash's `omit(object, names)`: 1); implies keepFields. */
  omit?: number;
  /**
   * The argument holding a template (`Mustache.render(template, view)`: 0): the result holds only the fields of `from`
   * the template's tags name, when the code spells the template; else all of `from`.
   */
  template?: number;
  /**
   * The argument spelling a path into `from` (lodash's `get(object, path)`: 1): the result is the value at that path,
   * field by field; below the first key the code does not spell, the value under the spelled prefix, joined flat.
   */
  at?: number;
}

/**
 * `path` names the same value as `as`: a declared type (`axios#AxiosInstance`), a decorator's result
 * (`@nestjs/common#Req()`) or a derived instance (`pino#default().child()`) that behaves like the instance it names.
 */
export interface AliasRow {
  path: string;
  as: string;
}

/**
 * Functions passed to `call` (or declared with `call` as their type) get these values as parameters:
 * `express#default().get` hands its handlers `express#Request` and `express#Response`. A last member `*` matches any.
 */
export interface CallbackRow {
  call: string;
  parameters: string[];
  /**
   * Declared types that do not override the row: a callback parameter annotated with one of these is still the row's
   * value (ws's `WebSocket` names both a socket the code opened and one a server accepted: `wss.on("connection",
   * (socket: WebSocket) => …)` gets an accepted one).
   */
  declared?: string[];
}

/**
 * A callback passed to `call` gets, as its parameter `parameter`, the datum an option of the call names: passport-local's
 * `new Strategy({ usernameField: "email" }, (email, password, done) => …)` hands the verify callback what the login form
 * posts at `email`. The option is the constant string at `option` of the call's argument `argument` (an object; 0 unless
 * said), else `default`; the parameter is classified by that name, as if it were called so. With `shift`, an option that,
 * `true`, makes the library pass the request first (`passReqToCallback`), the parameter is one later.
 */
export interface NamedParameterRow {
  call: string;
  parameter: number;
  option: string;
  argument?: number;
  default?: string;
  shift?: string;
}

/**
 * One validation library's validators, by the data class they prove a value to be: a property decorated with one
 * (class-validator `@IsEmail()`) or a schema field built with one (zod `z.string().email()`) holds that class. A
 * validator is named by the last member of its call's provenance inside `package` (`IsEmail`, `email`).
 */
export interface ValidatorRow {
  package: string;
  /** Data class id → validator names (`email-address: [IsEmail]`). */
  classes: Record<string, string[]>;
  /**
   * Schema methods that return the validated value, by where the value sits in their result: zod `parse: []`,
   * `safeParse: [data]`. The result carries the classes of the schema's fields at those paths.
   */
  parsed?: Record<string, string[]>;
}
