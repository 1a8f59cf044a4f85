import type { ts } from "ts-morph";
import type { SinkKind } from "./sink-kind.js";

/**
 * The engine's questions, and nothing else: the model stage answers them from the compiled policy.
 * Keeping this small is what keeps the engine apart from YAML, the CLI and SARIF (CodeQL's isSource/isSink/isBarrier).
 */
export interface Question {
  /** Restricted data a read of this node yields: an identifier, property access, element access, binding or parameter. */
  sourcesAt(node: ts.Node): readonly SourceHit[];
  /**
   * The restricted members a model gives the value of this expression, as paths inside it (a request's forwarding
   * headers, its peer address): what a function that does not declare its parameter reads off the value it is handed.
   */
  membersOf?(expression: ts.Expression): readonly SourceHit[];
  /** What a call does, decided by where the callee comes from (provenance), never by its bare name. */
  callAt(call: ts.CallExpression | ts.NewExpression): CallModel;
  /**
   * Whether this call puts a message on a channel inside the gateway (a queue, an event emitter) or hands a callback
   * what was put there: asked of every call, answered apart from `callAt` (a queue's `add` is also a queue door).
   */
  channelAt?(call: ts.CallExpression | ts.NewExpression): ChannelUse | undefined;
  /**
   * Whether `receiver.member` is a member the project adds to a framework's request object (`req.audit` on an
   * `IAuthRequest extends Request`): what a middleware stores there is what later handlers read.
   */
  requestMemberAt?(receiver: ts.Expression, member: string): RequestMember | undefined;
  /**
   * The project classes that extend this class directly (class-hierarchy dispatch's view of the project: a call through
   * the class runs their bodies), test doubles left out where there are others. Absent: none are known.
   */
  subclassesOf?(cls: ts.ClassLikeDeclaration): readonly ts.ClassLikeDeclaration[];
  /** Whether the body of this function is a vetted door (`vetted.calls`) for every data class: egress inside it is not reported. */
  isVettedDeclaration(declaration: ts.Node): boolean;
  /**
   * The door this function's body belongs to when the door is vetted only for some data classes
   * (`{ call, classes }` in `vetted.calls`): egress inside it is reported for the other classes only.
   */
  restrictedDoorAt?(declaration: ts.Node): RestrictedDoor | undefined;
  /** Whether a resolved host (`api.partner.example`, optionally `:port`) is vetted for every data class. */
  isVettedHost(host: string): boolean;
  /** The data classes a host is vetted for when it is vetted only for some (`{ host, classes }`); else undefined. */
  hostVettedOnlyFor?(host: string): readonly string[] | undefined;
}

/**
 * One use of a channel: `channel` names the channel object by its identity (the variable, property or accessor the
 * receiver is), `topic` the constant topic when the row has one (`emit("user-created", …)`); either side without a
 * constant topic meets every topic of that channel.
 */
export interface ChannelUse {
  label: string;
  channel: string;
  topic?: string;
  /** A publish: the arguments the message is made of. */
  publish?: readonly number[];
  /** A subscription: the callback argument, the parameter that receives the message (all when absent), and where. */
  subscribe?: { callback: number; parameter?: number; at: readonly string[] };
}

/** A member the project adds to a framework's request type: named the same wherever the request is declared. */
export interface RequestMember {
  /** The framework's request type and the member (`express#Request.audit`). */
  key: string;
  /** How paths name the request type (`express.Request`). */
  label: string;
}

/** A vetted door (`vetted.calls`) for the listed data classes only: the others leave through it as if it were not vetted. */
export interface RestrictedDoor {
  /** How findings name it: the call reference's path (`EnclaveClient.send`). */
  label: string;
  classes: readonly string[];
}

export interface SourceHit {
  dataClass: string;
  /** Why, in a reviewer's words: "`msisdn` matched data class phone-number by name token", "express `req.ip`". */
  reason: string;
  /**
   * Where inside the value the data sits, when not the value itself: a parameter `user: User` whose declared type has a
   * restricted field `phone` is the hit `{ dataClass: "phone-number", path: ["phone"] }`, so passing `user` leaks and
   * passing `user.name` does not. Absent = the whole value (and everything below it).
   */
  path?: readonly string[];
}

export interface SinkHit {
  id: string;
  kind: SinkKind;
  /** Human label of the call: `axios.post`, `console.log`. */
  label: string;
  /** Provenance path of the callee: `axios#default.post`. */
  callee: string;
  /** Arguments whose data leaves; "all" for variadic loggers. */
  arguments: number[] | "all";
  destination?: DestinationSpec;
  /** For `unmodelled-library` sinks: the npm package the call goes into (`nodemailer`). */
  package?: string;
  /** When the call itself is a restricted vetted door (an external `{ call, classes }`): the classes it may take. */
  door?: RestrictedDoor;
  /** Where the call takes a message's recipients (an e-mail's `to`, an SMS's `to`): see {@link RecipientSlot}. */
  recipients?: readonly RecipientSlot[];
  /** Where the call takes the message's sender: see {@link SenderSlot}. */
  senders?: readonly SenderSlot[];
}

/**
 * A recipient slot of a messaging door: whatever a message is sent to there is an address of the slot's data class (an
 * e-mail send's `to`/`cc`/`bcc` holds e-mail addresses, an SMS send's `to` a phone number), whatever it is called where
 * the code builds it. Defined by the library model, never guessed from a name.
 */
export interface RecipientSlot {
  /** The sink argument that holds the message. */
  argument: number;
  /** The field path inside it (`[to]`, `[Destination, ToAddresses]`). */
  path: readonly string[];
  dataClass: string;
}

/**
 * The sender slot of a messaging door (an e-mail's `from`, an SMS's `from`): a provider sends only from the account's
 * verified domains and numbers, so the address there is the operator's mailbox or number whatever row or parameter it
 * was read from, and what the slot holds (its display name too) does not leave as a person's data. A `replyTo` is any
 * address and is no sender slot. Defined by the library model.
 */
export interface SenderSlot {
  /** The sink argument that holds the message. */
  argument: number;
  /** The field path inside it (`[from]`, `[Source]`). */
  path: readonly string[];
}

/** How to find a sink's destination at one call site. */
export interface DestinationSpec {
  /** Argument that holds the URL/host (or an options object), and a property path inside it. */
  argument?: number;
  property?: string[];
  /** Base URLs the instance was configured with (`axios.create({ baseURL })`), as expressions to evaluate. */
  base?: ts.Expression[];
  /** A vendor SDK's default host, used when the instance configures no base URL (`base` wins) and no template applies. */
  host?: string;
  /** Hosts built from the instance's configuration (`sqs.{region}.amazonaws.com`), used when `base` is empty. */
  hostTemplate?: HostTemplate;
}

/** `sqs.{region}.amazonaws.com` and the configuration of the instance whose settings fill it. */
export interface HostTemplate {
  /**
   * Host names with `{path}` placeholders naming settings (dotted property paths) of the configuration; the first
   * whose settings are all set decides, else the spec's `host` (if any).
   */
  templates: readonly string[];
  /**
   * A setting whose well-known values name a host (`service: "gmail"` → `smtp.gmail.com`), keys normalised by
   * {@link serviceKey}; a known value wins over a configured base URL.
   */
  services?: { setting: readonly string[]; hosts: ReadonlyMap<string, string> };
  /** How the instance was built; undefined when its construction is not visible here (injected, typed, a parameter). */
  configuration?: InstanceConfiguration;
}

/** The configuration an instance was built with (`new SQSClient({ region, endpoint })`). */
export interface InstanceConfiguration {
  /** The configuration argument; undefined when the instance was built without one (`new SQSClient()`). */
  argument?: ts.Expression;
  /** The setting that configures a base URL and so overrides any template (`[endpoint]`). */
  baseUrl?: readonly string[];
  /**
   * The argument is a `Key=Value;…` connection string (Azure's `Endpoint=sb://…;SharedAccessKey=…`), whose keys are
   * the settings; a string without `=` is the endpoint itself (a fully qualified namespace, an account URL).
   */
  connectionString?: boolean;
}

/** How a service name is compared: case, spaces and punctuation other than `.` and `-` do not count (`Google Mail`). */
export function serviceKey(name: string): string {
  return name.replace(/[^A-Za-z0-9.-]/g, "").toLowerCase();
}

/** A column a read of a table answers (src/model/table-columns.ts). */
export interface TableColumn {
  /** The name the column has in the answer (`"id as eventId"`: `eventId`). */
  name: string;
  /**
   * Where its value comes from in the stored row: the column, then the members of a JSON path into it
   * (`data->>'project'`: `["data", "project"]`); empty for a value the database computes (a count, a cast to a number).
   */
  from: readonly string[];
}

export type CallModel =
  | { kind: "sink"; sink: SinkHit }
  | { kind: "sanitizer"; label: string }
  /** A synthetic-data generator (`faker.phone.number()`): its result is generated, never a real person's. */
  | { kind: "synthetic"; label: string }
  | { kind: "vetted"; label: string }
  /**
   * A read of the gateway's own store (`prisma.user.findUnique({ where: { email } })`): its result is the database's
   * answer, which carries none of the query's arguments.
   */
  | {
      kind: "query";
      label: string;
      /** A write: its answer carries the data written at this argument (and none of the others). */
      echoes?: number;
      /**
       * The table the query works on (`Knex:events`), when its name is a constant: what saves put into it is what reads
       * of it return.
       */
      table?: string;
      /** A save into `table`: the argument that holds the row or rows. */
      saves?: number;
      /** A read of `table` that answers one row (`first()`), not a list. */
      single?: boolean;
      /** A read that answers a column's values (`distinct("email")`), not rows: what holds them is what it is named. */
      values?: boolean;
      /** A read of `table` that answers these columns only (`select("id", "type")`); undefined: the whole row. */
      columns?: readonly TableColumn[];
      /**
       * A link of a table's query chain that is neither a read nor a save (`select`, `leftJoin`, `as`, `modify`): its
       * result is the query — its receiver and its arguments as they are (a joined subquery's rows keep their
       * columns) — not their flat join.
       */
      link?: boolean;
    }
  /**
   * A link of a library's builder chain (`actionClient.use(mw)`, `.action(handler)`): the result is the builder, with
   * what it carried and what the callbacks return; each callback receives an object whose `carries` members hold what
   * the builder carried, and nothing else.
   */
  | { kind: "builder"; label: string; carries: readonly string[] }
  /**
   * A web framework's app or router registering handlers (`app.use(mw)`, `.get(path, handler)`, `.route(path, sub)`,
   * `.onError(handler)`): the result is the app, with what it was given besides functions; a handler gets the request
   * from the framework, not the app's data, and what it returns answers the client, so nothing of it stays in the app.
   */
  | { kind: "router"; label: string }
  /** A call whose result is restricted data: whole, or at the fields each hit's path names (one hit per class and field). */
  | { kind: "source"; hits: readonly SourceHit[] }
  | { kind: "propagate"; label: string; rows: PropagateRow[] }
  /**
   * A call into a third-party package no model covers: its arguments are a door nobody vetted (`sink`, of kind
   * `unmodelled-library`), and, since what the package does is unknown, its result carries them like an unknown call.
   */
  | { kind: "unmodelled"; sink: SinkHit }
  /**
   * A schema's parse call (`Signup.parse(body)`): its result is what went in (argument 0), field by field, at `at`
   * (`safeParse`: `data`), plus the data classes its validators prove, at their fields (`hits[].path`).
   */
  | { kind: "validated"; hits: SourceHit[]; at: readonly string[] }
  | {
      kind: "project";
      declaration: ts.SignatureDeclaration;
      /**
       * Other bodies the call may run: overrides and implementations in project subclasses of the receiver's declared
       * type (`this.emit()` in a base class, `sender.send()` on an interface), ordered by file and position.
       */
      overrides?: readonly ts.SignatureDeclaration[];
      /**
       * The project class the receiver is known to be (an instance of it, or of a class below it when declared as it),
       * when that is a class below the one declaring `declaration` (`new MetricRunner(…).startAnalysis()` of a method
       * the base class declares): the engine then runs the inherited body as that class's (dataflow/receiver-dispatch.ts).
       */
      receiverClass?: ts.ClassLikeDeclaration;
      /** The callee is a vetted door for some data classes only; its result is clean, as any vetted door's. */
      door?: RestrictedDoor;
    }
  | { kind: "unknown"; label: string };

/**
 * One summary row of a modelled library call that moves data without leaving the process (`JSON.stringify`,
 * `querystring.stringify`, `lodash.pick`). Endpoints, as strings so rows can live in YAML:
 * - `from`: `receiver`, `arg:N` (argument N, 0-based), `args` (every argument), or either of the first two followed by a
 *   field path (`arg:0.body`);
 * - `to`: `return`, `receiver`, `arg:N`, optionally followed by a field path (`return.data`).
 * The whole value at `from` (all of its fields) flows into `to`. The engine knows built-in JavaScript (strings, arrays,
 * Map/Set, Promise, JSON, URL…) itself; rows are for libraries.
 */
export interface PropagateRow {
  from: string;
  to: string;
  /**
   * The value moves field by field (the result's field `f` is the input's field `f`), not joined into one flat value:
   * class-transformer's `plainToInstance(Cls, plain)` builds an instance from a plain object's own fields.
   */
  keepFields?: boolean;
  /**
   * The fields the call names, read from its arguments (lodash's `pick(license, ["dateExpires", "seats"])`): the result
   * holds only these paths (`only`) or every field but these (`except`), field by field. Absent when the row selects
   * nothing, or when a name is not a constant (then the value moves whole, field by field).
   */
  only?: readonly (readonly string[])[];
  except?: readonly (readonly string[])[];
  /**
   * The path the call spells into the `from` value (lodash's `get(account, ["data", "policies", policy])`): the result is
   * the value there. `keepFields` says every key was spelled; without it the last spelled key's value is taken whole.
   */
  at?: readonly string[];
}
