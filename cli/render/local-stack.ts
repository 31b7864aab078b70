import { relative } from 'node:path';
import type { LocalStack } from '../../local/stack/options.ts';

/** What `signet local up` prints: the environment to paste, and what to try. */
export function renderLocalStack(
  stack: LocalStack,
  hints: { readonly gnupgHome: string; readonly exampleDir: string },
): string {
  const here = (path: string) => relative(process.cwd(), path) || '.';
  const exports = Object.entries(stack.env).map(([name, value]) => `export ${name}=${value}`);
  const instances = stack.instances.map(
    (i) =>
      `  ${i.name} (${i.id})  app ${i.app}  http://127.0.0.1:${i.httpPort}/  ${here(i.signetHome)}`,
  );
  const key = 'releases/web/web-1.0.0.tar.gz';
  return [
    'Signet local stack is running. Point signet, the AWS CLI and the SDK at it:',
    '',
    ...exports,
    '',
    'Instances:',
    ...instances,
    '',
    'Release the example app (in another terminal, after the exports):',
    `  node bin/signet.mjs release ${here(hints.exampleDir)} --app web --version 1.0.0 ` +
      `--gnupghome ${here(hints.gnupgHome)} --wait`,
    '',
    'Or by hand with tar, gpg and the AWS CLI (the artifact needs signet-release.json at its root):',
    `  gpg --homedir ${here(hints.gnupgHome)} --detach-sign web-1.0.0.tar.gz`,
    `  aws s3 cp web-1.0.0.tar.gz.sig s3://${stack.bucket}/${key}.sig --endpoint-url ${stack.endpoints.s3}`,
    `  aws s3 cp web-1.0.0.tar.gz s3://${stack.bucket}/${key} --endpoint-url ${stack.endpoints.s3}`,
    '',
    'Then: node bin/signet.mjs status web (history web, rollback web, redeploy web <version>)',
    'After a restart of `local up` the instances are up but their apps are not (hosts without',
    'an init system): `redeploy web <current version>` starts them again.',
    `State: ${here(stack.stateDir)}/   Press Ctrl-C to stop everything.`,
  ].join('\n');
}
