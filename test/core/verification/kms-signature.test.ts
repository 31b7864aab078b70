import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  formatKmsSignature,
  type KmsVerifier,
  kmsVerifier,
  type ParsedTrustedKeys,
  parseTrustedKeys,
  type VerifyArtifactInput,
  verifyArtifactStream,
} from '../../../core/verification/index.ts';
import { kmsSignatureDocument } from '../../../release/kms-sign.ts';
import { type LocalKms, startLocalKms } from '../../helpers/local-kms.ts';
import { buildTar, gzip, tarEntry } from '../../helpers/tar-builder.ts';
import {
  chunksOf,
  expectError,
  gnuTarGz,
  rejectionOf,
  releaseRootEntries,
  releaseTree,
} from './fixtures.ts';

const sha256Hex = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');
const text = (value: string) => new TextEncoder().encode(value);

describe('verifyArtifactStream with a KMS signature document', () => {
  let kms: LocalKms;
  let keyArn: string;
  let otherArn: string;
  let trusted: ParsedTrustedKeys;
  let artifact: Uint8Array;
  let document: Uint8Array;
  let verifier: KmsVerifier;
  let questions: number;

  const signed = async (bytes: Uint8Array, key = keyArn) =>
    text(await kmsSignatureDocument(kms.client, { keyId: key, sha256: sha256Hex(bytes) }));
  const verify = (overrides: Partial<VerifyArtifactInput> & { bytes?: Uint8Array } = {}) => {
    const bytes = overrides.bytes ?? artifact;
    return verifyArtifactStream({
      app: 'web',
      artifact: chunksOf(bytes),
      expectedSize: bytes.length,
      signature: document,
      signatureFormat: 'kms',
      trustedKeys: trusted,
      kmsVerifier: verifier,
      ...overrides,
    });
  };

  beforeAll(async () => {
    kms = await startLocalKms();
    keyArn = await kms.createSigningKey('release');
    otherArn = await kms.createSigningKey('other');
    trusted = await parseTrustedKeys('web', [], [{ label: 'release', keyArn }]);
    artifact = await gnuTarGz(releaseTree());
    document = await signed(artifact);
    const real = kmsVerifier(() => kms.client);
    verifier = (request) => {
      questions += 1;
      return real(request);
    };
  });

  afterAll(async () => {
    await kms.close();
  });

  it('returns the KMS signer and the digest KMS confirmed, asking KMS once', async () => {
    // Prepare
    questions = 0;

    // Act
    const verified = await verify();

    // Assess
    expect(verified.signer).toEqual({ type: 'kms', keyArn, label: 'release', signedAt: null });
    expect(verified.sha256).toBe(sha256Hex(artifact));
    expect(questions).toBe(1);
  });

  it('accepts a document written with a UTF-8 byte order mark, as some editors save it', async () => {
    // Prepare
    const withBom = Uint8Array.from([0xef, 0xbb, 0xbf, ...document]);

    // Act
    const verified = await verify({ signature: withBom });

    // Assess
    expect(verified.signer).toMatchObject({ type: 'kms', keyArn });
  });

  it('refuses a document naming a key the app does not trust, without asking KMS', async () => {
    // Prepare
    questions = 0;
    const byOther = await signed(artifact, otherArn);

    // Act
    const error = await rejectionOf(verify({ signature: byOther }));

    // Assess
    expectError(error, 'SignerNotTrusted', otherArn, 'trusted: release');
    expect(questions).toBe(0);
  });

  it('refuses a genuine document with its keyArn swapped for a trusted one: SignatureInvalid', async () => {
    // Prepare: the keyArn only picks the key to ask; KMS decides.
    const byOther = JSON.parse(new TextDecoder().decode(await signed(artifact, otherArn)));
    const relabelled = text(JSON.stringify({ ...byOther, keyArn }));

    // Act
    const error = await rejectionOf(verify({ signature: relabelled }));

    // Assess
    expectError(error, 'SignatureInvalid', 'KMS did not confirm it');
  });

  it.each<{ label: string; document: () => Uint8Array; fragment: string }>([
    { label: 'an empty object', document: () => new Uint8Array(), fragment: 'is empty' },
    {
      label: 'text that is not JSON',
      document: () => text('not json'),
      fragment: 'not UTF-8 JSON',
    },
    {
      label: 'bytes that are not UTF-8',
      document: () => Uint8Array.of(0x7b, 0xff, 0x7d),
      fragment: 'not UTF-8 JSON',
    },
    { label: 'a JSON array', document: () => text('[]'), fragment: 'not a JSON object' },
    {
      label: 'a missing field',
      document: () => edited({ signature: undefined }),
      fragment: 'missing signature',
    },
    {
      label: 'an unknown field',
      document: () => edited({ signedAt: '2026-12-04T16:00:00Z' }),
      fragment: 'unknown "signedAt"',
    },
    {
      label: 'another format',
      document: () => edited({ format: 'signet-kms-signature-v2' }),
      fragment: 'has format "signet-kms-signature-v2"',
    },
    {
      label: 'another algorithm',
      document: () => edited({ algorithm: 'RSASSA_PSS_SHA_256' }),
      fragment: 'names algorithm "RSASSA_PSS_SHA_256"',
    },
    {
      label: 'an alias instead of a key ARN',
      document: () => edited({ keyArn: 'arn:aws:kms:us-east-1:123456789012:alias/release' }),
      fragment: 'not a KMS key ARN',
    },
    {
      label: 'a signature that is not base64',
      document: () => edited({ signature: 'MEUCIQ*=' }),
      fragment: 'not base64',
    },
    {
      label: 'base64 of bytes that are not a DER ECDSA signature',
      document: () => edited({ signature: Buffer.from('hello world').toString('base64') }),
      fragment: 'not a DER-encoded P-256 ECDSA signature',
    },
    {
      label: 'a DER signature with bytes after it',
      document: () =>
        edited({ signature: Buffer.concat([der(), Buffer.of(0)]).toString('base64') }),
      fragment: 'not a DER-encoded P-256 ECDSA signature',
    },
  ])(
    'refuses $label as SignatureMalformed, without asking KMS',
    async ({ document: make, fragment }) => {
      // Prepare
      questions = 0;

      // Act
      const error = await rejectionOf(verify({ signature: make() }));

      // Assess
      expectError(error, 'SignatureMalformed', fragment);
      expect(questions).toBe(0);
    },
  );

  it('names a short read before a malformed document', async () => {
    // Act
    const error = await rejectionOf(
      verify({ signature: text('junk'), expectedSize: artifact.length + 1 }),
    );

    // Assess
    expectError(error, 'ArtifactReadIncomplete');
  });

  it('names a KMS refusal before an unsafe archive, and the archive once KMS vouched for it', async () => {
    // Prepare
    const unsafe = gzip(
      buildTar([...releaseRootEntries(), tarEntry({ name: '../escape.sh', data: 'x' })]),
    );
    const genuine = await signed(unsafe);
    const forOther = await signed(artifact);

    // Act
    const refused = await rejectionOf(verify({ bytes: unsafe, signature: forOther }));
    const vouched = await rejectionOf(verify({ bytes: unsafe, signature: genuine }));

    // Assess
    expectError(refused, 'SignatureInvalid');
    expectError(vouched, 'UnsafeArchiveEntry');
  });

  it('refuses a KMS signature when no KMS verifier is given, as ConfigInvalid', async () => {
    // Act
    const error = await rejectionOf(
      verifyArtifactStream({
        app: 'web',
        artifact: chunksOf(artifact),
        expectedSize: artifact.length,
        signature: document,
        signatureFormat: 'kms',
        trustedKeys: trusted,
      }),
    );

    // Assess
    expectError(error, 'ConfigInvalid', 'no KMS client was given');
  });

  it('reads a .kms.json given as OpenPGP as a malformed OpenPGP signature', async () => {
    // Act
    const error = await rejectionOf(verify({ signatureFormat: 'openpgp' }));

    // Assess
    expectError(error, 'SignatureMalformed', 'is not an OpenPGP signature');
  });

  it('writes the document as its four fields in order, with a trailing newline', () => {
    // Act
    const written = formatKmsSignature({ keyArn, signature: Uint8Array.of(1, 2, 3) });

    // Assess
    expect(written).toBe(
      `{\n  "format": "signet-kms-signature-v1",\n  "keyArn": "${keyArn}",\n` +
        '  "algorithm": "ECDSA_SHA_256",\n  "signature": "AQID"\n}\n',
    );
  });

  function fields(): Record<string, unknown> {
    return JSON.parse(new TextDecoder().decode(document)) as Record<string, unknown>;
  }

  function edited(changes: Record<string, unknown>): Uint8Array {
    return text(JSON.stringify({ ...fields(), ...changes }));
  }

  function der(): Buffer {
    return Buffer.from(String(fields()['signature']), 'base64');
  }
});
