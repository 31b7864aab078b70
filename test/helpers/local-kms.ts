import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateKeyCommand, KMSClient, type KMSClientConfig } from '@aws-sdk/client-kms';
import { kmsService } from '../../local/control-plane/kms/kms-service.ts';
import { startControlPlane } from '../../local/control-plane/server.ts';
import type { JsonService } from '../../local/control-plane/service-types.ts';

export const LOCAL_CREDENTIALS = { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local-secret' };

/** The local control plane serving KMS alone, with a real KMSClient pointed at it. */
export interface LocalKms {
  readonly stateDir: string;
  readonly endpoint: string;
  readonly client: KMSClient;
  /** A new ECC_NIST_P256 SIGN_VERIFY key; returns its ARN. */
  createSigningKey(description?: string): Promise<string>;
  /** Another KMSClient on the same endpoint, with its own settings (retries, say). */
  clientWith(config: Partial<KMSClientConfig>): KMSClient;
  close(): Promise<void>;
}

/** Starts the local KMS on 127.0.0.1 with state in a temp dir (or `stateDir`, to reuse one). */
export async function startLocalKms(
  options: { readonly stateDir?: string } = {},
): Promise<LocalKms> {
  const owned = options.stateDir === undefined;
  const stateDir = options.stateDir ?? (await mkdtemp(join(tmpdir(), 'signet-kms-')));
  const service = await kmsService({ stateDir, region: 'us-east-1', account: '123456789012' });
  return serveKms(service, { stateDir, owned });
}

/** Serves any TrentService implementation (a fake that fails on purpose, say) on 127.0.0.1. */
export async function serveKms(
  service: JsonService,
  options: { readonly stateDir?: string; readonly owned?: boolean } = {},
): Promise<LocalKms> {
  const plane = await startControlPlane({ services: [service] });
  const clients: KMSClient[] = [];
  const clientWith = (config: Partial<KMSClientConfig>) => {
    const made = new KMSClient({
      endpoint: plane.endpoint,
      region: 'us-east-1',
      credentials: LOCAL_CREDENTIALS,
      ...config,
    });
    clients.push(made);
    return made;
  };
  const client = clientWith({});
  return {
    stateDir: options.stateDir ?? '',
    endpoint: plane.endpoint,
    client,
    clientWith,
    async createSigningKey(description = 'test signing key') {
      const created = await client.send(
        new CreateKeyCommand({
          KeySpec: 'ECC_NIST_P256',
          KeyUsage: 'SIGN_VERIFY',
          Description: description,
        }),
      );
      const arn = created.KeyMetadata?.Arn;
      if (arn === undefined) throw new Error('CreateKey returned no ARN');
      return arn;
    },
    async close() {
      for (const made of clients) made.destroy();
      await plane.close();
      if (options.owned === true && options.stateDir !== undefined) {
        await rm(options.stateDir, { recursive: true, force: true });
      }
    },
  };
}
