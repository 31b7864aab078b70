import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** How to get the Python tools the fidelity tests use (the README says the same). */
export const PYTHON_TOOLS_HINT = "pip install 'moto[server]' cfn-lint boto3 awscli";

/**
 * Whether `command --version` (or `probe`) runs. When it does not, the test file says so on
 * stderr and skips; with SIGNET_REQUIRE_TOOLS=1 (CI) a missing tool fails the file instead,
 * so a CI run never passes by skipping.
 *
 * @example
 * const moto = await externalTool('moto_server', 'contracts/moto.test.ts');
 * describe.skipIf(!moto)('...', () => {});
 */
export async function externalTool(
  command: string,
  testFile: string,
  probe: readonly string[] = ['--version'],
): Promise<boolean> {
  const found = await run(command, [...probe], { timeout: 30_000 }).then(
    () => true,
    () => false,
  );
  if (found) return true;
  if (process.env['SIGNET_REQUIRE_TOOLS'] === '1') {
    throw new Error(`${command} is not on PATH and SIGNET_REQUIRE_TOOLS=1 (${PYTHON_TOOLS_HINT})`);
  }
  process.stderr.write(
    `${testFile}: ${command} is not on PATH; these tests were NOT run (${PYTHON_TOOLS_HINT})\n`,
  );
  return false;
}
