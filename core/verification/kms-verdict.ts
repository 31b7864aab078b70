import { ConfigInvalid, SignatureInvalid, SignerNotTrusted } from '../errors.ts';
import type { KmsSignatureDocument } from './kms-signature.ts';
import type { TrustedKmsKeyEntry } from './trusted-kms-keys.ts';
import type { KmsSigner, KmsVerifier } from './types.ts';

export interface KmsVerdictInput {
  readonly app: string;
  readonly document: KmsSignatureDocument;
  readonly entries: readonly TrustedKmsKeyEntry[];
  readonly trustedLabels: readonly string[];
  /** The artifact's raw SHA-256 digest, from the one streaming pass. */
  readonly digest: Uint8Array;
  readonly verifier: KmsVerifier | undefined;
}

/**
 * Decides who signed the artifact with KMS. The document's keyArn only picks which
 * allow-listed key to ask: a key not on the list is SignerNotTrusted and KMS is never asked;
 * KMS Verify is asked with the allow-listed ARN, and a signature it does not confirm is
 * SignatureInvalid.
 */
export async function decideKmsSignature(input: KmsVerdictInput): Promise<KmsSigner> {
  const { app, document } = input;
  const trusted = input.entries.find((entry) => entry.keyArn === document.keyArn);
  if (trusted === undefined) {
    throw new SignerNotTrusted(
      `app ${app}: the KMS signature names key ${document.keyArn}, which is not trusted for ` +
        `this app (trusted: ${input.trustedLabels.join(', ')})`,
      { details: { app, keyArn: document.keyArn, trustedLabels: input.trustedLabels } },
    );
  }
  const where = `app ${app}: the KMS signature by trusted key "${trusted.label}" (${trusted.keyArn})`;
  const details = { app, label: trusted.label, keyArn: trusted.keyArn };
  if (input.verifier === undefined) {
    throw new ConfigInvalid(`${where} cannot be checked: no KMS client was given`, { details });
  }
  const valid = await input.verifier({
    app,
    label: trusted.label,
    keyArn: trusted.keyArn,
    digest: input.digest,
    signature: document.signature,
  });
  if (!valid) {
    throw new SignatureInvalid(
      `${where} does not match the artifact: KMS did not confirm it over its SHA-256 digest`,
      { details },
    );
  }
  return { type: 'kms', keyArn: trusted.keyArn, label: trusted.label, signedAt: null };
}
