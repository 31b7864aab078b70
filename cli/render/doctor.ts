import type { CheckResult, DoctorReport } from '../../core/doctor/index.ts';

/**
 * One line per problem (`FAIL` or `WARN`, the check, what is wrong) with its fix indented
 * below it, then a summary line. Passing checks are counted, not listed.
 */
export function renderDoctorReport(report: DoctorReport): string {
  const problems = report.results.filter((result) => result.problem !== undefined);
  const failures = problems.filter((result) => !result.ok).length;
  const warnings = problems.length - failures;
  const passedChecks = report.results.filter((result) => result.ok && !result.warning).length;
  const lines = problems.map(problemLine);
  const counts = [
    `${passedChecks} passed`,
    `${failures} failed`,
    ...(warnings > 0 ? [`${warnings} warning${warnings === 1 ? '' : 's'}`] : []),
  ].join(', ');
  lines.push(
    report.ok
      ? `signet doctor: the deployment is wired correctly (${counts})`
      : `signet doctor: the deployment is NOT wired correctly (${counts})`,
  );
  return lines.join('\n');
}

function problemLine(result: CheckResult): string {
  const level = result.ok ? 'WARN' : 'FAIL';
  return `${level} ${result.check}: ${result.problem}\n     fix: ${result.fix}`;
}
