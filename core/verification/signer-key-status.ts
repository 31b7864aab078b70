import type * as openpgp from 'openpgp';

export interface SignerKeyProblem {
  readonly kind: 'revoked' | 'expired';
  readonly reason: string;
}

/**
 * Whether the signing key was revoked, or had expired when the signature was made. Checked
 * explicitly so the refusal names which (openpgp's getSigningKey only says it cannot sign).
 *
 * Revocation is judged as openpgp and RFC 9580 do: a hard revocation (compromise, or no reason
 * given, which is what gpg's stock revocation certificate says) voids every signature ever
 * made; a soft one (key retired or superseded) only those made after it. Expiry uses the
 * newest self-signature, so a key whose expiry was extended later counts as extended.
 */
export async function signerKeyProblem(
  primary: openpgp.PublicKey,
  issuer: openpgp.PublicKey | openpgp.Subkey,
  signedAt: Date,
): Promise<SignerKeyProblem | null> {
  if (await primary.isRevoked(undefined, undefined, signedAt)) {
    return { kind: 'revoked', reason: 'comes from a revoked key' };
  }
  const isSubkey = issuer !== primary;
  // openpgp types `signature` as required, but any revocation counts when it is omitted.
  const anyRevocation = undefined as unknown as openpgp.SignaturePacket;
  if (isSubkey && (await issuer.isRevoked(anyRevocation, primary.keyPacket, signedAt))) {
    return { kind: 'revoked', reason: 'comes from a revoked subkey' };
  }
  const expiries = [await primary.getExpirationTime()];
  if (isSubkey) expiries.push(await issuer.getExpirationTime());
  for (const expiry of expiries) {
    if (expiry instanceof Date && expiry.getTime() <= signedAt.getTime()) {
      return {
        kind: 'expired',
        reason:
          `was made at ${signedAt.toISOString()}, after its key expired ` +
          `at ${expiry.toISOString()}`,
      };
    }
  }
  return null;
}
