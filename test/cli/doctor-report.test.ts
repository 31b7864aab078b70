import { describe, expect, it } from 'vitest';
import { renderDoctorReport } from '../../cli/render/doctor.ts';
import type { DoctorReport } from '../../core/doctor/index.ts';

describe('the doctor report', () => {
  it('prints one line per problem with its fix below, and counts what passed', () => {
    // Prepare
    const report: DoctorReport = {
      ok: false,
      results: [
        { check: 'bucket-events', target: 'artifacts', ok: true },
        {
          check: 'release-rule',
          target: 'rule',
          ok: false,
          problem: 'EventBridge rule rule is DISABLED, so uploads start no deployment',
          fix: 'aws events enable-rule --name rule',
        },
        { check: 'app-targets', target: 'web', ok: true },
        {
          check: 'app-targets',
          target: 'web',
          ok: true,
          warning: true,
          problem: 'instance i-0b tagged signet:app=web is stopped',
          fix: 'start it',
        },
      ],
    };

    // Act
    const text = renderDoctorReport(report);

    // Assess
    expect(text.split('\n')).toEqual([
      'FAIL release-rule: EventBridge rule rule is DISABLED, so uploads start no deployment',
      '     fix: aws events enable-rule --name rule',
      'WARN app-targets: instance i-0b tagged signet:app=web is stopped',
      '     fix: start it',
      'signet doctor: the deployment is NOT wired correctly (2 passed, 1 failed, 1 warning)',
    ]);
  });

  it('prints only the verdict when everything passes', () => {
    // Act
    const text = renderDoctorReport({
      ok: true,
      results: [{ check: 'state-table', target: 'signet-state', ok: true }],
    });

    // Assess
    expect(text).toBe('signet doctor: the deployment is wired correctly (1 passed, 0 failed)');
  });
});
