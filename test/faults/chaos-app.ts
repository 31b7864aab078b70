import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { S3Client } from '@aws-sdk/client-s3';
import { EXAMPLE_APP_DIR } from '../../local/example-app.ts';
import { signDetached } from '../../release/gpg.ts';
import { packageRelease } from '../../release/package-release.ts';
import { uploadRelease } from '../../release/upload-release.ts';

// Hook scripts of the example app, by the appspec hook that runs them.
const HOOK_FILES: Readonly<Record<string, string>> = {
  'application-stop.sh': 'ApplicationStop',
  'before-install.sh': 'BeforeInstall',
  'application-start.sh': 'ApplicationStart',
  'validate-service.sh': 'ValidateService',
};

export const CHAOS_HOOKS = Object.values(HOOK_FILES);

/**
 * The example app with a fault gate at the top of every hook: the hook fails while the file
 * `$SIGNET_HOME/faults/<version>/<Hook>` exists on the instance. Faults are per version, so a
 * broken new release never breaks the rollback to the one before.
 */
export async function chaosAppSource(workDir: string): Promise<string> {
  const source = join(workDir, 'chaos-app');
  await cp(EXAMPLE_APP_DIR, source, { recursive: true });
  for (const file of await readdir(join(source, 'hooks'))) {
    const hook = HOOK_FILES[file];
    if (hook === undefined) continue;
    const path = join(source, 'hooks', file);
    const script = await readFile(path, 'utf8');
    const gate =
      `fault="$SIGNET_HOME/faults/$SIGNET_VERSION/${hook}"\n` +
      `if [[ -e $fault ]]; then echo "injected fault: ${hook} fails" >&2; exit 1; fi\n`;
    await writeFile(path, script.replace('set -euo pipefail\n', `set -euo pipefail\n${gate}`));
  }
  return source;
}

/** Packages, signs and uploads one version of the chaos app; returns its object key. */
export async function releaseChaosApp(options: {
  readonly s3: S3Client;
  readonly bucket: string;
  readonly source: string;
  readonly version: string;
  readonly workDir: string;
  readonly gnupgHome: string;
}): Promise<string> {
  const artifact = await packageRelease({
    sourceDir: options.source,
    app: 'web',
    version: options.version,
    outFile: join(options.workDir, `web-${options.version}.tar.gz`),
    createdBy: 'signet chaos test',
  });
  const signatureFile = await signDetached(artifact.file, { home: options.gnupgHome });
  const uploaded = await uploadRelease(options.s3, {
    bucket: options.bucket,
    app: 'web',
    version: options.version,
    artifactFile: artifact.file,
    artifactSha256: artifact.sha256,
    signatureFile,
    releasedBy: 'signet chaos test',
  });
  return uploaded.key;
}
