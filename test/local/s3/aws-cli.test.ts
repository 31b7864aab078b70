import { execFile, spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { HeadObjectCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestS3, TEST_CREDENTIALS, type TestS3 } from './helpers.ts';

const run = promisify(execFile);
const BUCKET = 'cli-bucket';
const MIB = 1024 * 1024;

const hasCli = spawnSync('aws', ['--version'], { stdio: 'ignore' }).status === 0;
const toolsRequired = process.env['SIGNET_REQUIRE_TOOLS'] === '1';
if (!hasCli && !toolsRequired) {
  process.stderr.write('aws-cli.test.ts: skipped, the AWS CLI (`aws`) is not on PATH\n');
}

// Each CLI command costs one to two seconds of Python start-up on this machine, so the tests use
// few commands, prepare what they only read with the SDK, and run concurrently.
describe.skipIf(!hasCli && !toolsRequired)(
  hasCli ? 'the AWS CLI against the local S3' : 'the AWS CLI (skipped: `aws` is not on PATH)',
  { concurrent: true },
  () => {
    let t: TestS3;
    let workDir: string;
    let aws: (...args: string[]) => Promise<string>;

    beforeAll(async () => {
      expect(hasCli, 'SIGNET_REQUIRE_TOOLS=1 but the AWS CLI (`aws`) is not on PATH').toBe(true);
      t = await startTestS3({ buckets: [{ name: BUCKET, versioning: true }] });
      workDir = await mkdtemp(join(tmpdir(), 'signet-s3-cli-'));
      const env = {
        PATH: process.env['PATH'] ?? '',
        HOME: workDir,
        AWS_ACCESS_KEY_ID: TEST_CREDENTIALS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: TEST_CREDENTIALS.secretAccessKey,
        AWS_DEFAULT_REGION: 'us-east-1',
        AWS_CONFIG_FILE: join(workDir, 'no-config'),
        AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-credentials'),
        AWS_PAGER: '',
      };
      aws = async (...args) =>
        (await run('aws', ['--endpoint-url', t.s3.endpoint, ...args], { env })).stdout;
    });
    afterAll(async () => {
      await t?.close();
      if (workDir) await rm(workDir, { recursive: true, force: true });
    });

    it('copies a small and a 20 MiB file up and down with `aws s3 cp`, the large one multipart', {
      timeout: 60_000,
    }, async () => {
      // Prepare: one directory, so one command moves both files each way.
      const small = 'hello from the CLI\n';
      const big = randomBytes(20 * MIB);
      const up = join(workDir, 'up');
      await mkdir(up);
      await writeFile(join(up, 'small file+1.txt'), small);
      await writeFile(join(up, 'big.bin'), big);

      // Act
      await aws('s3', 'cp', '--only-show-errors', '--recursive', up, `s3://${BUCKET}/copied/`);
      const down = join(workDir, 'down');
      await aws('s3', 'cp', '--only-show-errors', '--recursive', `s3://${BUCKET}/copied/`, down);
      const bigHead = await t.client.send(
        new HeadObjectCommand({ Bucket: BUCKET, Key: 'copied/big.bin' }),
      );
      const smallHead = await t.client.send(
        new HeadObjectCommand({ Bucket: BUCKET, Key: 'copied/small file+1.txt' }),
      );

      // Assess: the CLI switches to multipart above 8 MiB, so that ETag ends in a part count.
      expect(bigHead.ETag).toMatch(/^"[0-9a-f]{32}-\d+"$/);
      expect(smallHead.ETag).toMatch(/^"[0-9a-f]{32}"$/);
      expect(await readFile(join(down, 'small file+1.txt'), 'utf8')).toBe(small);
      const digest = (bytes: Buffer) => createHash('sha256').update(bytes).digest('hex');
      expect(digest(await readFile(join(down, 'big.bin')))).toBe(digest(big));
    });

    it('lists prefixes and objects with `aws s3 ls`', async () => {
      // Prepare
      for (const key of ['listing/listed.txt', 'listing/docs/small file+1.txt']) {
        await t.client.send(new PutObjectCommand({ Bucket: BUCKET, Key: key, Body: 'x' }));
      }

      // Act
      const listing = await aws('s3', 'ls', `s3://${BUCKET}/listing/`);

      // Assess
      expect(listing).toMatch(/PRE docs\//);
      expect(listing).toMatch(/\s1 listed\.txt/);
    });

    it('reads an older version with `aws s3api get-object --version-id`', async () => {
      // Prepare
      const first = await t.client.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: 'v.txt', Body: 'version one' }),
      );
      await t.client.send(
        new PutObjectCommand({ Bucket: BUCKET, Key: 'v.txt', Body: 'version two' }),
      );

      // Act
      const answer = JSON.parse(
        await aws(
          's3api',
          'get-object',
          '--bucket',
          BUCKET,
          '--key',
          'v.txt',
          '--version-id',
          first.VersionId as string,
          join(workDir, 'v-old.txt'),
        ),
      ) as { VersionId: string };

      // Assess
      expect(answer.VersionId).toBe(first.VersionId);
      expect(await readFile(join(workDir, 'v-old.txt'), 'utf8')).toBe('version one');
    });
  },
);
