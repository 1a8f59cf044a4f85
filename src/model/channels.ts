import { ts } from "ts-morph";
import { isAwaitExpression, isCallExpression, isIdentifier, isPropertyAccessExpression } from "../compiler-direct.js";
import type { ChannelRow } from "../config/policy.js";
import type { ChannelUse } from "../vocabulary/question.js";
import { skipOuterExpressions } from "../workspace/symbols.js";
import { defaultLabel, normalizeCallKey, RowsByLastMember } from "./call-path.js";
import { constantText, declarationOf } from "./constant-text.js";

/**
 * Channels inside the gateway (`channels` rows): a queue's `add(data)` and its `process((job) => …)`, an emitter's
 * `emit(name, payload)` and its `on(name, (payload) => …)`. What a publish puts on a channel is what the subscribers'
 * callbacks receive, so a worker's `job.data` carries what the producers enqueued.
 *
 * A channel is the object both sides call, named by its identity as the code spells it: the declaration of the
 * variable or property the receiver is (`mailQueue`, `this.eventEmitter`), or of the accessor that returns it
 * (`globalEventQueue()`), so a producer and a worker in different files that reach the queue through the same
 * accessor meet. A receiver with no such identity (a `new Queue(…)` used inline, an element of an array) belongs to
 * no channel: nothing is connected rather than everything. With a `topic` argument, a constant there (a string, or a
 * `const` initialised with one) narrows the channel to that topic; a topic computed at run time meets all of them.
 */
export interface ChannelUses {
  /** Whether some row publishes or subscribes with a member of this name: a syntactic filter before provenance. */
  hasMember(name: string): boolean;
  channelAt(call: ts.CallExpression | ts.NewExpression, calleeKey: string): ChannelUse | undefined;
}

interface Member {
  label: string;
  row: ChannelRow;
  publish?: readonly number[];
  subscribe?: ChannelRow["subscribe"][string];
}

export function createChannelUses(rows: readonly ChannelRow[], checker: () => ts.TypeChecker): ChannelUses {
  // last member → the channel paths it publishes or subscribes under
  const byMember = new RowsByLastMember<Member>();
  const add = (member: string, path: string, use: Member) => byMember.add(member, path, use);
  for (const row of rows) {
    const path = normalizeCallKey(row.path);
    const label = row.label ?? defaultLabel(row.path);
    for (const [member, data] of Object.entries(row.publish)) add(member, path, { label, row, publish: data });
    for (const [member, subscription] of Object.entries(row.subscribe)) add(member, path, { label, row, subscribe: subscription });
  }

  function channelAt(call: ts.CallExpression | ts.NewExpression, calleeKey: string): ChannelUse | undefined {
    if (byMember.size === 0 || !isCallExpression(call)) return undefined;
    // `bull#add` under `bull#`, `node:events#EventEmitter.on` under `node:events#EventEmitter`
    const member = byMember.at(calleeKey, true);
    if (member === undefined) return undefined;
    const callee = skipOuterExpressions(call.expression);
    if (!isPropertyAccessExpression(callee)) return undefined;
    const channel = identityOf(callee.expression, 0);
    if (channel === undefined) return undefined;
    const topicArgument = member.row.topic !== undefined ? call.arguments[member.row.topic] : undefined;
    const topic = topicArgument !== undefined ? constantText(topicArgument, checker()) : undefined;
    const use: ChannelUse = { label: member.label, channel, ...(topic !== undefined ? { topic } : {}) };
    if (member.publish) return { ...use, publish: member.publish };
    const subscription = member.subscribe!;
    const callback = subscription.callback === "last" ? call.arguments.length - 1 : subscription.callback;
    if (callback < 0 || callback >= call.arguments.length) return undefined;
    return {
      ...use,
      subscribe: { callback, ...(subscription.parameter !== undefined ? { parameter: subscription.parameter } : {}), at: subscription.at ?? [] },
    };
  }

  /** The declaration the receiver names (`file:position`), through accessor calls without arguments; else undefined. */
  function identityOf(expression: ts.Expression, depth: number): string | undefined {
    const node = skipAwait(skipOuterExpressions(expression));
    if (isCallExpression(node)) {
      // `globalEventQueue()`, `this.queues.mail()`: an accessor returns the same object at every call
      if (node.arguments.length > 0 || depth > 4) return undefined;
      const inner = identityOf(node.expression, depth + 1);
      return inner !== undefined ? `${inner}()` : undefined;
    }
    const name = isIdentifier(node) ? node : isPropertyAccessExpression(node) ? node.name : undefined;
    if (name === undefined) return undefined;
    const declaration = declarationOf(name, checker());
    if (declaration === undefined) return undefined;
    return `${declaration.getSourceFile().fileName}:${declaration.pos}`;
  }

  return { channelAt, hasMember: (name) => byMember.has(name) };
}

function skipAwait(node: ts.Expression): ts.Expression {
  return isAwaitExpression(node) ? skipOuterExpressions(node.expression) : node;
}
