import type { KMSClient } from '@aws-sdk/client-kms';
import type { SSMClient } from '@aws-sdk/client-ssm';
import { loadTrustedKeys, loadTrustedKmsKeys } from '../app-config-store.ts';
import { SignetError } from '../errors.ts';
import { trustedKeysPath, trustedKmsKeysPath } from '../parameter-paths.ts';
import { parseTrustedKeys } from '../verification/trusted-keys.ts';
import { guarded } from './aws-failure.ts';
import { type CheckResult, failed, passed } from './check-result.ts';
import { kmsKeyProblem } from './kms-signing-key.ts';

const CHECK = 'app-trusted-keys';
const REDEPLOY = 'and redeploy (`npx cdk deploy`)';
const EXPORT_KEY = '`gpg --armor --export <key-id>`';
const OPENPGP_KEY_FIX = `replace it with the armored public key (${EXPORT_KEY}) ${REDEPLOY}`;

/**
 * The app trusts at least one signing key, every trusted key parses as verification parses it
 * (parseTrustedKeys: each key on its own, so every bad one is named, then all together for
 * labels used twice), and every trusted KMS key is an enabled ECC_NIST_P256 SIGN_VERIFY key.
 */
export async function checkAppTrustedKeys(
  clients: { readonly ssm: SSMClient; readonly kms: KMSClient },
  prefix: string,
  app: string,
): Promise<CheckResult[]> {
  return guarded(CHECK, app, ['ssm:GetParametersByPath'], async () => {
    const [keys, kmsKeys] = await Promise.all([
      loadTrustedKeys(clients.ssm, prefix, app),
      loadTrustedKmsKeys(clients.ssm, prefix, app),
    ]);
    if (keys.length === 0 && kmsKeys.length === 0) {
      return [
        failed(
          CHECK,
          app,
          `app ${app} trusts no signing key (nothing under ${trustedKeysPath(prefix, app)} ` +
            `nor ${trustedKmsKeysPath(prefix, app)}): every release is refused`,
          `list a public key file under trustedKeyFiles of app ${app} in ` +
            `infra/signet.config.json ${REDEPLOY}`,
        ),
      ];
    }
    const results: CheckResult[] = [];
    for (const key of keys) {
      const parameter = `${trustedKeysPath(prefix, app)}/${key.label}`;
      const refusal = await refusalOf(() => parseTrustedKeys(app, [key]));
      if (refusal !== undefined) {
        results.push(failed(CHECK, app, `${refusal} (parameter ${parameter})`, OPENPGP_KEY_FIX));
      }
    }
    for (const key of kmsKeys) {
      const parameter = `${trustedKmsKeysPath(prefix, app)}/${key.label}`;
      const refusal = await refusalOf(() => parseTrustedKeys(app, [], [key]));
      const found =
        refusal === undefined
          ? await kmsKeyProblem(clients.kms, app, key)
          : { problem: refusal, fix: `put the key's ARN there, not an alias ${REDEPLOY}` };
      if (found !== undefined) {
        results.push(failed(CHECK, app, `${found.problem} (parameter ${parameter})`, found.fix));
      }
    }
    if (results.length > 0) return results;
    const together = await refusalOf(() => parseTrustedKeys(app, keys, kmsKeys));
    if (together !== undefined) {
      return [failed(CHECK, app, together, `give each trusted key its own label ${REDEPLOY}`)];
    }
    return [passed(CHECK, app)];
  });
}

/** The message of the ConfigInvalid that parsing refuses with, or undefined when it parses. */
async function refusalOf(parse: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await parse();
    return undefined;
  } catch (error) {
    if (error instanceof SignetError && error.name === 'ConfigInvalid') return error.message;
    throw error;
  }
}
