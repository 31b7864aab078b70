import type { CommandPhase } from './command-phase.ts';
import type { InstanceFailure } from './command-progress.ts';
import {
  HealthCheckFailed,
  InstallFailed,
  RollbackFailed,
  type SignetError,
  type SignetErrorClass,
} from './errors.ts';
import { hostExitError } from './host-exit-codes.ts';

// Install faults more telling than "the install failed", most telling first: when instances
// fail differently, the execution's error names the worst (docs/INSTANCE.md has the codes).
const INSTALL_FAULT_PRIORITY = ['ChecksumMismatchOnHost', 'UnsafeArchiveEntry', 'AppSpecInvalid'];

// Instances whose status details and last output line the message quotes; the others get their
// id and status only. At 200 failed instances the message stays near 10 KB, and it travels
// twice (message and stack) in the execution's state, whose limit is 256 KB.
const QUOTED_INSTANCES = 10;

/**
 * The error a failed phase raises, naming every failed instance and its status, and quoting
 * what the first ones said (full output stays in the command's output files).
 */
export function phaseFailure(
  phase: CommandPhase,
  app: string,
  version: string,
  failures: readonly InstanceFailure[],
  note?: string,
): SignetError {
  const lines = failures
    .slice(0, QUOTED_INSTANCES)
    .map(
      (f) =>
        `${f.instanceId}: ${f.status}${f.statusDetails ? ` (${f.statusDetails})` : ''}, ` +
        `exit ${f.exitCode}${f.outputTail ? `: ${lastLine(f.outputTail)}` : ''}`,
    );
  lines.push(...groupedByStatus(failures.slice(QUOTED_INSTANCES)));
  const noted = note === undefined ? '' : `; ${note}`;
  const summary = `${failures.length} instance(s): ${lines.join('; ')}${noted}`;
  const details = { app, version, phase, failures };

  switch (phase) {
    case 'install': {
      const specific = failures
        .map((f) => hostExitError(f.exitCode))
        .filter((e): e is SignetErrorClass => e !== null && INSTALL_FAULT_PRIORITY.includes(e.name))
        .sort(
          (a, b) => INSTALL_FAULT_PRIORITY.indexOf(a.name) - INSTALL_FAULT_PRIORITY.indexOf(b.name),
        );
      const ErrorClass = specific[0] ?? InstallFailed;
      return new ErrorClass(`Install of ${app} ${version} failed on ${summary}`, { details });
    }
    case 'health':
      return new HealthCheckFailed(`Health check of ${app} ${version} failed on ${summary}`, {
        details,
      });
    case 'rollback':
      return new RollbackFailed(`Rollback of ${app} to ${version} failed on ${summary}`, {
        details,
      });
    case 'stop':
      return new RollbackFailed(
        `Stopping ${app} ${version} after its failed first deployment failed on ${summary}: ` +
          'a person is needed',
        { details },
      );
    case 'rollback-health':
      return new RollbackFailed(
        `${app} ${version} is unhealthy after the rollback on ${summary}: a person is needed`,
        { details },
      );
  }
}

/** The rest, grouped: "Failed, exit 69 on i-1, i-2, ...", so each id appears once. */
function groupedByStatus(failures: readonly InstanceFailure[]): string[] {
  const groups = new Map<string, string[]>();
  for (const f of failures) {
    const key = `${f.status}, exit ${f.exitCode}`;
    groups.set(key, [...(groups.get(key) ?? []), f.instanceId]);
  }
  return [...groups].map(([key, ids]) => `${key} on ${ids.join(', ')}`);
}

/** The last non-empty line an instance printed: usually the one that says why. */
function lastLine(output: string): string {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  return (lines.at(-1) ?? '').slice(0, 200);
}
