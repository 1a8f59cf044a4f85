import type { ts } from "ts-morph";
import type { ChannelUse, TableColumn } from "../../vocabulary/question.js";
import { ELEMENTS, EMPTY, hasTaint, joinAll, joinValues, makeValue, filterFacts, readField, readPath, withoutFields, writePath, type Value } from "../value.js";
import { SinkRecorder } from "./sinks.js";

/** Store keys of channels: `c:<channel>|<topic>`, `|*` for messages of a computed topic, `|**` for every message. */
const CHANNEL = "c:";
const ANY_TOPIC = "*";
const EVERY_MESSAGE = "**";

/**
 * Channels inside the gateway (a queue, an event emitter; src/model/channels.ts): what a publish puts on a channel
 * comes back to the callbacks of its subscribers. A channel is a flow-insensitive store, like a module binding: every
 * publish joins into it, every subscriber's callback receives the join (and is analysed again when it grows). A
 * publish of data the function was handed (`enqueue(event) { queue.add(event) }`) is an effect of its summary: each
 * call site puts its own data on the channel.
 */
export abstract class ChannelRecorder extends SinkRecorder {
  /** BuiltinSite's invoke (calls.ts): runs a callback value, a function or one the caller supplies, with `args`. */
  abstract invoke(callback: Value, args: Value[], node?: ts.Node): Value;

  /** A publish or a subscription at this call; for a subscription, the callback argument that has run. */
  protected channelCall(use: ChannelUse, call: ts.CallExpression | ts.NewExpression, args: Value[], argExprs: readonly ts.Expression[]): number | undefined {
    const base = `${CHANNEL}${use.channel}|`;
    const name = use.topic !== undefined ? `\`${use.topic}\` on ` : "";
    if (use.publish) {
      // queue.add(data): the message joins the channel's store, under its topic and under every message
      const parts = use.publish.map((i) => (argExprs[i] ? this.stepped(args[i] ?? EMPTY, argExprs[i]!, `put on ${name}${use.label}`) : EMPTY));
      const message = joinAll(parts);
      for (const key of [base + (use.topic ?? ANY_TOPIC), base + EVERY_MESSAGE]) this.publishAt(key, message);
      return undefined;
    }
    const subscription = use.subscribe!;
    // queue.process((job) => …): the callback receives what every publish on the channel (and topic) put there
    const keys = use.topic !== undefined ? [base + use.topic, base + ANY_TOPIC] : [base + EVERY_MESSAGE];
    let message = EMPTY;
    for (const key of keys) message = joinValues(message, this.ctx.readStore(key, this.rec));
    message = this.stepped(message, call, `received from ${name}${use.label}`);
    const callback = args[subscription.callback] ?? EMPTY;
    const received = subscription.at.length > 0 ? writePath(EMPTY, [...subscription.at], message, false, this.fieldDepth) : message;
    const count = Math.max(1, ...(callback.fns ?? []).map((fn) => (fn.node as ts.FunctionLikeDeclaration).parameters.length));
    const parameters = Array.from({ length: count }, (_, i) => (subscription.parameter === undefined || subscription.parameter === i ? received : EMPTY));
    this.invoke(callback, parameters, call);
    return subscription.callback;
  }

  /**
   * A query of a table the model names (`db("events")`): a save joins the rows it writes into the table's store, column
   * by column; a read returns what every save put there — the columns written with restricted data hold it, the
   * others nothing — as the list of rows (`rows.map((row) => row.ip)`), or one row for a read the model says answers one
   * (`first()`).
   */
  protected tableCall(
    table: string,
    access: { saves?: number; single?: boolean; columns?: readonly TableColumn[] },
    args: Value[],
    argExprs: readonly ts.Expression[],
    call: ts.Node,
  ): Value {
    const saves = access.saves;
    const key = `${CHANNEL}table:${table}`;
    if (saves !== undefined) {
      const written = args[saves] ?? EMPTY;
      const argument = argExprs[saves];
      // insert(rows) or insert(row): the rows are the list's elements
      const rows = written.fields?.has(ELEMENTS) ? joinValues(withoutFields(written, [ELEMENTS]), readField(written, ELEMENTS, this.fieldDepth)) : written;
      if (argument) this.publishAt(key, this.stepped(rows, argument, `saved in table \`${table}\``));
      return EMPTY;
    }
    const stored = this.ctx.readStore(key, this.rec);
    // a read that names its columns (`select("id", "project")`, `returning(COLUMNS)`) answers those, under their names
    const picked = access.columns === undefined ? stored : makeValue(undefined, new Map(access.columns.map((c) => [c.name, c.from.length > 0 ? readPath(stored, c.from, this.fieldDepth) : EMPTY])));
    const row = this.stepped(picked, call, `read back from table \`${table}\``);
    if (!hasTaint(row)) return EMPTY;
    return access.single ? row : makeValue(undefined, new Map([[ELEMENTS, row]]));
  }

  /**
   * Joins a message into a channel: its concrete data into the store; the data the function was handed into its
   * summary's effects under the channel's key, put there by each call site with its own data (calls.ts).
   */
  protected publishAt(key: string, message: Value): void {
    const concrete = this.concreteOnly(message);
    if (hasTaint(concrete)) this.ctx.writeStore(key, concrete, this.rec);
    const symbolic = filterFacts(message, (f) => f.kind === "symbol");
    if (hasTaint(symbolic)) this.storeEffects.set(key, joinValues(this.storeEffects.get(key) ?? EMPTY, symbolic));
  }
}

export function isChannelKey(key: string): boolean {
  return key.startsWith(CHANNEL);
}

