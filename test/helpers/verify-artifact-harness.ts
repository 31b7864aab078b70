import { createHash } from 'node:crypto';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SSMClient } from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { DeploymentRequest } from '../../core/deployment-request.ts';
import { artifactKey } from '../../core/release-names.ts';
import type { DeployedRelease, ReleaseRecord } from '../../core/release-record.ts';
import { verifyArtifact } from '../../functions/verify-artifact/handler.ts';
import { kmsSignatureDocument } from '../../release/kms-sign.ts';
import { packageRelease } from '../../release/package-release.ts';
import { stubAppParameters } from './app-parameters.ts';
import { FakeBucket, type StoredObject } from './fake-bucket.ts';
import { GpgHome, type GpgKey } from './gpg.ts';
import { type LocalKms, startLocalKms } from './local-kms.ts';

const EXAMPLE_APP = join(import.meta.dirname, '../../examples/web');
export const BUCKET = 'artifacts';
export const KEY = artifactKey({ app: 'web', version: '1.4.0' });
/** A digest no artifact here has. */
export const OTHER_SHA = 'b'.repeat(64);

/** A packaged, signed release: its bytes, digest and detached signatures. */
export interface Signed {
  readonly bytes: Uint8Array;
  readonly sha256: string;
  readonly sig: Uint8Array;
  readonly asc: Uint8Array;
}

export const sha256Of = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
/** S3 stores x-amz-checksum-sha256 as base64 of the digest. */
export const base64Of = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

export function deployed(version: string, sha256: string): DeployedRelease {
  return {
    version,
    bucket: BUCKET,
    key: artifactKey({ app: 'web', version }),
    versionId: `v-${version}`,
    etag: `etag-${version}`,
    sha256,
    signer: 'F'.repeat(40),
    signatureKey: null,
    signatureVersionId: null,
    deployedAt: '2026-12-01T09:00:00.000Z',
    execution: 'arn:aws:states:us-east-1:000000000000:execution:signet-deploy:earlier',
  };
}

/** The record of app web with `current` deployed and nothing before it. */
export function recordWith(current: DeployedRelease, previous: DeployedRelease | null = null) {
  return { app: 'web', current, previous, highestVersion: current.version } satisfies ReleaseRecord;
}

/** A request for web 1.4.0 pinned to version v-1.4.0, as NormalizeInput makes it. */
export function request(overrides: Partial<DeploymentRequest> = {}): DeploymentRequest {
  return {
    app: 'web',
    version: '1.4.0',
    bucket: BUCKET,
    key: KEY,
    versionId: 'v-1.4.0',
    etag: 'etag-1.4.0',
    intent: 'release',
    requestedBy: 'ci',
    source: 'eventbridge',
    expectedSha256: null,
    signature: null,
    ...overrides,
  };
}

/**
 * The verify-artifact handler with S3 and SSM mocked: real releases packaged from examples/web
 * and signed by gpg, a fake bucket holding web 1.4.0 and its `.sig`, and app web configured to
 * trust the `ci` key. KMS is the local control plane's, with a real KMSClient: two signing
 * keys, `kmsReleaseKey` and `kmsStrangerKey`, neither trusted until givenApp says so.
 * Registers its own vitest hooks; call it once inside a describe.
 */
export class VerifyArtifactHarness {
  readonly s3 = mockClient(S3Client);
  readonly ssm = mockClient(SSMClient);
  readonly verify = verifyArtifact({
    s3: () => new S3Client({ region: 'us-east-1' }),
    ssm: () => new SSMClient({ region: 'us-east-1' }),
    kms: () => this.kms.client,
    parameterPrefix: () => '/signet',
  });
  kms!: LocalKms;
  kmsReleaseKey!: string;
  kmsStrangerKey!: string;
  bucket!: FakeBucket;
  ci!: GpgKey;
  ciPublicKey!: string;
  /** web 1.4.0 signed by ci. */
  web!: Signed;
  /** api 1.4.0 signed by ci. */
  otherApp!: Signed;
  /** web 1.4.0 signed by ci, whose appspec names a hook script it does not hold. */
  missingHook!: Signed;
  /** A signature of web's bytes by a key no app trusts. */
  byStranger!: Uint8Array;
  #work = '';
  #gpg: GpgHome | undefined;

  static use(): VerifyArtifactHarness {
    const harness = new VerifyArtifactHarness();
    beforeAll(() => harness.#build());
    afterAll(() => harness.#dispose());
    beforeEach(() => harness.#reset());
    return harness;
  }

  /** Stores the artifact at `key` with its `.sig`, as an upload to a versioned bucket does. */
  upload(key: string, release: Signed, extra: Partial<StoredObject> = {}): void {
    const version = /-(\d[^/]*)\.tar\.gz$/.exec(key)?.[1] ?? '1.4.0';
    this.bucket.put(key, {
      bytes: release.bytes,
      versionId: `v-${version}`,
      etag: `etag-${version}`,
      checksumSha256: base64Of(release.sha256),
      ...extra,
    });
    this.bucket.put(`${key}.sig`, { bytes: release.sig, versionId: 'sig-1', etag: 'sig-etag' });
  }

  /** Stores the artifact at `key` with a `.kms.json` next to it (and no OpenPGP signature). */
  uploadWithKmsSignature(key: string, release: Signed, document: Uint8Array): void {
    this.upload(key, release);
    this.bucket.objects.delete(`${key}.sig`);
    this.bucket.put(`${key}.kms.json`, { bytes: document, versionId: 'kms-1', etag: 'kms-etag' });
  }

  /** A `.kms.json` document: KMS's signature of the release's digest by `keyArn`. */
  async kmsSigned(release: Signed, keyArn = this.kmsReleaseKey): Promise<Uint8Array> {
    const text = await kmsSignatureDocument(this.kms.client, {
      keyId: keyArn,
      sha256: release.sha256,
    });
    return new TextEncoder().encode(text);
  }

  /** App web's parameters: an empty config and the ci key unless told otherwise. */
  givenApp(values: {
    config?: unknown;
    keys?: Record<string, string>;
    kmsKeys?: Record<string, string>;
    record?: ReleaseRecord;
  }) {
    this.ssm.reset();
    stubAppParameters(this.ssm, { config: {}, keys: { ci: this.ciPublicKey }, ...values });
  }

  /** Keys of every GetObject, in order. */
  getKeys(): (string | undefined)[] {
    return this.s3.commandCalls(GetObjectCommand).map((call) => call.args[0].input.Key);
  }

  getInput(key: string) {
    return this.s3.commandCalls(GetObjectCommand).find((call) => call.args[0].input.Key === key)
      ?.args[0].input;
  }

  headInputs() {
    return this.s3.commandCalls(HeadObjectCommand).map((call) => call.args[0].input);
  }

  async #build(): Promise<void> {
    this.#work = await mkdtemp(join(tmpdir(), 'signet-verify-handler-'));
    this.kms = await startLocalKms();
    this.kmsReleaseKey = await this.kms.createSigningKey('release');
    this.kmsStrangerKey = await this.kms.createSigningKey('stranger');
    const gpg = await GpgHome.create();
    this.#gpg = gpg;
    this.ci = await gpg.generateKey({ userId: 'CI <ci@example.test>', algorithm: 'ed25519' });
    const stranger = await gpg.generateKey({
      userId: 'Eve <eve@example.test>',
      algorithm: 'ed25519',
    });
    this.ciPublicKey = await gpg.exportPublicKey(this.ci.fingerprint);
    this.web = await this.#packageSigned('web', EXAMPLE_APP, 'web');
    this.otherApp = await this.#packageSigned('api', EXAMPLE_APP, 'api');
    const withoutHook = join(this.#work, 'without-hook');
    await cp(EXAMPLE_APP, withoutHook, { recursive: true });
    await rm(join(withoutHook, 'hooks/before-install.sh'));
    this.missingHook = await this.#packageSigned('web', withoutHook, 'missing-hook');
    this.byStranger = await gpg.detachSignBytes(this.web.bytes, {
      signer: stranger.fingerprint,
    });
  }

  async #packageSigned(app: string, sourceDir: string, name: string): Promise<Signed> {
    const gpg = this.#gpg as GpgHome;
    const file = join(this.#work, `${name}.tar.gz`);
    const packaged = await packageRelease({ sourceDir, app, version: '1.4.0', outFile: file });
    return {
      bytes: new Uint8Array(await readFile(file)),
      sha256: packaged.sha256,
      sig: await gpg.detachSign(file, { signer: this.ci.fingerprint }),
      asc: await gpg.detachSign(file, { signer: this.ci.fingerprint, armor: true }),
    };
  }

  #reset(): void {
    this.s3.reset();
    this.bucket = new FakeBucket(this.s3);
    this.upload(KEY, this.web);
    this.givenApp({});
  }

  async #dispose(): Promise<void> {
    await this.#gpg?.dispose();
    await this.kms?.close();
    await rm(this.#work, { recursive: true, force: true });
  }
}
