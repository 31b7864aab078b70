import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { KMSClient } from '@aws-sdk/client-kms';
import { HeadObjectCommand, PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { GetParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { releaseExample } from '../../local/demo/demo-release.ts';
import { probeInstance } from '../../local/demo/instance-probe.ts';
import {
  EXAMPLE_APP_DIR,
  trustLocalKmsKey,
  trustLocalSigningKey,
} from '../../local/example-app.ts';
import type { LocalStack } from '../../local/stack/options.ts';
import { signWithKms } from '../../release/kms-sign.ts';
import { packageRelease, sha256File } from '../../release/package-release.ts';
import { type UploadedRelease, uploadRelease } from '../../release/upload-release.ts';
import { awaitExecution, forKey } from '../helpers/await-execution.ts';
import { runSignet } from '../helpers/run-signet.ts';

/** Where the scenario runs: a stack, the S3 client uploads go through, and how S3 tells it. */
export interface ScenarioTarget {
  readonly stack: LocalStack;
  readonly s3: S3Client;
  readonly workDir: string;
  readonly gnupgHome: string;
  /**
   * Makes the stack see an upload. The local S3 publishes its own Object Created events, so
   * this does nothing there; with an external S3 the test publishes the event itself.
   */
  announce(bucket: string, key: string): Promise<void>;
}

/** One step's end, as an operator would read it. */
export interface StepResult {
  readonly step: string;
  readonly status: string;
  readonly error: string | null;
  readonly served: readonly (string | null)[];
}

/** What the scenario saw, to compare across targets. */
export interface ScenarioSummary {
  readonly steps: readonly StepResult[];
  /** Whether the release record pinned each deployed release to the version id S3 gave it. */
  readonly recordPinsUploadedVersion: boolean;
}

/** The summary every target must produce: the same as Signet's own local stack. */
export const EXPECTED_SUMMARY: ScenarioSummary = {
  steps: [
    {
      step: '1.0.0 signed with OpenPGP',
      status: 'SUCCEEDED',
      error: null,
      served: ['1.0.0', '1.0.0'],
    },
    { step: '1.1.0 signed with KMS', status: 'SUCCEEDED', error: null, served: ['1.1.0', '1.1.0'] },
    {
      step: '1.2.0 unhealthy',
      status: 'FAILED',
      error: 'HealthCheckFailed',
      served: ['1.1.0', '1.1.0'],
    },
    {
      step: '1.3.0 tampered after signing',
      status: 'FAILED',
      error: 'SignatureInvalid',
      served: ['1.1.0', '1.1.0'],
    },
    {
      // moto's Verify answers SignatureValid false here, AWS and the local KMS throw
      // KMSInvalidSignatureException: both must end SignatureInvalid.
      step: '1.4.0 signed with KMS, tampered after signing',
      status: 'FAILED',
      error: 'SignatureInvalid',
      served: ['1.1.0', '1.1.0'],
    },
    {
      step: '1.1.0 overwritten, upload refused',
      status: 'FAILED',
      error: 'VersionNotNewer',
      served: ['1.1.0', '1.1.0'],
    },
    {
      step: '1.1.0 overwritten, then redeployed',
      status: 'SUCCEEDED',
      error: null,
      served: ['1.1.0', '1.1.0'],
    },
  ],
  recordPinsUploadedVersion: true,
};

/**
 * Deploy, roll back, refuse, and redeploy a pinned version whose key was overwritten, on
 * whatever endpoints the stack uses. Returns what happened, for comparison across targets.
 */
export async function runDeploymentScenario(target: ScenarioTarget): Promise<ScenarioSummary> {
  const { stack } = target;
  await trustLocalSigningKey({
    gnupgHome: target.gnupgHome,
    userId: 'Fidelity <fidelity@signet.invalid>',
    label: 'release',
  });
  const kmsKey = await trustLocalKmsKey({ label: 'kms-release' });
  const steps: StepResult[] = [];
  const seen = new Set<string>();
  const served = async () =>
    (await Promise.all(stack.instances.map(probeInstance))).map((i) => i.version);
  const settle = async (step: string, key: string) => {
    const execution = await awaitExecution(
      stack,
      (e) => forKey(key)(e) && !seen.has(e.executionArn),
    );
    seen.add(execution.executionArn);
    steps.push({
      step,
      status: execution.status,
      error: execution.error ?? null,
      served: await served(),
    });
  };
  const gpgRelease = async (
    version: string,
    extra: { unhealthy?: boolean; tamperAfterSigning?: boolean },
  ) => {
    const uploaded = await releaseExample({
      s3: target.s3,
      bucket: stack.bucket,
      app: 'web',
      version,
      workDir: target.workDir,
      gnupgHome: target.gnupgHome,
      ...extra,
    });
    await target.announce(stack.bucket, uploaded.key);
    return uploaded;
  };

  const first = await gpgRelease('1.0.0', {});
  await settle('1.0.0 signed with OpenPGP', first.key);

  const second = await kmsRelease(target, '1.1.0', kmsKey);
  await target.announce(stack.bucket, second.key);
  await settle('1.1.0 signed with KMS', second.key);

  const third = await gpgRelease('1.2.0', { unhealthy: true });
  await settle('1.2.0 unhealthy', third.key);

  const fourth = await gpgRelease('1.3.0', { tamperAfterSigning: true });
  await settle('1.3.0 tampered after signing', fourth.key);

  const fifth = await kmsRelease(target, '1.4.0', kmsKey, { tamperAfterSigning: true });
  await target.announce(stack.bucket, fifth.key);
  await settle('1.4.0 signed with KMS, tampered after signing', fifth.key);

  // The key of the current release now holds other bytes; a redeploy must use the pinned ones.
  await target.s3.send(
    new PutObjectCommand({ Bucket: stack.bucket, Key: second.key, Body: 'junk' }),
  );
  await target.announce(stack.bucket, second.key);
  await settle('1.1.0 overwritten, upload refused', second.key);
  const redeploy = await runSignet(['redeploy', 'web', '1.1.0']);
  steps.push({
    step: '1.1.0 overwritten, then redeployed',
    status: redeploy.out.includes('SUCCEEDED')
      ? 'SUCCEEDED'
      : `exit ${redeploy.code}: ${redeploy.out}`,
    error: null,
    served: await served(),
  });

  const record = await readRecord();
  return {
    steps,
    recordPinsUploadedVersion:
      record.current?.version === '1.1.0' && record.current.versionId === second.versionId,
  };
}

/** Packages the example, signs its digest with the KMS key, and uploads both. */
async function kmsRelease(
  target: ScenarioTarget,
  version: string,
  keyArn: string,
  options: { readonly tamperAfterSigning?: boolean } = {},
): Promise<UploadedRelease> {
  const artifact = await packageRelease({
    sourceDir: EXAMPLE_APP_DIR,
    app: 'web',
    version,
    outFile: join(target.workDir, `web-${version}.tar.gz`),
  });
  const kms = new KMSClient({});
  try {
    const signatureFile = await signWithKms(kms, artifact.file, {
      keyId: keyArn,
      sha256: artifact.sha256,
    });
    if (options.tamperAfterSigning === true) await flipLastByte(artifact.file);
    return await uploadRelease(target.s3, {
      bucket: target.stack.bucket,
      app: 'web',
      version,
      artifactFile: artifact.file,
      // The changed file's own digest: S3 accepts the upload, only the signature can object.
      artifactSha256: await sha256File(artifact.file),
      signatureFile,
    });
  } finally {
    kms.destroy();
  }
}

async function flipLastByte(file: string): Promise<void> {
  const bytes = await readFile(file);
  bytes[bytes.length - 1] = (bytes.at(-1) ?? 0) ^ 0x01;
  await writeFile(file, bytes);
}

/** web's release record, read as any SSM client of the stack's environment reads it. */
async function readRecord(): Promise<{ current?: { version?: string; versionId?: string } }> {
  const ssm = new SSMClient({});
  try {
    const answer = await ssm.send(new GetParameterCommand({ Name: '/signet/apps/web/release' }));
    return JSON.parse(answer.Parameter?.Value ?? '{}') as {
      current?: { version?: string; versionId?: string };
    };
  } finally {
    ssm.destroy();
  }
}

/**
 * The Object Created event S3 sends EventBridge for an upload (S3 user guide, ev-events), built
 * from a HEAD of the object: what an external S3 would have sent the stack.
 */
export async function publishObjectCreated(
  stack: LocalStack,
  s3: S3Client,
  bucket: string,
  key: string,
): Promise<void> {
  const head = await s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  await stack.eventBus.publish({
    source: 'aws.s3',
    detailType: 'Object Created',
    resources: [`arn:aws:s3:::${bucket}`],
    detail: {
      version: '0',
      bucket: { name: bucket },
      object: {
        key,
        size: head.ContentLength ?? 0,
        etag: (head.ETag ?? '').replaceAll('"', ''),
        ...(head.VersionId === undefined ? {} : { 'version-id': head.VersionId }),
        sequencer: Date.now().toString(16).toUpperCase().padStart(18, '0'),
      },
      'request-id': 'FIDELITY',
      requester: '000000000000',
      'source-ip-address': '127.0.0.1',
      reason: 'PutObject',
    },
  });
  await stack.idle();
}
