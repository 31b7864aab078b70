import * as openpgp from 'openpgp';
import {
  SignatureInvalid,
  SignatureWeakHash,
  SignerExpired,
  SignerNotTrusted,
  SignerRevoked,
  type SignetErrorClass,
} from '../errors.ts';
import { messageOf } from './messages.ts';
import { internalsOf } from './openpgp-signature.ts';
import { digestUnsupportedReason, WEAK_HASHES } from './signature-digests.ts';
import { signerKeyProblem } from './signer-key-status.ts';
import type { TrustedKeyEntry } from './trusted-keys.ts';
import type { OpenPgpSigner } from './types.ts';

/**
 * A signature made on a machine whose clock runs a little ahead of ours is not "from the
 * future": S3 uploads land seconds after signing, and laptops drift by a minute or more.
 */
const CLOCK_SKEW_ALLOWANCE_MS = 5 * 60 * 1000;

/** A signature packet whose issuer is one of the app's trusted keys. */
export interface TrustedPacket {
  readonly packet: openpgp.SignaturePacket;
  readonly trusted: TrustedKeyEntry;
  /** The primary key or subkey the packet names as its issuer. */
  readonly issuer: openpgp.PublicKey | openpgp.Subkey;
}

/**
 * Pairs each packet with the trusted key that issued it; packets from other keys are left out.
 * Key ids are compared exactly: openpgp's own lookup treats an all-zero (wildcard) issuer as
 * matching every key, which would pin an anonymous packet on a trusted signer.
 */
export function findTrustedPackets(
  packets: readonly openpgp.SignaturePacket[],
  entries: readonly TrustedKeyEntry[],
): TrustedPacket[] {
  const found: TrustedPacket[] = [];
  for (const packet of packets) {
    for (const trusted of entries) {
      const issuer = trusted.key.getKeys().find((key) => key.getKeyID().equals(packet.issuerKeyID));
      if (issuer !== undefined) {
        found.push({ packet, trusted, issuer });
        break;
      }
    }
  }
  return found;
}

/** Whether the packet gets a digest on the artifact's pass; the others fail before needing one. */
export function needsDigest({ packet }: TrustedPacket): boolean {
  return (
    packet.signatureType === openpgp.enums.signature.binary &&
    !WEAK_HASHES.has(packet.hashAlgorithm ?? -1) &&
    digestUnsupportedReason(packet) === null
  );
}

export interface SignatureVerdictInput {
  readonly app: string;
  readonly packets: readonly openpgp.SignaturePacket[];
  readonly trustedPackets: readonly TrustedPacket[];
  readonly trustedLabels: readonly string[];
  readonly digests: ReadonlyMap<openpgp.SignaturePacket, Uint8Array>;
}

/**
 * Decides who signed the artifact. Every packet from a trusted key is judged, and all must be
 * valid: one bad packet from a trusted key means someone tampered with something the app
 * trusts, so the artifact is refused even if another packet is good. Packets from unknown keys
 * are ignored; without any packet from a trusted key the signer is not trusted.
 */
export async function decideSignature(input: SignatureVerdictInput): Promise<OpenPgpSigner> {
  const { app, packets, trustedPackets, trustedLabels } = input;
  if (trustedPackets.length === 0) {
    const issuers = packets.map((packet) => packet.issuerKeyID.toHex().toUpperCase());
    throw new SignerNotTrusted(
      `app ${app}: the signature was made by key ${issuers.join(', ')}, ` +
        `none of which is trusted for this app (trusted: ${trustedLabels.join(', ')})`,
      { details: { app, issuerKeyIds: issuers, trustedLabels } },
    );
  }
  const verdicts = await Promise.all(
    trustedPackets.map((trustedPacket) =>
      judgePacket(app, trustedPacket, input.digests.get(trustedPacket.packet)).then(
        (signer) => ({ signer }),
        (error: unknown) => ({ error }),
      ),
    ),
  );
  const refusal = verdicts.find((verdict) => 'error' in verdict);
  if (refusal !== undefined) throw refusal.error;
  const accepted = verdicts[0];
  if (accepted === undefined || !('signer' in accepted)) throw new Error('no verdict');
  return accepted.signer;
}

async function judgePacket(
  app: string,
  { packet, trusted, issuer }: TrustedPacket,
  digest: Uint8Array | undefined,
): Promise<OpenPgpSigner> {
  const keyId = issuer.getKeyID().toHex().toUpperCase();
  const where = `app ${app}: the signature by trusted key "${trusted.label}" (${keyId})`;
  const details = { app, label: trusted.label, keyId };
  const refuse = (ErrorClass: SignetErrorClass, reason: string, cause?: unknown) =>
    new ErrorClass(`${where} ${reason}`, { details, ...(cause === undefined ? {} : { cause }) });

  if (packet.signatureType !== openpgp.enums.signature.binary) {
    throw refuse(SignatureInvalid, signatureTypeReason(packet.signatureType));
  }
  const weakHash = WEAK_HASHES.get(packet.hashAlgorithm ?? -1);
  if (weakHash !== undefined) {
    throw refuse(SignatureWeakHash, `uses the weak hash ${weakHash}: sign with SHA-256 or better`);
  }
  const unsupported = digestUnsupportedReason(packet);
  if (unsupported !== null || digest === undefined) {
    throw refuse(SignatureInvalid, `cannot be checked: ${unsupported ?? 'no digest was computed'}`);
  }
  const created = packet.created;
  if (created === null) throw refuse(SignatureInvalid, 'has no creation time');
  const keyProblem = await signerKeyProblem(trusted.key, issuer, created);
  if (keyProblem?.kind === 'revoked') throw refuse(SignerRevoked, keyProblem.reason);
  if (keyProblem?.kind === 'expired') throw refuse(SignerExpired, keyProblem.reason);

  let signingKey: openpgp.PublicKey | openpgp.Subkey;
  try {
    signingKey = await signingKeyAt(trusted.key, packet.issuerKeyID, created);
  } catch (error) {
    const reason = `comes from a key that could not sign then: ${messageOf(error)}`;
    throw refuse(SignatureInvalid, reason, error);
  }
  internalsOf(packet).hashed = digest;
  try {
    const now = new Date(Date.now() + CLOCK_SKEW_ALLOWANCE_MS);
    // No data: openpgp reads the digest from the `hashed` hook set above instead.
    const noData = undefined as unknown as Uint8Array;
    await packet.verify(signingKey.keyPacket, openpgp.enums.signature.binary, noData, now, true);
  } catch (error) {
    const message = messageOf(error);
    const mismatch = /digest did not match|verification failed/i.test(message);
    const reason = mismatch ? 'does not match the artifact' : 'is not valid now';
    throw refuse(SignatureInvalid, `${reason}: ${message}`, error);
  }
  return {
    type: 'openpgp',
    label: trusted.label,
    fingerprint: trusted.key.getFingerprint().toUpperCase(),
    keyId: signingKey.getKeyID().toHex().toUpperCase(),
    userIds: trusted.key.getUserIDs(),
    signedAt: created.toISOString(),
  };
}

/**
 * The (sub)key valid for signing when the signature was made. gpg replaces a key's
 * self-signature when its expiry is changed, so a signature older than that change finds no
 * self-signature of its time; like openpgp's allowInsecureVerificationWithReformattedKeys, the
 * key's current self-signature is then used. Revocation and expiry at signing time were
 * already checked against the current self-signatures by signerKeyProblem.
 */
async function signingKeyAt(
  key: openpgp.PublicKey,
  keyId: openpgp.KeyID,
  signedAt: Date,
): Promise<openpgp.PublicKey | openpgp.Subkey> {
  try {
    return await key.getSigningKey(keyId, signedAt);
  } catch (error) {
    if (!messageOf(error).includes('Signature creation time is in the future')) throw error;
    return key.getSigningKey(keyId, new Date());
  }
}

function signatureTypeReason(signatureType: openpgp.enums.signature | null): string {
  const hex = `0x${(signatureType ?? 0).toString(16).padStart(2, '0')}`;
  if (signatureType === openpgp.enums.signature.text) {
    return (
      `is a text-mode signature (type ${hex}), which signs the text with normalised line ` +
      'endings, not the exact bytes: sign with `gpg --detach-sign`, without --textmode'
    );
  }
  return `has type ${hex}, not a signature of a binary document (0x00)`;
}
