import { validationError } from '../input-fields.ts';
import { AwsServiceError, type JsonObject } from '../service-types.ts';

/** Enumerations of the KMS API model (botocore `kms/2014-11-01/service-2.json`). */
export const KEY_SPECS = [
  'RSA_2048',
  'RSA_3072',
  'RSA_4096',
  'ECC_NIST_P256',
  'ECC_NIST_P384',
  'ECC_NIST_P521',
  'ECC_SECG_P256K1',
  'SYMMETRIC_DEFAULT',
  'HMAC_224',
  'HMAC_256',
  'HMAC_384',
  'HMAC_512',
  'SM2',
  'ML_DSA_44',
  'ML_DSA_65',
  'ML_DSA_87',
  'ECC_NIST_EDWARDS25519',
] as const;
export const KEY_USAGES = [
  'SIGN_VERIFY',
  'ENCRYPT_DECRYPT',
  'GENERATE_VERIFY_MAC',
  'KEY_AGREEMENT',
];
export const ORIGINS = ['AWS_KMS', 'EXTERNAL', 'AWS_CLOUDHSM', 'EXTERNAL_KEY_STORE'];
export const MESSAGE_TYPES = ['RAW', 'DIGEST', 'EXTERNAL_MU'];
export const SIGNING_ALGORITHMS = [
  'RSASSA_PSS_SHA_256',
  'RSASSA_PSS_SHA_384',
  'RSASSA_PSS_SHA_512',
  'RSASSA_PKCS1_V1_5_SHA_256',
  'RSASSA_PKCS1_V1_5_SHA_384',
  'RSASSA_PKCS1_V1_5_SHA_512',
  'ECDSA_SHA_256',
  'ECDSA_SHA_384',
  'ECDSA_SHA_512',
  'SM2DSA',
  'ML_DSA_SHAKE_256',
  'ED25519_SHA_512',
  'ED25519_PH_SHA_512',
];

/** A value of one of the model's enumerations, or ValidationException naming the set. */
export function enumValue(value: string, allowed: readonly string[], field: string): string {
  if (!allowed.includes(value)) {
    throw validationError(field, `Member must satisfy enum value set: [${allowed.join(', ')}]`);
  }
  return value;
}

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/**
 * A blob member: the JSON protocol sends it as base64. Absent is ValidationException (null);
 * not base64 is SerializationException, as the service fails to read it; a length outside the
 * model's bounds is ValidationException.
 */
export function requiredBlob(
  input: JsonObject,
  field: string,
  bounds: { readonly min: number; readonly max: number },
): Uint8Array {
  const value = input[field];
  const member = field.charAt(0).toLowerCase() + field.slice(1);
  if (value === undefined || value === null)
    throw validationError(member, 'Member must not be null');
  if (typeof value !== 'string' || !BASE64.test(value)) {
    throw new AwsServiceError('SerializationException', `${field} must be base64-encoded bytes`);
  }
  const bytes = new Uint8Array(Buffer.from(value, 'base64'));
  if (bytes.length < bounds.min) {
    throw validationError(member, `Member must have length greater than or equal to ${bounds.min}`);
  }
  if (bytes.length > bounds.max) {
    throw validationError(member, `Member must have length less than or equal to ${bounds.max}`);
  }
  return bytes;
}
