import { describe, expect, it } from 'vitest';
import type { DeploymentState } from '../../core/deployment-state.ts';
import { decideOutcome } from '../../core/outcome.ts';
import { auditRecordFor } from '../../core/outcome-record.ts';

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
const plan = {
  batches: [['i-1', 'i-2'], ['i-3']],
  batchCount: 2,
  instanceCount: 3,
  excluded: [],
  rollbackTarget: null,
};
const KMS_KEY_ARN = 'arn:aws:kms:us-east-1:123456789012:key/0d5e7bbe-8a3c-4f4e-9a26-0ad1d5c3e0a1';

const recordOf = (state: DeploymentState) =>
  auditRecordFor(state, decideOutcome(state), { id: 'arn:x', startedAt: null }, new Date(0));

describe('auditRecordFor', () => {
  it('fills every field even when the deployment stopped at the first state', () => {
    const state: DeploymentState = { failure: { Error: 'InputInvalid', Cause: 'not JSON' } };
    const outcome = decideOutcome(state);
    const record = auditRecordFor(state, outcome, { id: 'arn:x', startedAt: null }, new Date(0));
    expect(record).toMatchObject({
      app: null,
      outcome: 'Refused',
      error: 'InputInvalid',
      instances: [],
    });
    expect(Object.values(record).every((value) => value !== undefined)).toBe(true);
  });

  it.each([
    {
      label: 'an OpenPGP key by its fingerprint',
      signer: {
        type: 'openpgp' as const,
        label: 'ci',
        fingerprint: 'A'.repeat(40),
        keyId: 'A'.repeat(16),
        userIds: ['CI <ci@example.test>'],
        signedAt: '2026-12-04T09:00:00.000Z',
      },
      expected: { signer: 'A'.repeat(40), signerType: 'openpgp', signerLabel: 'ci' },
    },
    {
      label: 'a KMS key by its ARN',
      signer: { type: 'kms' as const, keyArn: KMS_KEY_ARN, label: 'release', signedAt: null },
      expected: { signer: KMS_KEY_ARN, signerType: 'kms', signerLabel: 'release' },
    },
  ])('names the signer of the verified release: $label', ({ signer, expected }) => {
    // Prepare
    const artifact = {
      app: 'web',
      version: '1.2.0',
      bucket: 'artifacts',
      key: request.key,
      versionId: 'v3',
      etag: 'e3',
      sha256: 'c'.repeat(64),
      size: 10,
      signer,
      signatureKey: `${request.key}.sig`,
      signatureVersionId: null,
    };
    const state: DeploymentState = { request, artifact, failure: { Error: 'NoTargets' } };

    // Act
    const record = auditRecordFor(
      state,
      decideOutcome(state),
      { id: 'x', startedAt: null },
      new Date(0),
    );

    // Assess
    expect(record.artifact).toMatchObject(expected);
  });

  it.each([
    ['signature', 'SignatureInvalid'],
    ['signature', 'SignatureMissing'],
    ['checksum', 'ChecksumMismatch'],
    ['archive', 'UnsafeArchiveEntry'],
    ['release', 'VersionNotNewer'],
  ])('marks the %s check failed when verification refuses with %s', (check, error) => {
    // Prepare: verification runs before the lock, so a refused release holds none
    const state: DeploymentState = { request, failure: { Error: error } };

    // Act
    const checks = recordOf(state).checks;

    // Assess
    expect(checks).toContainEqual({ name: check, result: 'failed', detail: error });
    expect(checks.filter((c) => c.result === 'failed')).toHaveLength(1);
    expect(checks.find((c) => c.name === 'targets')?.result).toBe('skipped');
  });

  it('marks every verification check passed once the release is verified', () => {
    const artifact = {
      ...request,
      sha256: 'c'.repeat(64),
      size: 10,
      signer: { type: 'kms' as const, keyArn: KMS_KEY_ARN, label: 'release', signedAt: null },
      signatureKey: `${request.key}.kms.json`,
      signatureVersionId: null,
    };
    const lock = { app: 'web', owner: 'arn:x', acquiredAt: '', expiresAt: '' };
    const checks = recordOf({ request, artifact, lock, failure: { Error: 'NoTargets' } }).checks;
    expect(Object.fromEntries(checks.map((c) => [c.name, c.result]))).toMatchObject({
      signature: 'passed',
      checksum: 'passed',
      archive: 'passed',
      release: 'passed',
      targets: 'failed',
    });
  });

  it('marks the failed phase among the checks', () => {
    const state: DeploymentState = {
      request,
      lock: { app: 'web', owner: 'arn:x', acquiredAt: '', expiresAt: '' },
      plan,
      rollout: { batchIndex: 0 },
      command: {
        phase: 'health',
        app: 'web',
        version: '1.2.0',
        commands: [],
        sentAt: '',
        deadline: '',
        waitSeconds: 1,
        maxWaitSeconds: 1,
        polls: 1,
        done: false,
      },
      failure: { Error: 'HealthCheckFailed' },
      rollback: { status: 'RolledBack' },
    };
    const record = auditRecordFor(
      state,
      decideOutcome(state),
      { id: 'arn:x', startedAt: null },
      new Date(0),
    );
    expect(Object.fromEntries(record.checks.map((c) => [c.name, c.result]))).toMatchObject({
      install: 'passed',
      health: 'failed',
      rollback: 'passed',
      record: 'skipped',
    });
  });
});
