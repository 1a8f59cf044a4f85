import type { LibraryModel } from "../config/policy.js";

/** How many lists of models a process keeps what it worked out from: a test run's scans use a few policies in turn. */
const KEPT_LISTS = 4;

/**
 * What is worked out from a policy's library models alone (the index of their rows, the packages they cover, their
 * text in the cache key), once per list of models. A policy's models are the shipped models its packs name, each
 * loaded once per process (config/shipped.ts) and, in a process from the startup snapshot, loaded when the snapshot was
 * made; the snapshot's warm-up scan (startup/warm-up-scan.ts) extends `recommended` and adds no sinks, as most policies
 * do, so what it worked out from them is in the snapshot, and a run whose policy names the same models (the same
 * objects, in the same order) takes it: 16–28 ms of a cached one-line review's sampled CPU for the index, 8–18 ms for
 * the packages, in every run (docs/performance.md, session 49 — helper R). A list with the user's own `sinks:` (a model
 * of its own, made per load) is another list. What `compute` returns is shared by every run given the same list: it
 * must not be changed.
 */
export function perModels<T>(compute: (models: readonly LibraryModel[]) => T): (models: readonly LibraryModel[]) => T {
  const kept: { models: readonly LibraryModel[]; value: T }[] = [];
  return (models) => {
    const at = kept.findIndex((entry) => sameModels(entry.models, models));
    if (at >= 0) return kept[at]!.value;
    const value = compute(models);
    kept.unshift({ models: [...models], value });
    if (kept.length > KEPT_LISTS) kept.pop();
    return value;
  };
}

function sameModels(a: readonly LibraryModel[], b: readonly LibraryModel[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
