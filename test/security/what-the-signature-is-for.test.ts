import { randomBytes } from 'node:crypto';
import { SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOperatorRun } from '../../core/operator/operator-run.ts';
import { runSignet } from '../helpers/run-signet.ts';
import { auditEntries, expectDeployed, expectFailClosed, snapshot } from './support/deployments.ts';
import { SECURITY_APP_CONFIG, SecurityStack } from './support/security-stack.ts';

// Cases 9 to 11 of docs/SECURITY.md: a genuine signature over the wrong release.
describe('genuine signatures over the wrong release, on the local stack', () => {
  let h: SecurityStack;
  /** web's releases deployed in beforeAll, oldest first. */
  const deployed: { version: string; artifact: Uint8Array; signature: Uint8Array }[] = [];

  beforeAll(async () => {
    h = await SecurityStack.start('what-for', { extraApps: ['api', 'capped'] });
    await h.registerApp('capped', {
      config: { ...SECURITY_APP_CONFIG, artifact: { maxBytes: 24_000, maxUnpackedBytes: 400_000 } },
    });
    for (let n = 0; n < 2; n += 1) {
      const version = h.nextVersion();
      const artifact = await h.packageExample({ app: 'web', version });
      const signature = await h.sign(artifact);
      const run = await h.release({ app: 'web', version, artifact, signature });
      if (run.execution.status !== 'SUCCEEDED') throw new Error(`web ${version} did not deploy`);
      deployed.push({ version, artifact, signature });
    }
  }, 60_000);

  afterAll(async () => {
    await h.close();
  });

  /** Packages `signedAs`, signs it, and uploads it under `app` and `version`'s key. */
  async function releaseSigned(
    app: string,
    version: string,
    signedAs: { app: string; version: string } = { app, version },
    extraFiles: Record<string, Uint8Array> = {},
  ) {
    const artifact = await h.packageExample({ app, version, signedAs, extraFiles });
    const before = await snapshot(h, app);
    const run = await h.release({ app, version, artifact, signature: await h.sign(artifact) });
    return { before, run };
  }

  describe('case 9: release order', () => {
    it.each([
      ['older than', () => '1.0.0'],
      ['equal to', () => deployed[1]?.version ?? ''],
    ])('refuses a signed version %s the current one as VersionNotNewer', async (_l, version) => {
      const { before, run } = await releaseSigned('web', version());

      const { alert } = await expectFailClosed(h, before, run.execution, {
        error: 'VersionNotNewer',
      });
      expect(alert.detail.summary).toContain('VersionNotNewer');
    });

    it('rolls back on an operator request through the CLI, and audits it as a rollback', async () => {
      // Act
      const result = await runSignet(['rollback', 'web']);

      // Assess
      expect(result.out).toMatch(/rollback-web-\d+-[0-9a-f]+: SUCCEEDED/);
      expect((await h.releaseRecord('web')).current?.version).toBe(deployed[0]?.version);
      const newest = (await auditEntries(h, 'web')).at(-1)?.record;
      expect(newest).toMatchObject({
        intent: 'rollback',
        outcome: 'Succeeded',
        requestedBy: expect.stringMatching(/^cli:/),
        artifact: { version: deployed[0]?.version },
      });
    });

    it('refuses an upload of the version an operator rolled back from as VersionNotNewer', async () => {
      // Prepare: the same bytes, uploaded again (a new object version)
      const last = deployed[1];
      if (last === undefined) throw new Error('nothing deployed');
      const before = await snapshot(h, 'web');

      // Act
      const run = await h.release({ app: 'web', ...last });

      // Assess
      await expectFailClosed(h, before, run.execution, { error: 'VersionNotNewer' });
    });

    it('redeploys a named version on an operator request, audited as a redeploy', async () => {
      // Prepare
      const sfn = new SFNClient({});
      const version = deployed[1]?.version ?? '';

      // Act
      const started = await startOperatorRun(sfn, h.stack.stateMachineArn, {
        action: 'redeploy',
        app: 'web',
        version,
        requestedBy: 'operator@example.test',
      });
      const execution = await h.stack.stepFunctions.waitFor(started.executionArn);
      sfn.destroy();

      // Assess
      await expectDeployed(h, 'web', execution, version);
      expect((await auditEntries(h, 'web')).at(-1)?.record).toMatchObject({
        intent: 'redeploy',
        requestedBy: 'operator@example.test',
      });
    });
  });

  describe('case 10: what the signed metadata says', () => {
    it('refuses a genuine artifact renamed under another version as ReleaseMismatch', async () => {
      const version = h.nextVersion();
      const { before, run } = await releaseSigned('web', version, {
        app: 'web',
        version: h.nextVersion(),
      });

      await expectFailClosed(h, before, run.execution, { error: 'ReleaseMismatch' });
    });

    it("refuses app api's artifact uploaded under app web's prefix as ReleaseMismatch", async () => {
      const version = h.nextVersion();
      const { before, run } = await releaseSigned('web', version, { app: 'api', version });

      await expectFailClosed(h, before, run.execution, { error: 'ReleaseMismatch' });
    });

    it('refuses the bytes of a deployed release uploaded under a new version', async () => {
      // Prepare: the digest recorded for the first release, under a newer key
      const first = deployed[0];
      if (first === undefined) throw new Error('nothing deployed');
      const before = await snapshot(h, 'web');

      // Act
      const run = await h.release({ ...first, app: 'web', version: h.nextVersion() });

      // Assess: the signed metadata names the old version before the digest is compared
      await expectFailClosed(h, before, run.execution, { error: 'ReleaseMismatch' });
    });
  });

  describe('case 11: size caps', () => {
    it('refuses an object over artifact.maxBytes as ArtifactTooLarge, from its length alone', async () => {
      const { before, run } = await releaseSigned('capped', '1.0.0', undefined, {
        'data/noise.bin': randomBytes(32_000),
      });

      await expectFailClosed(h, before, run.execution, { error: 'ArtifactTooLarge' });
      expect(run.execution.cause).toMatch(/is \d+ bytes, over the cap of 24000/);
    });

    it('refuses an archive inflating past artifact.maxUnpackedBytes as ArtifactTooLarge', async () => {
      const { before, run } = await releaseSigned('capped', '1.1.0', undefined, {
        'data/zeros.bin': new Uint8Array(4 * 1024 * 1024),
      });

      await expectFailClosed(h, before, run.execution, { error: 'ArtifactTooLarge' });
      expect(run.execution.cause).toContain('400000');
    });
  });
});
