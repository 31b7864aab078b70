import { relative } from 'node:path';
import type { DemoReport, ReleaseReport } from '../../local/demo/demo-report.ts';

/** The demo's summary: one row per release, then where everything it made can be found. */
export function renderDemoReport(report: DemoReport): string {
  const verdict = report.passed
    ? 'every outcome as expected'
    : 'SOME OUTCOMES WERE NOT AS EXPECTED';
  const lines = [
    '',
    `Signet local demo: ${report.releases.length} releases, ${verdict} (${seconds(report.durationMs)})`,
    '',
    row('version', 'scenario', 'outcome', 'time', 'instances'),
  ];
  for (const release of report.releases) {
    const outcome = `${release.outcome}${release.error ? ` ${release.error}` : ''}`;
    lines.push(
      row(
        release.version,
        release.scenario,
        outcome,
        seconds(release.durationMs),
        instances(release),
      ),
    );
    for (const problem of release.problems) lines.push(`           ! ${problem}`);
  }
  const last = report.releases.at(-1);
  const here = (path: string) => relative(process.cwd(), path) || '.';
  lines.push(
    '',
    `  release record   current ${last?.record.current ?? 'none'}, ` +
      `previous ${last?.record.previous ?? 'none'}`,
    `  lambda logs      ${here(report.paths.lambdaLogs)}`,
    `  events           ${here(report.paths.events)}`,
    `  executions       ${here(report.paths.executions)}/`,
    `  audit records    ${here(report.paths.auditExport)}`,
    `  command output   ${here(report.paths.commandOutput)}/`,
    `  instances        ${here(report.paths.instances)}/<id>/root/opt/signet/web/`,
    `                   ${(last?.instances ?? []).map((i) => `${i.name} = ${i.id}`).join(', ')}`,
    '',
  );
  return lines.join('\n');
}

function instances(release: ReleaseReport): string {
  const served = release.instances
    .map((i) => `${i.name} ${i.version ?? 'down'}${i.healthy ? '' : ' (unhealthy)'}`)
    .join(', ');
  return release.commandsSent === 0 ? `${served}; no command sent` : served;
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function row(version: string, scenario: string, outcome: string, time: string, rest: string) {
  return `  ${version.padEnd(8)} ${scenario.padEnd(26)} ${outcome.padEnd(28)} ${time.padStart(6)}  ${rest}`;
}
