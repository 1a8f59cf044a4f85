/**
 * A map some of whose values are built when first read. A cached analysis takes over every store's value and every
 * writer's part from the entry (src/cache/state-codec.ts), and building a value finds its syntax nodes, which parses
 * their files; a run uses the values of the few stores its redone code reads or writes (a one-line review of jackson
 * read 33 of its 73 parsed trees only to build values nothing read). So a value waits as its builder until something
 * reads it: `get`, or iterating values or entries (which builds them all). Keys, `has`, `size` and `delete` build
 * nothing, and {@link copyEntry} hands a waiting value to another map unbuilt.
 */
export class LazyMap<K, V> extends Map<K, V> {
  private readonly waiting = new Map<K, () => V>();

  /** `key`'s value, built by `build` when first read. */
  setLazy(key: K, build: () => V): this {
    super.set(key, undefined as V);
    this.waiting.set(key, build);
    return this;
  }

  /** Whether `key`'s value waits to be built (not read yet). */
  waits(key: K): boolean {
    return this.waiting.has(key);
  }

  override get(key: K): V | undefined {
    // the engine's stores are read and written at every field access: nothing more than a plain map's lookup once
    // nothing waits (a full scan's stores never do)
    if (this.waiting.size > 0) {
      const build = this.waiting.get(key);
      if (build !== undefined) {
        this.waiting.delete(key);
        super.set(key, build());
      }
    }
    return super.get(key);
  }

  override set(key: K, value: V): this {
    if (this.waiting.size > 0) this.waiting.delete(key);
    return super.set(key, value);
  }

  override delete(key: K): boolean {
    this.waiting.delete(key);
    return super.delete(key);
  }

  override clear(): void {
    this.waiting.clear();
    super.clear();
  }

  /**
   * `key`'s value into `target` under `targetKey` as it is here: a waiting value waits there too, built once by
   * whichever map reads it first.
   */
  copyTo<T>(key: K, target: LazyMap<T, V>, targetKey: T): void {
    const build = this.waiting.get(key);
    if (build === undefined) {
      if (super.has(key)) target.set(targetKey, super.get(key) as V);
      return;
    }
    let built: { value: V } | undefined;
    const once = () => (built ??= { value: build() }).value;
    this.waiting.set(key, once);
    target.setLazy(targetKey, once);
  }

  override forEach(callback: (value: V, key: K, map: Map<K, V>) => void, thisArg?: unknown): void {
    this.buildAll();
    super.forEach(callback, thisArg);
  }

  override entries(): MapIterator<[K, V]> {
    this.buildAll();
    return super.entries();
  }

  override values(): MapIterator<V> {
    this.buildAll();
    return super.values();
  }

  override [Symbol.iterator](): MapIterator<[K, V]> {
    return this.entries();
  }

  private buildAll(): void {
    for (const key of [...this.waiting.keys()]) this.get(key);
  }
}

/** `from`'s value of `key` into `to` under `toKey`, unbuilt if it waits in `from`. */
export function copyEntry<K, T, V>(from: ReadonlyMap<K, V>, key: K, to: LazyMap<T, V>, toKey: T): void {
  if (from instanceof LazyMap) (from as LazyMap<K, V>).copyTo(key, to, toKey);
  else if (from.has(key)) to.set(toKey, from.get(key) as V);
}

/** Whether `key` is in `map` with the value undefined (a writer's part an entry could not give back), building nothing. */
export function heldUndefined<K, V>(map: ReadonlyMap<K, V | undefined>, key: K): boolean {
  if (map instanceof LazyMap && (map as LazyMap<K, V | undefined>).waits(key)) return false;
  return map.has(key) && map.get(key) === undefined;
}
