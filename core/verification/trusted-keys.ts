import * as openpgp from 'openpgp';
import { ConfigInvalid } from '../errors.ts';
import { messageOf } from './messages.ts';
import { parseKmsKeys, type TrustedKmsKeyEntry } from './trusted-kms-keys.ts';
import type { TrustedKey, TrustedKmsKey } from './types.ts';

declare const parsedByVerification: unique symbol;

/**
 * An app's trusted keys, OpenPGP and KMS, parsed and checked once. Opaque: only
 * `parseTrustedKeys` makes one, so a verification can never run against keys that skipped
 * these checks.
 */
export interface ParsedTrustedKeys {
  readonly app: string;
  /** Every label, OpenPGP keys' first, then KMS keys'. */
  readonly labels: readonly string[];
  readonly [parsedByVerification]: true;
}

/** One trusted public key with the label the app's configuration gives it. */
export interface TrustedKeyEntry {
  readonly label: string;
  readonly key: openpgp.PublicKey;
}

interface Entries {
  readonly openpgp: readonly TrustedKeyEntry[];
  readonly kms: readonly TrustedKmsKeyEntry[];
}

const entriesOf = new WeakMap<ParsedTrustedKeys, Entries>();

const SIGNING_ALGORITHMS: ReadonlySet<openpgp.enums.publicKey> = new Set([
  openpgp.enums.publicKey.rsaEncryptSign,
  openpgp.enums.publicKey.rsaSign,
  openpgp.enums.publicKey.dsa,
  openpgp.enums.publicKey.ecdsa,
  openpgp.enums.publicKey.eddsaLegacy,
  openpgp.enums.publicKey.ed25519,
  openpgp.enums.publicKey.ed448,
]);

/**
 * Parses an app's trusted keys: its OpenPGP public keys and its allow-listed KMS key ARNs. An
 * app may trust either kind or both. Refuses (ConfigInvalid) an app that trusts no key, a label
 * used twice (across both kinds), an OpenPGP key that does not parse, is private, or has no
 * (sub)key that may sign data, and a KMS entry that is not a KMS key ARN. Revoked and expired
 * OpenPGP keys are accepted here: verification then names why a signature fails.
 *
 * @example
 * const keys = await parseTrustedKeys('web', [{ label: 'ci', armoredPublicKey: armored }]);
 * const kmsOnly = await parseTrustedKeys('web', [], [{ label: 'release', keyArn }]);
 */
export async function parseTrustedKeys(
  app: string,
  keys: readonly TrustedKey[],
  kmsKeys: readonly TrustedKmsKey[] = [],
): Promise<ParsedTrustedKeys> {
  if (keys.length === 0 && kmsKeys.length === 0) {
    throw new ConfigInvalid(
      `app ${app}: no trusted signing keys are configured (neither OpenPGP keys nor KMS keys)`,
      { details: { app } },
    );
  }
  const labels: string[] = [];
  for (const { label } of [...keys, ...kmsKeys]) {
    if (labels.includes(label)) {
      throw new ConfigInvalid(`app ${app}: trusted key label "${label}" is used twice`, {
        details: { app, label },
      });
    }
    labels.push(label);
  }
  const entries: TrustedKeyEntry[] = [];
  for (const { label, armoredPublicKey } of keys) {
    entries.push({ label, key: await parseOneKey(app, label, armoredPublicKey) });
  }
  const kms = parseKmsKeys(app, kmsKeys);
  const opaque = Object.freeze({ app, labels }) as unknown as ParsedTrustedKeys;
  entriesOf.set(opaque, Object.freeze({ openpgp: Object.freeze(entries), kms }));
  return opaque;
}

/** The OpenPGP keys behind a ParsedTrustedKeys; refuses a look-alike not made by the parser. */
export function trustedKeyEntries(parsed: ParsedTrustedKeys): readonly TrustedKeyEntry[] {
  return entriesFor(parsed).openpgp;
}

/** The allow-listed KMS keys behind a ParsedTrustedKeys. */
export function trustedKmsKeyEntries(parsed: ParsedTrustedKeys): readonly TrustedKmsKeyEntry[] {
  return entriesFor(parsed).kms;
}

function entriesFor(parsed: ParsedTrustedKeys): Entries {
  const entries = entriesOf.get(parsed);
  if (entries === undefined) {
    throw new ConfigInvalid('trusted keys must come from parseTrustedKeys', {
      details: { app: parsed.app },
    });
  }
  return entries;
}

async function parseOneKey(
  app: string,
  label: string,
  armored: string,
): Promise<openpgp.PublicKey> {
  const refuse = (reason: string, cause?: unknown) =>
    new ConfigInvalid(`app ${app}: trusted key "${label}" ${reason}`, {
      details: { app, label },
      ...(cause === undefined ? {} : { cause }),
    });
  let parsed: openpgp.Key[];
  try {
    parsed = await openpgp.readKeys({ armoredKeys: armored });
  } catch (error) {
    throw refuse(`is not an armored OpenPGP public key (${messageOf(error)})`, error);
  }
  const [key, ...others] = parsed;
  if (key === undefined) throw refuse('holds no key');
  if (others.length > 0) throw refuse(`holds ${parsed.length} keys; give each its own label`);
  // A secret key in configuration means the signing secret leaked into the deployment stack.
  if (key.isPrivate()) throw refuse('is a PRIVATE key: configure the public key only');
  if (!hasSigningCapableKey(key)) throw refuse('has no (sub)key allowed to sign data');
  return key;
}

/**
 * Mirrors openpgp's own rule (a signing algorithm and the sign-data key flag), read from every
 * self-signature without checking dates: whether the key is valid when it signed is decided
 * per signature, at verification.
 */
function hasSigningCapableKey(key: openpgp.Key): boolean {
  // RFC 9580 (v6) keys state their flags in a direct-key signature; openpgp keeps those in a
  // member its type declarations leave out.
  const direct = (key as unknown as { directSignatures?: openpgp.SignaturePacket[] })
    .directSignatures;
  const primarySignatures = [
    ...(direct ?? []),
    ...key.users.flatMap((user) => user.selfCertifications),
  ];
  if (canSignData(key.keyPacket.algorithm, primarySignatures)) return true;
  return key.subkeys.some((subkey) =>
    canSignData(subkey.keyPacket.algorithm, subkey.bindingSignatures),
  );
}

function canSignData(
  algorithm: openpgp.enums.publicKey,
  selfSignatures: readonly openpgp.SignaturePacket[],
): boolean {
  if (!SIGNING_ALGORITHMS.has(algorithm)) return false;
  return selfSignatures.some(
    (signature) => ((signature.keyFlags?.[0] ?? 0) & openpgp.enums.keyFlags.signData) !== 0,
  );
}
