import { SignatureMalformed } from '../errors.ts';
import { SIGNATURE_MAX_BYTES } from './constants.ts';
import { decodeEcdsaDer } from './ecdsa-der.ts';
import { isKmsKeyArn, KMS_KEY_ARN_SHAPE } from './kms-key-arn.ts';
import { messageOf } from './messages.ts';

/** The `format` of a KMS signature document; a later format gets a new name. */
export const KMS_SIGNATURE_FORMAT = 'signet-kms-signature-v1';

/** The one KMS signing algorithm Signet accepts: ECDSA on P-256 over the SHA-256 digest. */
export const KMS_SIGNING_ALGORITHM = 'ECDSA_SHA_256';

/** A KMS signature document (`<artifact key>.kms.json`), read and checked. */
export interface KmsSignatureDocument {
  /** The key the signer names: a hint that picks an allow-listed key, never trust by itself. */
  readonly keyArn: string;
  /** The DER ECDSA signature KMS Sign returned, over the artifact's raw 32-byte digest. */
  readonly signature: Uint8Array;
}

const FIELDS = ['format', 'keyArn', 'algorithm', 'signature'] as const;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * The document `signet release --kms-key` uploads: one JSON object, its four fields in this
 * order, and a newline.
 *
 * @example
 * const text = formatKmsSignature({ keyArn, signature: new Uint8Array(signed.Signature) });
 */
export function formatKmsSignature(document: KmsSignatureDocument): string {
  const fields = {
    format: KMS_SIGNATURE_FORMAT,
    keyArn: document.keyArn,
    algorithm: KMS_SIGNING_ALGORITHM,
    signature: Buffer.from(document.signature).toString('base64'),
  };
  return `${JSON.stringify(fields, null, 2)}\n`;
}

/**
 * Reads a KMS signature document. Refuses (SignatureMalformed) empty or oversized bytes, text
 * that is not UTF-8 JSON, another shape (missing or unknown fields), another format or
 * algorithm, a keyArn that is not a KMS key ARN, and a signature that is not canonical base64
 * of a DER P-256 ECDSA signature.
 */
export function parseKmsSignature(app: string, bytes: Uint8Array): KmsSignatureDocument {
  const refuse = (reason: string, cause?: unknown) =>
    new SignatureMalformed(`app ${app}: the KMS signature document ${reason}`, {
      details: { app, signatureBytes: bytes.length },
      ...(cause === undefined ? {} : { cause }),
    });
  if (bytes.length === 0) throw refuse('is empty');
  if (bytes.length > SIGNATURE_MAX_BYTES) {
    throw refuse(`is ${bytes.length} bytes, more than the ${SIGNATURE_MAX_BYTES} allowed`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(UTF8.decode(bytes));
  } catch (error) {
    throw refuse(`is not UTF-8 JSON (${messageOf(error)})`, error);
  }
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
    throw refuse('is not a JSON object');
  }
  const fields = raw as Record<string, unknown>;
  const unknown = Object.keys(fields).filter(
    (name) => !(FIELDS as readonly string[]).includes(name),
  );
  const missing = FIELDS.filter((name) => fields[name] === undefined);
  if (unknown.length > 0 || missing.length > 0) {
    throw refuse(`must hold exactly ${FIELDS.join(', ')} (${describeShape(missing, unknown)})`);
  }
  if (fields['format'] !== KMS_SIGNATURE_FORMAT) {
    throw refuse(`has format ${JSON.stringify(fields['format'])}, not "${KMS_SIGNATURE_FORMAT}"`);
  }
  if (fields['algorithm'] !== KMS_SIGNING_ALGORITHM) {
    throw refuse(
      `names algorithm ${JSON.stringify(fields['algorithm'])}: only ${KMS_SIGNING_ALGORITHM} ` +
        'over the raw SHA-256 digest is accepted',
    );
  }
  const keyArn = fields['keyArn'];
  if (!isKmsKeyArn(keyArn)) {
    throw refuse(`names key ${shown(keyArn)}, which is not a KMS key ARN (${KMS_KEY_ARN_SHAPE})`);
  }
  const encoded = fields['signature'];
  if (typeof encoded !== 'string' || encoded === '' || !BASE64.test(encoded)) {
    throw refuse('has a signature that is not base64');
  }
  const signature = new Uint8Array(Buffer.from(encoded, 'base64'));
  if (decodeEcdsaDer(signature) === null) {
    throw refuse('has a signature that is not a DER-encoded P-256 ECDSA signature');
  }
  return { keyArn, signature };
}

function describeShape(missing: readonly string[], unknown: readonly string[]): string {
  const parts: string[] = [];
  if (missing.length > 0) parts.push(`missing ${missing.join(', ')}`);
  if (unknown.length > 0) parts.push(`unknown ${unknown.map((name) => shown(name)).join(', ')}`);
  return parts.join('; ');
}

/** Untrusted text, quoted and cut short for a message. */
function shown(value: unknown): string {
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 120 ? `${text.slice(0, 120)}...` : text;
}
