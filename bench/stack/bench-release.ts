import { cp, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { EXAMPLE_APP_DIR } from '../../local/example-app.ts';
import { signDetached } from '../../release/gpg.ts';
import { packageRelease } from '../../release/package-release.ts';
import { type UploadedRelease, uploadRelease } from '../../release/upload-release.ts';

/** A packaged and signed release of the example app, not uploaded yet. */
export interface PreparedRelease {
  readonly version: string;
  /** Uploads artifact and signature; the upload is what starts the deployment. */
  upload(s3: S3Client, bucket: string): Promise<UploadedRelease>;
}

/**
 * Packages and signs the example app (healthy, or answering /health with 503), so that the
 * measured window can start at the upload, as a user's wait does.
 */
export async function prepareRelease(options: {
  readonly app: string;
  readonly version: string;
  readonly workDir: string;
  readonly gnupgHome: string;
  readonly unhealthy: boolean;
}): Promise<PreparedRelease> {
  const source = join(options.workDir, `source-${options.version}`);
  await cp(EXAMPLE_APP_DIR, source, { recursive: true });
  if (options.unhealthy) {
    await mkdir(join(source, 'config'), { recursive: true });
    await writeFile(join(source, 'config', 'unhealthy'), 'answers /health with 503\n');
  }
  const artifact = await packageRelease({
    sourceDir: source,
    app: options.app,
    version: options.version,
    outFile: join(options.workDir, `${options.app}-${options.version}.tar.gz`),
    createdBy: 'signet bench',
  });
  const signatureFile = await signDetached(artifact.file, { home: options.gnupgHome });
  return {
    version: options.version,
    upload: (s3, bucket) =>
      uploadRelease(s3, {
        bucket,
        app: options.app,
        version: options.version,
        artifactFile: artifact.file,
        artifactSha256: artifact.sha256,
        signatureFile,
        releasedBy: 'signet bench',
      }),
  };
}
