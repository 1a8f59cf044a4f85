/** Decisions about the terminal, from the streams and the environment (passed in: tests vary them). */

/** Colour only for a terminal, and never when --no-color or NO_COLOR (https://no-color.org: any non-empty value). */
export function wantsColor(colorOption: boolean, toStdout: boolean, stdout: NodeJS.WriteStream, env: NodeJS.ProcessEnv): boolean {
  const noColor = env.NO_COLOR !== undefined && env.NO_COLOR !== "";
  return colorOption && !noColor && toStdout && Boolean(stdout.isTTY);
}

/** The progress line belongs on an interactive terminal only: never in CI logs, pipes, or with --quiet. */
export function wantsProgress(stderr: NodeJS.WriteStream, quiet: boolean, env: NodeJS.ProcessEnv): boolean {
  return Boolean(stderr.isTTY) && !quiet && !isCi(env);
}

/** CI services set CI (GitHub Actions, GitLab, Azure Pipelines as TF_BUILD, Jenkins as BUILD_ID…); CI=false opts out. */
function isCi(env: NodeJS.ProcessEnv): boolean {
  if (env.CI !== undefined) return env.CI !== "" && env.CI !== "false" && env.CI !== "0";
  return env.TF_BUILD !== undefined || env.BUILD_ID !== undefined || env.GITHUB_ACTIONS !== undefined;
}
