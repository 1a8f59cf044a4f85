/**
 * A value computed on first use, once: its result — or the exception it threw — is kept. A whole-program pass that
 * failed is never redone at every read that wants it (each retry would cost the whole pass again and report the same
 * bug once more); every later call rethrows the first failure.
 */
export function lazy<T>(compute: () => T): () => T {
  let state: { done: false } | { done: true; value: T } | { done: true; failed: unknown } = { done: false };
  return () => {
    if (!state.done) {
      try {
        state = { done: true, value: compute() };
      } catch (error) {
        state = { done: true, failed: error };
      }
    }
    if ("failed" in state) throw state.failed;
    return state.value;
  };
}
