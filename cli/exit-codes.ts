/**
 * The CLI's exit codes, documented in README.md. Scripts can tell a deployment that failed
 * (1) from a command used wrongly (2) and from a machine that is not set up (3).
 */
export const ExitCode = {
  /** Done, and the outcome is the one asked for. */
  ok: 0,
  /** The operation ran, and the deployment (or a demo expectation) failed. */
  failed: 1,
  /** Unknown command, missing or invalid argument. */
  usage: 2,
  /** A setting, tool or configuration is missing or wrong on this machine. */
  setup: 3,
  /** An AWS (or local endpoint) call failed. */
  aws: 4,
  /** Stopped by Ctrl-C (SIGINT) or SIGTERM before it finished; what it started was stopped. */
  interrupted: 130,
  /** Signet itself failed unexpectedly: a bug. */
  internal: 70,
} as const;

export type ExitCodeValue = (typeof ExitCode)[keyof typeof ExitCode];
