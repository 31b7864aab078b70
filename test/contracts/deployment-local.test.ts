import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { S3Client } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLocalStack } from '../../local/stack/local-stack.ts';
import type { LocalStack } from '../../local/stack/options.ts';
import { stopGpgAgent } from '../../release/gpg.ts';
import { EXPECTED_SUMMARY, runDeploymentScenario } from './deployment-scenario.ts';

// The reference run: the scenario on Signet's own local stack. deployment-moto.test.ts runs
// the same scenario with moto_server behind S3, Parameter Store, DynamoDB, KMS and EC2.
describe('the deployment scenario on the local stack', () => {
  let stack: LocalStack;
  let work: string;
  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'signet-scenario-local-'));
    stack = await startLocalStack({ stateDir: join(work, 'state') });
  });
  afterAll(async () => {
    await stopGpgAgent({ home: join(work, 'gnupg') });
    await stack.close();
    await rm(work, { recursive: true, force: true });
  });

  it('deploys, rolls back, refuses and redeploys the pinned version', async () => {
    // Prepare
    const s3 = new S3Client({ forcePathStyle: true });

    // Act
    const summary = await runDeploymentScenario({
      stack,
      s3,
      workDir: work,
      gnupgHome: join(work, 'gnupg'),
      announce: async () => undefined,
    });
    s3.destroy();

    // Assess
    expect(summary).toEqual(EXPECTED_SUMMARY);
  }, 120_000);
});
