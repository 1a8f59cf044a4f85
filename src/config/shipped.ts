/**
 * Per-process memos of what ships with flowgate in rules/ (schemas, packs, models, rule metadata). Those files do not
 * change while the process runs, and the cached values are frozen (or, for compiled validators, keep no state that
 * outlives a synchronous call), so every scan in one process — update review runs two or three — shares one parse and
 * one schema compilation. This is the only module-level state flowgate keeps: constants computed on first use.
 */
export function once<T>(compute: () => T): () => T {
  let done = false;
  let value: T;
  return () => {
    if (!done) {
      value = compute();
      done = true;
    }
    return value;
  };
}

/** `compute` per name, each computed on first use (see {@link once}). */
export function oncePerName<T>(compute: (name: string) => T): (name: string) => T {
  const values = new Map<string, T>();
  return (name) => {
    if (!values.has(name)) values.set(name, compute(name));
    return values.get(name) as T;
  };
}

/** Freezes a plain data value (objects and arrays, all the way down) so a shared copy cannot be changed by one scan. */
export function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
