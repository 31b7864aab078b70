import { mkdir } from 'node:fs/promises';
import { runTool } from './run-tool.ts';

/** Options shared by every gpg call: which keyring, and never a prompt. */
export interface GpgOptions {
  /** A GNUPGHOME of its own (the demo's throwaway keyring); the user's default when absent. */
  readonly home?: string;
}

function gpgEnv(options: GpgOptions): NodeJS.ProcessEnv {
  return options.home === undefined ? process.env : { ...process.env, GNUPGHOME: options.home };
}

const BATCH = ['--batch', '--no-tty', '--pinentry-mode', 'loopback'];

/** The installed gpg's version line; ToolMissing (with how to install it) when there is none. */
export async function gpgVersion(): Promise<string> {
  const { stdout } = await runTool('gpg', ['--version']);
  return stdout.split('\n')[0] ?? 'gpg';
}

/**
 * Makes a signing-only ed25519 key without a passphrase and returns its fingerprint. Meant for
 * throwaway keyrings (the demo): real release keys belong on a hardware token or in KMS.
 */
export async function generateSigningKey(userId: string, options: GpgOptions): Promise<string> {
  if (options.home !== undefined) await mkdir(options.home, { recursive: true, mode: 0o700 });
  await runTool(
    'gpg',
    [...BATCH, '--passphrase', '', '--quick-gen-key', userId, 'ed25519', 'sign', 'never'],
    {
      env: gpgEnv(options),
    },
  );
  const fingerprint = await firstFingerprint(options, userId);
  if (fingerprint === null) throw new Error(`gpg made no key for ${userId}`);
  return fingerprint;
}

/** The fingerprint of the first key in the keyring (matching `userId` if given), or null. */
export async function firstFingerprint(
  options: GpgOptions,
  userId?: string,
): Promise<string | null> {
  const { stdout } = await runTool(
    'gpg',
    ['--batch', '--with-colons', '--list-keys', ...(userId === undefined ? [] : [userId])],
    { env: gpgEnv(options) },
  ).catch(() => ({ stdout: '' }));
  const line = stdout.split('\n').find((l) => l.startsWith('fpr:'));
  return line?.split(':')[9] ?? null;
}

export async function exportPublicKey(keyId: string, options: GpgOptions): Promise<string> {
  const { stdout } = await runTool('gpg', ['--batch', '--armor', '--export', keyId], {
    env: gpgEnv(options),
  });
  return stdout;
}

/**
 * `gpg --detach-sign`, exactly as a person would run it: a binary `.sig`, or with `armor` an
 * ASCII `.asc`. Returns the signature file's path.
 */
export async function signDetached(
  file: string,
  options: GpgOptions & { readonly keyId?: string; readonly armor?: boolean },
): Promise<string> {
  const output = `${file}${options.armor ? '.asc' : '.sig'}`;
  await runTool(
    'gpg',
    [
      ...BATCH,
      '--yes',
      ...(options.keyId === undefined ? [] : ['--local-user', options.keyId]),
      ...(options.armor ? ['--armor'] : []),
      '--output',
      output,
      '--detach-sign',
      file,
    ],
    { env: gpgEnv(options) },
  );
  return output;
}

/** Stops the gpg-agent a throwaway keyring started, so no process outlives the demo. */
export async function stopGpgAgent(options: GpgOptions): Promise<void> {
  await runTool('gpgconf', ['--kill', 'all'], { env: gpgEnv(options) }).catch(() => undefined);
}
