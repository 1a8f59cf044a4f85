import type { EgressPoint } from "../vocabulary/flow.js";
import { compareLocations } from "../location.js";
import type { ReviewDraft } from "./review-findings.js";

// Further places of the same new destination are listed as related locations, up to this many.
const MAX_RELATED = 20;

/**
 * Egress destinations the head has and the base inventory does not, as new-egress-destination drafts (note level):
 * a host not contacted before (per sink kind), or — for sinks without a resolvable host — a sink call (by provenance)
 * the base never makes. A new `console.log` next to existing ones is not a new door; the first `pino` logger is.
 * Vetted egress is left out: the trusted policy has approved it. One draft per destination, at its first place.
 */
export function newDestinations(head: EgressPoint[], base: EgressPoint[]): ReviewDraft[] {
  const before = new Set(base.map(destinationKey));
  const fresh = new Map<string, EgressPoint[]>();
  for (const point of [...head].sort((a, b) => compareLocations(a.location, b.location))) {
    if (point.vetted) continue;
    const key = destinationKey(point);
    if (before.has(key)) continue;
    fresh.set(key, [...(fresh.get(key) ?? []), point]);
  }
  return [...fresh].map(([key, [first, ...others]]): ReviewDraft => {
    const point = first as EgressPoint;
    return {
      ruleId: "new-egress-destination",
      message: `${describe(point)}${point.dataClasses.length > 0 ? `; restricted data reaching it: ${point.dataClasses.join(", ")}` : ""}.`,
      location: point.location,
      relatedLocations: others.slice(0, MAX_RELATED).map((o) => ({ location: o.location, message: `Also ${o.label} to the same destination.` })),
      identity: [key],
    };
  });
}

/**
 * What makes two egress points the same destination: the host, for a resolved one; otherwise the client the call is
 * made on — module and root of the call path (`global#console` for `console.log` and `console.info`, `pino#default()`
 * for a pino logger's methods) — so a second method of a client already in use is not a new door.
 */
export function destinationKey(point: EgressPoint): string {
  const d = point.destination;
  if (d.status === "resolved") return JSON.stringify([point.kind, "host", d.host]);
  const hash = point.callee.indexOf("#");
  const client = hash < 0 ? point.callee : point.callee.slice(0, hash + 1) + (point.callee.slice(hash + 1).split(".")[0] ?? "");
  return JSON.stringify([point.kind, d.status, client]);
}

function describe(point: EgressPoint): string {
  const d = point.destination;
  switch (d.status) {
    case "resolved":
      return `New egress destination: \`${point.label}\` sends to ${d.host} (${point.kind}), which the base revision never contacts`;
    case "unresolved":
      return `New egress point: \`${point.label}\` (${point.kind}), whose destination cannot be resolved (${d.reason.replace(/\.$/, "")}); the base revision has no such call`;
    case "none":
      return `New egress point: \`${point.label}\` (${point.kind}); the base revision has no such call`;
    case "same-origin":
      return `New egress point: \`${point.label}\` (${point.kind}) to the same origin (${d.path}); the base revision has no such call`;
  }
}
