/** What the demo found for one instance after a release: over HTTP, as a user would check. */
export interface InstanceCheck {
  readonly id: string;
  readonly name: string;
  /** The version its app reports on /version; null when it does not answer. */
  readonly version: string | null;
  readonly healthy: boolean;
}

export interface ReleaseReport {
  readonly version: string;
  /** What this release demonstrates, in a few words. */
  readonly scenario: string;
  readonly expected: { readonly outcome: 'SUCCEEDED' | 'FAILED'; readonly error: string | null };
  /** The execution's status: SUCCEEDED, FAILED, ... */
  readonly outcome: string;
  readonly error: string | null;
  readonly cause: string | null;
  readonly durationMs: number;
  readonly execution: string;
  readonly instances: readonly InstanceCheck[];
  readonly record: { readonly current: string | null; readonly previous: string | null };
  /** SSM commands sent during this release (0 for a refused one). */
  readonly commandsSent: number;
  /** Every expectation that did not hold; empty when the release went as expected. */
  readonly problems: readonly string[];
}

export interface DemoReport {
  readonly passed: boolean;
  readonly durationMs: number;
  readonly releases: readonly ReleaseReport[];
  readonly paths: {
    readonly stateDir: string;
    readonly lambdaLogs: string;
    readonly events: string;
    readonly executions: string;
    readonly auditExport: string;
    readonly instances: string;
    readonly commandOutput: string;
  };
}

/** Progress the demo reports while it runs; the CLI decides how (or whether) to show it. */
export type DemoProgress = (message: string) => void;
