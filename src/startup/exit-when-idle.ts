/**
 * Ends this process as soon as it has nothing left to do, with the exit code it set, instead of letting Node end it.
 * Node's own end, once the event loop is empty, frees the whole V8 heap object by object before the process exits:
 * after a cached one-line review (a heap of ~150 MB) that took 190–300 ms of wall time at load 9–10 before the
 * launcher saw the exit, against 75–180 ms when `process.exit` is called at that point (docs/performance.md, "Session
 * 46 — helper R"); a full scan's heap is larger. `beforeExit` is emitted only when nothing is pending — no write, no
 * child process, no timer — so nothing a natural end would still have waited for is cut short; it is not emitted on
 * an explicit `process.exit` or a fatal exception, which end the process as before. `exit` listeners still run.
 */
export function exitWhenIdle(): void {
  process.once("beforeExit", () => process.exit());
}
