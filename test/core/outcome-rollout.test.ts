import { describe, expect, it } from 'vitest';
import type { DeploymentState } from '../../core/deployment-state.ts';
import { decideOutcome } from '../../core/outcome.ts';
import { auditRecordFor } from '../../core/outcome-record.ts';

const request = {
  app: 'web',
  version: '1.0.0',
  bucket: 'artifacts',
  key: 'releases/web/web-1.0.0.tar.gz',
  versionId: 'v1',
  etag: 'e1',
  intent: 'release' as const,
  requestedBy: null,
  source: 'eventbridge' as const,
  expectedSha256: null,
  signature: null,
};
const tolerance = { instanceCount: 3, maximumFailed: 1, minimumHealthy: 0 };
const plan = {
  batches: [['i-1', 'i-2'], ['i-3']],
  batchCount: 2,
  instanceCount: 3,
  excluded: [{ instanceId: 'i-9', reason: 'ConnectionLost' }],
  tolerance,
  rollbackTarget: null,
};
const cause = (message: string) =>
  JSON.stringify({ errorType: 'X', errorMessage: message, trace: [] });

describe('decideOutcome for rollout policies and first deployments', () => {
  it('names tolerated failures and skipped instances in a success', () => {
    // Prepare
    const state = {
      request,
      plan,
      rollout: { batchIndex: 1 },
      command: {
        phase: 'health',
        app: 'web',
        version: '1.0.0',
        commands: [],
        sentAt: '',
        deadline: '',
        waitSeconds: 1,
        maxWaitSeconds: 1,
        polls: 1,
        done: true,
        tolerated: [{ instanceId: 'i-2', phase: 'install', status: 'Failed' }],
      },
    } satisfies DeploymentState;

    // Act
    const outcome = decideOutcome(state);
    const audit = auditRecordFor(state, outcome, { id: 'x', startedAt: null }, new Date(0));

    // Assess
    expect(outcome.status).toBe('Succeeded');
    expect(outcome.summary).toBe(
      'web 1.0.0 is live on 2 instance(s); failures tolerated by the rollout policy: ' +
        'i-2 (install: Failed); unreachable instances skipped: i-9 (ConnectionLost)',
    );
    expect(audit.checks).toContainEqual({
      name: 'tolerated',
      result: 'failed',
      detail: 'i-2: install Failed, tolerated',
    });
  });

  it('says a failed first deployment was stopped and flagged', () => {
    // Prepare
    const state: DeploymentState = {
      request,
      plan,
      rollout: { batchIndex: 0 },
      failure: { Error: 'HealthCheckFailed', Cause: cause('i-1 answered 503') },
      rollback: { status: 'Stopped' },
    };

    // Act
    const outcome = decideOutcome(state);

    // Assess
    expect(outcome).toMatchObject({ status: 'Failed', error: 'HealthCheckFailed' });
    expect(outcome.summary).toBe(
      'web 1.0.0 failed (HealthCheckFailed); nothing to roll back to: 2 instance(s) stopped and ' +
        'flagged failed',
    );
  });

  it('needs a person when stopping a failed first deployment fails', () => {
    // Prepare
    const state: DeploymentState = {
      request,
      plan,
      rollout: { batchIndex: 0 },
      failure: { Error: 'InstallFailed', Cause: cause('i-1: exit 69') },
      rollbackFailure: { Error: 'RollbackFailed', Cause: cause('i-1: Failed, exit 1') },
    };

    // Act
    const outcome = decideOutcome(state);

    // Assess
    expect(outcome).toMatchObject({ status: 'RollbackFailed', severity: 'critical' });
    expect(outcome.summary).toContain('nothing to roll back to and stopping it failed');
    expect(outcome.executionCause).toContain('i-1: Failed, exit 1');
  });
});
