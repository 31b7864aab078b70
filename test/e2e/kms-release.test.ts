import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand, KMSClient } from '@aws-sdk/client-kms';
import { SSMClient } from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countCommandsSent } from '../../local/demo/commands-sent.ts';
import { probeInstance } from '../../local/demo/instance-probe.ts';
import { EXAMPLE_APP_DIR, trustLocalKmsKey } from '../../local/example-app.ts';
import { startLocalStack } from '../../local/stack/local-stack.ts';
import type { LocalStack } from '../../local/stack/options.ts';
import { runSignet } from '../helpers/run-signet.ts';

async function commandsSent(): Promise<number> {
  const ssm = new SSMClient({});
  try {
    return await countCommandsSent(ssm);
  } finally {
    ssm.destroy();
  }
}

// An app that trusts one KMS key and no OpenPGP key, released with `signet release --kms-key`
// against the local stack's KMS: the CLI signs, the verify Lambda asks the same KMS.
describe('releases signed with AWS KMS, on the local stack', () => {
  let stack: LocalStack;
  let work: string;
  let trustedKey: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'signet-kms-e2e-'));
    stack = await startLocalStack({ stateDir: join(work, 'state') });
    trustedKey = await trustLocalKmsKey({ label: 'github-release' });
  }, 60_000);

  afterAll(async () => {
    await stack.close();
    await rm(work, { recursive: true, force: true });
  });

  const release = (version: string, keyArn: string) =>
    runSignet([
      'release',
      EXAMPLE_APP_DIR,
      '--app',
      'web',
      '--version',
      version,
      '--kms-key',
      keyArn,
      '--wait',
    ]);

  it('deploys a release signed by the trusted KMS key', async () => {
    // Act
    const result = await release('1.0.0', trustedKey);

    // Assess
    expect(result.err).toBe('');
    expect(result.out).toContain('released web 1.0.0');
    expect(result.out).toContain('releases/web/web-1.0.0.tar.gz.kms.json');
    expect(result.out).toMatch(/web-1_0_0-[0-9a-f]{16}: SUCCEEDED/);
    expect(result.code).toBe(0);
    const served = await Promise.all(stack.instances.map(probeInstance));
    expect(served.map((i) => i.version)).toEqual(['1.0.0', '1.0.0']);
    const history = JSON.parse(
      (await runSignet(['history', 'web', '--limit', '1', '--json'])).out,
    ) as {
      record: { artifact: { signer: string; signerType: string; signerLabel: string } };
    }[];
    expect(history[0]?.record.artifact).toMatchObject({
      signer: trustedKey,
      signerType: 'kms',
      signerLabel: 'github-release',
    });
  });

  it('refuses a release signed by a KMS key the app does not trust, sending no command', async () => {
    // Prepare: a key in the same KMS that nobody allow-listed.
    const kms = new KMSClient({});
    const created = await kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    kms.destroy();
    const before = await commandsSent();

    // Act
    const result = await release('1.1.0', created.KeyMetadata?.Arn ?? '');

    // Assess
    expect(result.out).toContain('released web 1.1.0');
    expect(result.out).toContain('SignerNotTrusted');
    expect(result.code).toBe(1);
    expect(await commandsSent()).toBe(before);
    const served = await Promise.all(stack.instances.map(probeInstance));
    expect(served.map((i) => i.version)).toEqual(['1.0.0', '1.0.0']);
  });

  it('refuses --kms-key together with gpg options as a usage error', async () => {
    // Act
    const result = await runSignet([
      'release',
      EXAMPLE_APP_DIR,
      '--app',
      'web',
      '--version',
      '1.2.0',
      '--kms-key',
      trustedKey,
      '--armor',
    ]);

    // Assess
    expect(result.code).toBe(2);
    expect(result.err).toContain('--kms-key signs with AWS KMS');
  });
});
