import { describe, expect, it } from 'vitest';
import type { DeploymentState } from '../../core/deployment-state.ts';
import { causeMessage, decideOutcome, touchedInstances } from '../../core/outcome.ts';

const request = {
  app: 'web',
  version: '1.2.0',
  bucket: 'artifacts',
  key: 'releases/web/web-1.2.0.tar.gz',
  versionId: 'v3',
  etag: 'e3',
  intent: 'release' as const,
  requestedBy: '123456789012',
  source: 'eventbridge' as const,
  expectedSha256: null,
  signature: null,
};
const previous = {
  version: '1.1.0',
  bucket: 'artifacts',
  key: 'releases/web/web-1.1.0.tar.gz',
  versionId: 'v2',
  etag: 'e2',
  sha256: 'b'.repeat(64),
  signer: 'F'.repeat(40),
  signatureKey: null,
  signatureVersionId: null,
  deployedAt: '2026-12-04T09:00:00.000Z',
  execution: 'arn:previous',
};
const plan = {
  batches: [['i-1', 'i-2'], ['i-3']],
  batchCount: 2,
  instanceCount: 3,
  excluded: [],
  rollbackTarget: previous,
};
const lambdaCause = (message: string) =>
  JSON.stringify({ errorType: 'X', errorMessage: message, trace: [] });

describe('decideOutcome', () => {
  it.each<[string, DeploymentState, string, string | null]>([
    [
      'success',
      {
        request,
        plan,
        rollout: { batchIndex: 1 },
        record: { app: 'web', current: null, previous: null, highestVersion: null },
      },
      'Succeeded',
      null,
    ],
    [
      'a refusal before any instance',
      { request, failure: { Error: 'SignatureInvalid', Cause: lambdaCause('bad') } },
      'Refused',
      'SignatureInvalid',
    ],
    [
      'a health failure rolled back',
      {
        request,
        plan,
        rollout: { batchIndex: 0 },
        failure: { Error: 'HealthCheckFailed' },
        rollback: { status: 'RolledBack' },
      },
      'RolledBack',
      'HealthCheckFailed',
    ],
    [
      'a failed rollback',
      {
        request,
        plan,
        rollout: { batchIndex: 0 },
        failure: { Error: 'InstallFailed' },
        rollbackFailure: { Error: 'RollbackFailed' },
      },
      'RollbackFailed',
      'RollbackFailed',
    ],
    [
      'a first release that failed',
      {
        request,
        plan: { ...plan, rollbackTarget: null },
        rollout: { batchIndex: 0 },
        failure: { Error: 'InstallFailed' },
      },
      'Failed',
      'InstallFailed',
    ],
    [
      'a record that was not written',
      { request, plan, rollout: { batchIndex: 1 }, failure: { Error: 'RecordWriteFailed' } },
      'DeployedNotRecorded',
      'RecordWriteFailed',
    ],
    [
      'a lock never acquired',
      { request, failure: { Error: 'DeploymentInProgress' } },
      'Failed',
      'DeploymentInProgress',
    ],
  ])('decides %s', (_label, state, status, error) => {
    const outcome = decideOutcome(state);
    expect(outcome.status).toBe(status);
    expect(outcome.error).toBe(error);
    expect(outcome.executionCause === null).toBe(status === 'Succeeded');
  });

  it('says what happened in one line operators can act on', () => {
    const outcome = decideOutcome({
      request,
      plan,
      rollout: { batchIndex: 0 },
      failure: {
        Error: 'HealthCheckFailed',
        Cause: lambdaCause('Health check of web 1.2.0 failed on i-1'),
      },
      rollback: { status: 'RolledBack' },
    });
    expect(outcome.summary).toBe(
      'web 1.2.0 failed (HealthCheckFailed); 2 instance(s) rolled back to 1.1.0',
    );
    expect(outcome.executionCause).toContain('Health check of web 1.2.0 failed on i-1');
    expect(outcome.severity).toBe('warning');
  });
});

describe('touchedInstances', () => {
  it('counts every batch up to the one in progress', () => {
    expect(touchedInstances({ plan, rollout: { batchIndex: 0 } })).toEqual(['i-1', 'i-2']);
    expect(touchedInstances({ plan, rollout: { batchIndex: 1 } })).toEqual(['i-1', 'i-2', 'i-3']);
    expect(touchedInstances({ plan })).toEqual([]);
  });
});

describe('causeMessage', () => {
  it('reads the errorMessage of a Lambda cause and keeps any other cause as it is', () => {
    expect(causeMessage({ Error: 'X', Cause: lambdaCause('why') })).toBe('why');
    expect(causeMessage({ Error: 'X', Cause: 'plain words' })).toBe('plain words');
    expect(causeMessage({ Error: 'X' })).toBeNull();
  });
});
