/**
 * One local stack per security test file, with what every hostile-input case needs: a gpg home
 * whose key `ci` is trusted for the stack's apps, clients pointed at the stack, and a way to
 * release arbitrary bytes under any key and wait for the deployment they start.
 *
 * @example
 * const h = await SecurityStack.start('signatures');
 * const version = h.nextVersion();
 * const artifact = await h.packageExample({ app: 'web', version });
 * const run = await h.release({ app: 'web', version, artifact, signature: await h.sign(artifact) });
 * await h.close();
 */
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { artifactKey } from '../../../core/release-names.ts';
import { readReleaseRecord } from '../../../core/release-record.ts';
import { EXAMPLE_APP_DIR, LOCAL_APP_CONFIG, registerApp } from '../../../local/example-app.ts';
import { startLocalStack } from '../../../local/stack/local-stack.ts';
import type { LocalStack, LocalStackOptions } from '../../../local/stack/options.ts';
import type { ExecutionRecord } from '../../../local/stepfunctions/execution-record.ts';
import { packageRelease } from '../../../release/package-release.ts';
import { GpgHome, type GpgKey, type SignOptions } from '../../helpers/gpg.ts';
import { waitForUpload } from './deployments.ts';

/**
 * The example app's local configuration without the bake time: a healthy release is healthy
 * at once here, and the suite deploys a few dozen of them.
 */
export const SECURITY_APP_CONFIG = {
  ...LOCAL_APP_CONFIG,
  health: { ...LOCAL_APP_CONFIG.health, bakeSeconds: 0 },
};

export interface PinnedUpload {
  readonly bucket: string;
  readonly key: string;
  readonly versionId: string | null;
  readonly etag: string;
}

export interface ReleaseInput {
  readonly app: string;
  readonly version: string;
  readonly artifact: Uint8Array;
  /** Absent: no signature object is uploaded at all. */
  readonly signature?: Uint8Array;
  /** Default `.sig`. */
  readonly signatureSuffix?: '.sig' | '.asc' | '.kms.json';
  /** Upload the signature only after the deployment has started (default: before). */
  readonly signatureLate?: boolean;
}

export interface ReleaseRun {
  readonly upload: PinnedUpload;
  readonly execution: ExecutionRecord;
}

export interface StartOptions {
  /** Default: app `web` on one instance. */
  readonly apps?: LocalStackOptions['apps'];
  /** Apps that get configuration and the `ci` key without any instance. */
  readonly extraApps?: readonly string[];
  readonly timing?: LocalStackOptions['timing'];
  /** Replaces the local secret access key every client signs with, to trace where it goes. */
  readonly secretAccessKey?: string;
}

export class SecurityStack {
  readonly stack: LocalStack;
  readonly gpg: GpgHome;
  /** The key trusted (label `ci`) for every app this stack registers. */
  readonly ci: GpgKey;
  readonly work: string;
  readonly s3 = new S3Client({});
  readonly ssm = new SSMClient({});
  readonly dynamodb = new DynamoDBClient({});
  #versions = 0;

  private constructor(stack: LocalStack, gpg: GpgHome, ci: GpgKey, work: string) {
    this.stack = stack;
    this.gpg = gpg;
    this.ci = ci;
    this.work = work;
  }

  static async start(name: string, options: StartOptions = {}): Promise<SecurityStack> {
    const work = await mkdtemp(join(tmpdir(), `signet-security-${name}-`));
    const stack = await startLocalStack({
      stateDir: join(work, 'state'),
      apps: options.apps ?? [{ name: 'web', instances: 1 }],
      timing: { waitMs: 50, retryMs: 50, signatureRetryMs: 100, ...options.timing },
    });
    // Before any client exists: handlers make theirs on first use, from this environment.
    if (options.secretAccessKey !== undefined) {
      process.env['AWS_SECRET_ACCESS_KEY'] = options.secretAccessKey;
    }
    const gpg = await GpgHome.create();
    const ci = await gpg.generateKey({ userId: 'CI <ci@signet.invalid>', algorithm: 'ed25519' });
    const h = new SecurityStack(stack, gpg, ci, work);
    const apps = [
      ...(options.apps ?? [{ name: 'web' }]).map((a) => a.name),
      ...(options.extraApps ?? []),
    ];
    for (const app of apps) await h.registerApp(app);
    return h;
  }

  /** Configuration plus trusted keys for an app; `ci` unless other keys are given. */
  async registerApp(
    app: string,
    options: {
      readonly config?: unknown;
      readonly trustedKeys?: readonly { label: string; armoredPublicKey: string }[];
    } = {},
  ): Promise<void> {
    await registerApp(this.ssm, {
      prefix: '/signet',
      app,
      config: options.config ?? SECURITY_APP_CONFIG,
      trustedKeys: options.trustedKeys ?? [
        { label: 'ci', armoredPublicKey: await this.gpg.exportPublicKey(this.ci.fingerprint) },
      ],
    });
  }

  /** A fresh version, newer than every one this stack released before. */
  nextVersion(): string {
    this.#versions += 1;
    return `1.${this.#versions}.0`;
  }

  /**
   * The example app packaged as `signet release` does. The signed metadata says `signedAs`
   * (default: app and version), plus any extra files; `unhealthy` fails its health check.
   */
  async packageExample(options: {
    readonly app: string;
    readonly version: string;
    readonly signedAs?: { readonly app: string; readonly version: string };
    readonly extraFiles?: Readonly<Record<string, string | Uint8Array>>;
    readonly unhealthy?: boolean;
  }): Promise<Uint8Array> {
    const dir = await mkdtemp(join(this.work, 'package-'));
    try {
      const source = join(dir, 'source');
      await cp(EXAMPLE_APP_DIR, source, { recursive: true });
      const extra = { ...options.extraFiles };
      if (options.unhealthy) extra['config/unhealthy'] = 'answers /health with 503\n';
      for (const [path, content] of Object.entries(extra)) {
        await mkdir(dirname(join(source, path)), { recursive: true });
        await writeFile(join(source, path), content);
      }
      const signedAs = options.signedAs ?? options;
      const packaged = await packageRelease({
        sourceDir: source,
        app: signedAs.app,
        version: signedAs.version,
        outFile: join(dir, 'artifact.tar.gz'),
      });
      return new Uint8Array(await readFile(packaged.file));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  /** A detached signature by `ci` (or another signer) over the bytes. */
  sign(bytes: Uint8Array, options: Partial<SignOptions> = {}): Promise<Uint8Array> {
    return this.gpg.detachSignBytes(bytes, { signer: this.ci.fingerprint, ...options });
  }

  async put(key: string, body: Uint8Array | string): Promise<PinnedUpload> {
    const result = await this.s3.send(
      new PutObjectCommand({ Bucket: this.stack.bucket, Key: key, Body: body }),
    );
    return {
      bucket: this.stack.bucket,
      key,
      versionId: result.VersionId ?? null,
      etag: (result.ETag ?? '').replaceAll('"', ''),
    };
  }

  /** Uploads artifact and signature under the release's key, then waits for the deployment. */
  async release(input: ReleaseInput): Promise<ReleaseRun> {
    const { upload, started } = await this.upload(input);
    return { upload, execution: await this.stack.stepFunctions.waitFor(started.executionArn) };
  }

  /** Uploads like `release`, returning once the deployment has started. */
  async upload(input: ReleaseInput): Promise<{ upload: PinnedUpload; started: ExecutionRecord }> {
    const key = artifactKey(input);
    const signatureKey = `${key}${input.signatureSuffix ?? '.sig'}`;
    if (input.signature !== undefined && !input.signatureLate) {
      await this.put(signatureKey, input.signature);
    }
    const upload = await this.put(key, input.artifact);
    const started = await waitForUpload(this.stack, input, upload);
    if (input.signature !== undefined && input.signatureLate) {
      await this.put(signatureKey, input.signature);
    }
    return { upload, started };
  }

  async releaseRecord(app: string) {
    return readReleaseRecord(this.ssm, '/signet', app);
  }

  async close(): Promise<void> {
    this.s3.destroy();
    this.ssm.destroy();
    this.dynamodb.destroy();
    await this.stack.close();
    await this.gpg.dispose();
    await rm(this.work, { recursive: true, force: true });
  }
}
