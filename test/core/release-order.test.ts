import { describe, expect, it } from 'vitest';
import type { DeploymentRequest } from '../../core/deployment-request.ts';
import { refuseOutOfOrder } from '../../core/release-order.ts';
import {
  type DeployedRelease,
  promoteRelease,
  type ReleaseRecord,
} from '../../core/release-record.ts';

const release = (version: string): DeployedRelease => ({
  version,
  bucket: 'artifacts',
  key: `releases/web/web-${version}.tar.gz`,
  versionId: `v-${version}`,
  etag: 'e',
  sha256: 'a'.repeat(64),
  signer: 'F'.repeat(40),
  signatureKey: null,
  signatureVersionId: null,
  deployedAt: '',
  execution: '',
});
const request = (
  version: string,
  intent: DeploymentRequest['intent'] = 'release',
): DeploymentRequest => ({
  app: 'web',
  version,
  bucket: 'artifacts',
  key: `releases/web/web-${version}.tar.gz`,
  versionId: null,
  etag: null,
  intent,
  requestedBy: null,
  source: 'eventbridge',
  expectedSha256: null,
  signature: null,
});
const empty: ReleaseRecord = { app: 'web', current: null, previous: null, highestVersion: null };

describe('refuseOutOfOrder', () => {
  it('lets a first release and a newer one through', () => {
    expect(() => refuseOutOfOrder(request('1.0.0'), empty)).not.toThrow();
    const record = promoteRelease(empty, release('1.0.0'));
    expect(() => refuseOutOfOrder(request('1.0.1'), record)).not.toThrow();
  });

  it.each(['1.0.0', '0.9.0', '1.0.0-rc.1'])('refuses %s when 1.0.0 is current', (version) => {
    const record = promoteRelease(empty, release('1.0.0'));
    expect(() => refuseOutOfOrder(request(version), record)).toThrow(
      expect.objectContaining({ name: 'VersionNotNewer' }),
    );
  });

  it('refuses a release an operator rolled back, uploaded again with its genuine signature', () => {
    // 1.0.0, then 1.1.0, then an operator's rollback makes 1.0.0 current again.
    const rolledBack = promoteRelease(
      promoteRelease(promoteRelease(empty, release('1.0.0')), release('1.1.0')),
      release('1.0.0'),
    );
    expect(rolledBack).toMatchObject({ current: { version: '1.0.0' }, highestVersion: '1.1.0' });
    expect(() => refuseOutOfOrder(request('1.1.0'), rolledBack)).toThrow(
      expect.objectContaining({
        name: 'VersionNotNewer',
        message: expect.stringContaining('1.1.0 was deployed before'),
      }),
    );
    expect(() => refuseOutOfOrder(request('1.2.0'), rolledBack)).not.toThrow();
  });

  it('lets operators redeploy and roll back on purpose', () => {
    const record = promoteRelease(promoteRelease(empty, release('1.0.0')), release('1.1.0'));
    expect(() => refuseOutOfOrder(request('1.0.0', 'redeploy'), record)).not.toThrow();
    expect(() => refuseOutOfOrder(request('1.0.0', 'rollback'), record)).not.toThrow();
  });
});
