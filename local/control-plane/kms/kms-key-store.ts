import {
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
  randomUUID,
} from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigInvalid } from '../../../core/errors.ts';
import { serialWriter, writeFileAtomic } from '../atomic-file.ts';
import { AwsServiceError } from '../service-types.ts';
import { privateScalar } from './p256-ecdsa.ts';

/** One key as kept in kms-keys.json: its metadata and its private key (PKCS #8 PEM). */
interface StoredKey {
  readonly KeyId: string;
  readonly Arn: string;
  readonly CreationDate: string;
  readonly Description: string;
  readonly KeySpec: 'ECC_NIST_P256';
  readonly KeyUsage: 'SIGN_VERIFY';
  readonly PrivateKeyPem: string;
}

/** A key ready for use: its stored record and the key material parsed once. */
export interface LocalKmsKey {
  readonly record: Omit<StoredKey, 'PrivateKeyPem'>;
  readonly d: bigint;
  readonly publicKey: KeyObject;
}

export interface KmsKeyStore {
  /** Every key, oldest first. */
  list(): readonly LocalKmsKey[];
  create(description: string): Promise<LocalKmsKey>;
  /** The key a KeyId names (key id or key ARN), or NotFoundException as KMS answers. */
  resolve(keyId: string): LocalKmsKey;
}

const KEY_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const KEY_ARN = /^arn:[^:]+:kms:[^:]*:[^:]*:key\/(.+)$/;
const ALIAS_ARN = /^arn:[^:]+:kms:[^:]*:[^:]*:alias\//;

/**
 * The local KMS's keys, persisted to `<stateDir>/kms-keys.json` (mode 0600, rewritten
 * atomically on every change and read back at start), so a key made in one run signs and
 * verifies in the next.
 */
export async function createKmsKeyStore(options: {
  readonly stateDir: string;
  readonly region: string;
  readonly account: string;
}): Promise<KmsKeyStore> {
  // Limitation: private keys are stored in clear in the state directory; KMS never lets them
  // out. This store stands in for KMS on one machine and holds throwaway keys only.
  const file = join(options.stateDir, 'kms-keys.json');
  const stored = await load(file);
  const keys = stored.map(parsed);
  const queueWrite = serialWriter();
  const arnPrefix = `arn:aws:kms:${options.region}:${options.account}:`;

  return {
    list: () => keys,
    async create(description) {
      const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const KeyId = randomUUID();
      const record: StoredKey = {
        KeyId,
        Arn: `${arnPrefix}key/${KeyId}`,
        CreationDate: new Date().toISOString(),
        Description: description,
        KeySpec: 'ECC_NIST_P256',
        KeyUsage: 'SIGN_VERIFY',
        PrivateKeyPem: privateKey.export({ format: 'pem', type: 'pkcs8' }).toString(),
      };
      stored.push(record);
      const key = parsed(record);
      keys.push(key);
      await queueWrite(() =>
        writeFileAtomic(file, `${JSON.stringify({ keys: stored }, null, 2)}\n`),
      );
      return key;
    },
    resolve(keyId) {
      if (keyId.startsWith('alias/') || ALIAS_ARN.test(keyId)) {
        // No aliases exist here, so every alias is unknown.
        throw new AwsServiceError('NotFoundException', `Alias ${keyId} is not found.`);
      }
      const asArn = KEY_ARN.exec(keyId);
      const id = asArn?.[1] ?? keyId;
      if (!KEY_ID.test(id))
        throw new AwsServiceError('NotFoundException', `Invalid keyId ${keyId}`);
      // An ARN of another Region or account names no key of this store.
      const arn = asArn === null ? `${arnPrefix}key/${id}` : keyId;
      const key = keys.find((candidate) => candidate.record.Arn === arn);
      if (key === undefined) {
        throw new AwsServiceError('NotFoundException', `Key '${arn}' does not exist`);
      }
      return key;
    },
  };
}

function parsed(record: StoredKey): LocalKmsKey {
  const { PrivateKeyPem, ...metadata } = record;
  const privateKey = createPrivateKey(PrivateKeyPem);
  return { record: metadata, d: privateScalar(privateKey), publicKey: createPublicKey(privateKey) };
}

async function load(file: string): Promise<StoredKey[]> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  try {
    return (JSON.parse(text) as { keys?: StoredKey[] }).keys ?? [];
  } catch (error) {
    throw new ConfigInvalid(`KMS key file ${file} is not valid JSON`, { cause: error });
  }
}
