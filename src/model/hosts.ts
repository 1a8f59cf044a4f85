/** Vetted host patterns: exact host, `*.suffix` (any subdomain, not the apex), optional `:port`. */
export type HostMatcher = (host: string) => boolean;

/** (Skeleton: lands with issue #4.) */
export function compileHostPatterns(_patterns: string[]): HostMatcher {
  return () => false;
}

/** Why a pattern is invalid, or undefined when it is fine (the config stage reports it with file:line:column). */
export function hostPatternError(_pattern: string): string | undefined {
  return undefined;
}
