import { cp, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { signDetached } from '../../release/gpg.ts';
import { packageRelease, sha256File } from '../../release/package-release.ts';
import { type UploadedRelease, uploadRelease } from '../../release/upload-release.ts';
import { EXAMPLE_APP_DIR } from '../example-app.ts';

export interface DemoReleaseOptions {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly app: string;
  readonly version: string;
  readonly workDir: string;
  readonly gnupgHome: string;
  /** Ship the example with its health endpoint failing (config/unhealthy). */
  readonly unhealthy?: boolean;
  /** Change the artifact's bytes after signing it. */
  readonly tamperAfterSigning?: boolean;
}

/**
 * Releases the example app as a person would: package with tar, sign with
 * `gpg --detach-sign`, upload both. The upload is what starts the deployment.
 */
export async function releaseExample(options: DemoReleaseOptions): Promise<UploadedRelease> {
  const source = join(options.workDir, `source-${options.version}`);
  await cp(EXAMPLE_APP_DIR, source, { recursive: true });
  if (options.unhealthy) {
    await mkdir(join(source, 'config'), { recursive: true });
    await writeFile(join(source, 'config', 'unhealthy'), 'this release answers /health with 503\n');
  }
  const artifact = await packageRelease({
    sourceDir: source,
    app: options.app,
    version: options.version,
    outFile: join(options.workDir, `${options.app}-${options.version}.tar.gz`),
    createdBy: 'signet local demo',
  });
  const signatureFile = await signDetached(artifact.file, { home: options.gnupgHome });
  if (options.tamperAfterSigning) await flipOneByte(artifact.file);
  return uploadRelease(options.s3, {
    bucket: options.bucket,
    app: options.app,
    version: options.version,
    artifactFile: artifact.file,
    // The tampered file's own digest: S3 accepts the upload, and only the signature can object.
    artifactSha256: options.tamperAfterSigning ? await sha256File(artifact.file) : artifact.sha256,
    signatureFile,
    releasedBy: 'signet local demo',
  });
}

async function flipOneByte(file: string): Promise<void> {
  const bytes = await readFile(file);
  const middle = Math.floor(bytes.length / 2);
  bytes[middle] = (bytes[middle] ?? 0) ^ 0xff;
  await writeFile(file, bytes);
}
