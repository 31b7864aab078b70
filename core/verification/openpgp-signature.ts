import * as openpgp from 'openpgp';
import { SignatureMalformed } from '../errors.ts';
import { SIGNATURE_MAX_BYTES } from './constants.ts';
import { messageOf } from './messages.ts';
import { ArmorError, dearmorSignature, isArmored } from './signature-armor.ts';

/**
 * Members of openpgp's SignaturePacket that its type declarations leave out. `toHash` builds
 * the signed trailer exactly as openpgp hashes it; `hashed` is the hook openpgp's own one-pass
 * streaming verification uses to hand `verify` a digest computed elsewhere.
 */
// Limitation: these are openpgp 6.3 internals, not its public API. The tests verify gpg-made
// signatures through them, so an openpgp upgrade that changes them fails there, not silently.
export interface SignaturePacketInternals {
  readonly version: number;
  readonly salt: Uint8Array | null;
  hashed?: Uint8Array;
  toHash(signatureType: openpgp.enums.signature, data: undefined, detached: boolean): Uint8Array;
}

export function internalsOf(packet: openpgp.SignaturePacket): SignaturePacketInternals {
  return packet as unknown as SignaturePacketInternals;
}

/** Unparseable packets must refuse the signature, not vanish from the list silently. */
const STRICT_PARSING: openpgp.PartialConfig = {
  ignoreUnsupportedPackets: false,
  ignoreMalformedPackets: false,
};

/**
 * Reads a detached signature object: binary packets (`.sig`) or ASCII armor (`.asc`, detected
 * by its BEGIN line). Refuses (SignatureMalformed) empty, oversized, truncated or garbage
 * bytes, broken armor, and any packet that is not a signature.
 */
export async function readDetachedSignature(
  app: string,
  bytes: Uint8Array,
): Promise<readonly openpgp.SignaturePacket[]> {
  const refuse = (reason: string, cause?: unknown) =>
    new SignatureMalformed(`app ${app}: the signature object ${reason}`, {
      details: { app, signatureBytes: bytes.length },
      ...(cause === undefined ? {} : { cause }),
    });
  if (bytes.length === 0) throw refuse('is empty');
  if (bytes.length > SIGNATURE_MAX_BYTES) {
    throw refuse(`is ${bytes.length} bytes, more than the ${SIGNATURE_MAX_BYTES} allowed`);
  }
  let binary = bytes;
  if (isArmored(bytes)) {
    try {
      binary = dearmorSignature(bytes);
    } catch (error) {
      if (!(error instanceof ArmorError)) throw error;
      throw refuse(`has broken armor: ${error.message}`, error);
    }
  }
  let signature: openpgp.Signature;
  try {
    signature = await openpgp.readSignature({ binarySignature: binary, config: STRICT_PARSING });
  } catch (error) {
    throw refuse(`is not an OpenPGP signature (${messageOf(error)})`, error);
  }
  const packets = signature.packets.filter(
    (packet): packet is openpgp.SignaturePacket => packet instanceof openpgp.SignaturePacket,
  );
  if (packets.length === 0 || packets.length !== signature.packets.length) {
    throw refuse('holds no signature packet, or packets of another kind');
  }
  return packets;
}
