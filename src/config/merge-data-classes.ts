import type { DataClassSpec } from "./policy.js";

/**
 * Merges data class lists in order (packs first, then the user's): a repeated id extends the earlier class with the
 * union of its names, types and tags (a later description or sensitivity replaces an earlier one, a later paired name's
 * partners the earlier ones); a new id is appended.
 */
export function mergeDataClasses(...lists: DataClassSpec[][]): DataClassSpec[] {
  const byId = new Map<string, DataClassSpec>();
  for (const list of lists) {
    for (const spec of list) {
      const earlier = byId.get(spec.id);
      if (!earlier) {
        byId.set(spec.id, { ...spec, names: unique(spec.names), types: unique(spec.types), tags: unique(spec.tags) });
        continue;
      }
      byId.set(spec.id, {
        ...earlier,
        ...(spec.description !== undefined ? { description: spec.description } : {}),
        ...(spec.sensitivity !== undefined ? { sensitivity: spec.sensitivity } : {}),
        ...(earlier.pairedNames !== undefined || spec.pairedNames !== undefined ? { pairedNames: { ...earlier.pairedNames, ...spec.pairedNames } } : {}),
        ...(earlier.siblingNames !== undefined || spec.siblingNames !== undefined ? { siblingNames: { ...earlier.siblingNames, ...spec.siblingNames } } : {}),
        names: unique([...earlier.names, ...spec.names]),
        types: unique([...earlier.types, ...spec.types]),
        tags: unique([...earlier.tags, ...spec.tags]),
      });
    }
  }
  return [...byId.values()];
}

function unique(values: string[]): string[] {
  return [...new Set(values)];
}
