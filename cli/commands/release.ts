import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir, userInfo } from 'node:os';
import { join, resolve } from 'node:path';
import { executionArnFor, executionNameForObject } from '../../core/execution-name.ts';
import { waitForExecution } from '../../core/operator/operator-run.ts';
import { signDetached } from '../../release/gpg.ts';
import { signWithKms } from '../../release/kms-sign.ts';
import { packageRelease } from '../../release/package-release.ts';
import { uploadRelease } from '../../release/upload-release.ts';
import { appArgument, directoryArgument, versionArgument } from '../arguments.ts';
import { cliSettings } from '../cli-settings.ts';
import { cliClients } from '../clients.ts';
import { type Command, parseCommandArgs } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { renderExecutionEnd } from '../render/execution.ts';
import { UsageError } from '../usage-error.ts';

export const releaseCommand: Command = {
  name: 'release',
  usage:
    'signet release <build-dir> --app <app> --version <version> ' +
    '[--key <gpg-key-id>] [--armor] [--gnupghome <dir>] | [--kms-key <key ARN>] ' +
    '[--bucket <bucket>] [--source <commit>] [--wait]',
  summary:
    'package a build directory, sign it with gpg (or AWS KMS), and upload it: the upload ' +
    'deploys it',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      this,
      args,
      {
        app: { type: 'string' },
        version: { type: 'string' },
        key: { type: 'string' },
        armor: { type: 'boolean', default: false },
        gnupghome: { type: 'string' },
        'kms-key': { type: 'string' },
        bucket: { type: 'string' },
        source: { type: 'string' },
        wait: { type: 'boolean', default: false },
      },
      { min: 1, max: 1 },
    );
    const settings = cliSettings(io.env);
    const app = appArgument(values.app, this.usage);
    const version = versionArgument(values.version, this.usage);
    const sourceDir = directoryArgument(resolve(positionals[0] ?? '.'), this.usage);
    const kmsKey = values['kms-key'];
    const gpgOptions = [values.key, values.gnupghome, values.armor ? true : undefined];
    if (kmsKey !== undefined && gpgOptions.some((value) => value !== undefined)) {
      throw new UsageError(
        `--kms-key signs with AWS KMS; --key, --armor and --gnupghome are for gpg\nusage: ${this.usage}`,
      );
    }
    if (kmsKey === '') throw new UsageError(`--kms-key needs a key ARN\nusage: ${this.usage}`);
    const bucket = values.bucket ?? settings.artifactBucket();
    const releasedBy = `${userInfo().username}`;
    const work = await mkdtemp(join(tmpdir(), 'signet-release-'));
    try {
      const artifact = await packageRelease({
        sourceDir,
        app,
        version,
        outFile: join(work, `${app}-${version}.tar.gz`),
        createdBy: releasedBy,
        ...(values.source === undefined ? {} : { source: values.source }),
      });
      const signatureFile =
        kmsKey === undefined
          ? await signDetached(artifact.file, {
              armor: values.armor,
              ...(values.key === undefined ? {} : { keyId: values.key }),
              ...(values.gnupghome === undefined ? {} : { home: values.gnupghome }),
            })
          : await signWithKms(cliClients.kms(), artifact.file, {
              keyId: kmsKey,
              sha256: artifact.sha256,
            });
      const uploaded = await uploadRelease(cliClients.s3(), {
        bucket,
        app,
        version,
        artifactFile: artifact.file,
        artifactSha256: artifact.sha256,
        signatureFile,
        releasedBy,
      });
      const name = executionNameForObject({ app, version }, uploaded);
      io.out(
        [
          `released ${app} ${version}`,
          `  artifact   s3://${bucket}/${uploaded.key}${versionNote(uploaded.versionId)}`,
          `  signature  s3://${bucket}/${uploaded.signatureKey}`,
          `  sha256     ${artifact.sha256}`,
          `  deployment ${name}`,
        ].join('\n'),
      );
      if (!values.wait) return ExitCode.ok;

      const executionArn = executionArnFor(settings.stateMachineArn(), name);
      const execution = await waitForStart(executionArn);
      io.out(renderExecutionEnd(execution));
      return execution.status === 'SUCCEEDED' ? ExitCode.ok : ExitCode.failed;
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  },
};

/** The upload starts the execution through EventBridge a moment later: wait for it to exist. */
async function waitForStart(executionArn: string) {
  for (let attempt = 0; ; attempt += 1) {
    try {
      return await waitForExecution(cliClients.sfn(), executionArn, { pollMs: 1000 });
    } catch (error) {
      if ((error as Error).name !== 'ExecutionDoesNotExist' || attempt >= 60) throw error;
      await new Promise((done) => setTimeout(done, 1000));
    }
  }
}

function versionNote(versionId: string | null): string {
  return versionId === null ? '' : ` (version ${versionId})`;
}
