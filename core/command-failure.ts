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

/** The error a failed phase raises, naming every failed instance and what it said. */
export function phaseFailure(
  phase: CommandPhase,
  app: string,
  version: string,
  failures: readonly InstanceFailure[],
): SignetError {
  const lines = failures.map(
    (f) =>
      `${f.instanceId}: ${f.status}${f.statusDetails ? ` (${f.statusDetails})` : ''}, ` +
      `exit ${f.exitCode}${f.outputTail ? `: ${lastLine(f.outputTail)}` : ''}`,
  );
  const summary = `${failures.length} instance(s): ${lines.join('; ')}`;
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
    case 'rollback-health':
      return new RollbackFailed(
        `${app} ${version} is unhealthy after the rollback on ${summary}: a person is needed`,
        { details },
      );
  }
}

/** The last non-empty line an instance printed: usually the one that says why. */
function lastLine(output: string): string {
  const lines = output.split('\n').filter((line) => line.trim() !== '');
  return (lines.at(-1) ?? '').slice(0, 300);
}
