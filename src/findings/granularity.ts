/**
 * How many flows make one finding. "door" (default): one finding per sink argument × rule, naming every source and
 * data class that reaches it — the place a reviewer must fix. "flow": one per source × sink argument × data class.
 * (Its own file, free of imports, so the CLI can list the choices without loading the pipeline.)
 */
export type Granularity = "door" | "flow";
export const GRANULARITIES: readonly Granularity[] = ["door", "flow"];

/** Reports show the paths of a door's shortest flows up to this many (the message says how many there are). */
export const MAX_PATHS_SHOWN = 10;
