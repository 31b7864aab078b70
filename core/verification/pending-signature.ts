import type * as openpgp from 'openpgp';
import { type KmsSignatureDocument, parseKmsSignature } from './kms-signature.ts';
import { decideKmsSignature } from './kms-verdict.ts';
import { readDetachedSignature } from './openpgp-signature.ts';
import { decideSignature, findTrustedPackets, needsDigest } from './signature-verdict.ts';
import { trustedKeyEntries, trustedKmsKeyEntries } from './trusted-keys.ts';
import type { Signer, VerifyArtifactInput } from './types.ts';

/**
 * A signature read before the artifact's pass, its verdict left for after it. A malformed
 * signature is remembered, not thrown: a failed read of the artifact outranks it.
 */
export interface PendingSignature {
  /** OpenPGP packets whose digests the pass computes; none for a KMS signature. */
  readonly digestPackets: readonly openpgp.SignaturePacket[];
  /** After the pass: the signer, or the signature's refusal. */
  decide(
    artifactDigest: Uint8Array,
    packetDigests: ReadonlyMap<openpgp.SignaturePacket, Uint8Array>,
  ): Promise<Signer>;
}

/** Reads the signature object as its format says: OpenPGP packets or a KMS document. */
export async function readPendingSignature(input: VerifyArtifactInput): Promise<PendingSignature> {
  return input.signatureFormat === 'kms' ? pendingKms(input) : pendingOpenPgp(input);
}

async function pendingOpenPgp(input: VerifyArtifactInput): Promise<PendingSignature> {
  const { app } = input;
  const read = await readDetachedSignature(app, input.signature).then(
    (packets) => ({ packets }),
    (error: unknown) => ({ error, packets: [] as readonly openpgp.SignaturePacket[] }),
  );
  const trustedPackets = findTrustedPackets(read.packets, trustedKeyEntries(input.trustedKeys));
  return {
    digestPackets: trustedPackets.filter(needsDigest).map(({ packet }) => packet),
    decide: async (_artifactDigest, digests) => {
      if ('error' in read) throw read.error;
      return decideSignature({
        app,
        packets: read.packets,
        trustedPackets,
        trustedLabels: input.trustedKeys.labels,
        digests,
      });
    },
  };
}

function pendingKms(input: VerifyArtifactInput): PendingSignature {
  const { app } = input;
  let read: { document: KmsSignatureDocument } | { error: unknown };
  try {
    read = { document: parseKmsSignature(app, input.signature) };
  } catch (error) {
    read = { error };
  }
  return {
    digestPackets: [],
    decide: async (artifactDigest) => {
      if ('error' in read) throw read.error;
      return decideKmsSignature({
        app,
        document: read.document,
        entries: trustedKmsKeyEntries(input.trustedKeys),
        trustedLabels: input.trustedKeys.labels,
        digest: artifactDigest,
        verifier: input.kmsVerifier,
      });
    },
  };
}
