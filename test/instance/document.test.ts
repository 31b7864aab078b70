import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DOCUMENT_PARAMETER_NAMES } from '../../core/document-parameters.ts';
import {
  HOST_EXIT_CODES,
  HOST_EXIT_ERROR_NAMES,
  hostExitError,
} from '../../core/host-exit-codes.ts';
import {
  buildDeployDocument,
  DOCUMENT_PATH,
  renderDeployDocument,
  SCRIPT_PATH,
} from '../../scripts/build-documents.ts';
import { HostFixture } from './support/host-fixture.ts';
import { HOST_SCRIPT, runProcess, testPath } from './support/host-script.ts';

const REPO = fileURLToPath(new URL('../../', import.meta.url));
const script = readFileSync(SCRIPT_PATH, 'utf8');
const document = JSON.parse(readFileSync(DOCUMENT_PATH, 'utf8'));

describe('documents/signet-deploy.json', () => {
  it('is what the generator makes from the host script', () => {
    const check = spawnSync(process.execPath, ['scripts/build-documents.ts', '--check'], {
      cwd: REPO,
      encoding: 'utf8',
    });

    expect(check.status, check.stderr).toBe(0);
    expect(readFileSync(DOCUMENT_PATH, 'utf8')).toBe(renderDeployDocument(script));
  });

  it('is one Linux aws:runShellScript step in schema 2.2 whose lines are the script', () => {
    expect(document.schemaVersion).toBe('2.2');
    expect(document.mainSteps).toHaveLength(1);
    const [step] = document.mainSteps;
    expect(step.action).toBe('aws:runShellScript');
    expect(step.name).toBe('SignetDeploy');
    expect(step.precondition).toEqual({ StringEquals: ['platformType', 'Linux'] });
    expect(`${step.inputs.runCommand.join('\n')}\n`).toBe(script);
  });

  it('passes values only as environment variables: no {{ }} in runCommand', () => {
    const lines: string[] = document.mainSteps[0].inputs.runCommand;

    expect(lines.filter((line) => line.includes('{{') || line.includes('}}'))).toEqual([]);
  });

  it.each(DOCUMENT_PARAMETER_NAMES)(
    'declares %s as a String with ENV_VAR and an anchored pattern',
    (name) => {
      const parameter = document.parameters[name];

      expect(parameter.type).toBe('String');
      expect(parameter.interpolationType).toBe('ENV_VAR');
      expect(parameter.allowedPattern).toMatch(/^\^.*\$$/);
      expect(() => new RegExp(parameter.allowedPattern)).not.toThrow();
    },
  );

  it('declares exactly the parameters core/document-parameters.ts defines', () => {
    expect(Object.keys(document.parameters)).toEqual([...DOCUMENT_PARAMETER_NAMES]);
  });

  it('stays under the 64 KB SSM accepts', () => {
    expect(Buffer.byteLength(readFileSync(DOCUMENT_PATH))).toBeLessThan(64 * 1024);
  });

  it('cannot be built from a script that uses {{ }} templates', () => {
    const templated = script.replace('set -euo pipefail', 'echo {{ Version }}\nset -euo pipefail');

    expect(() => buildDeployDocument(templated)).toThrow(
      /contains '\{\{' or '\}\}', SSM template marks/,
    );
  });

  it('cannot be built from a script whose patterns differ from the document', () => {
    const loosened = script.replace(
      "define_parameter Action '^(install|rollback|health|stop)$'",
      "define_parameter Action '^.*$'",
    );

    expect(loosened).not.toBe(script);
    expect(() => buildDeployDocument(loosened)).toThrow(/host script parameter 1/);
  });

  it('runs under sh as the agent runs it, stepping into bash first', async () => {
    const host = await HostFixture.start();
    try {
      const agentDir = mkdtempSync(join(tmpdir(), 'signet-agent-'));
      const scriptFile = join(agentDir, '_script.sh');
      writeFileSync(scriptFile, document.mainSteps[0].inputs.runCommand.join('\n'));
      const release = host.publish('1.0.0');

      const result = await host.run(
        { Version: '1.0.0', ArtifactUrl: release.url, ArtifactSha256: release.sha256 },
        { shell: 'sh', script: scriptFile },
      );

      expect(result.code, result.stderr).toBe(0);
      expect(host.current()).toBe('1.0.0');
      rmSync(agentDir, { recursive: true, force: true });
    } finally {
      await host.close();
    }
  });
});

describe('host exit codes', () => {
  it('are the script constants and core/host-exit-codes.ts alike', () => {
    const inScript = [...script.matchAll(/^readonly EXIT_([A-Z_]+)=([0-9]+)$/gm)].map(
      (m) => `${m[1]}=${m[2]}`,
    );

    expect(inScript).toEqual(HOST_EXIT_CODES.map((entry) => `${entry.name}=${entry.code}`));
  });

  it('map to the error names the Lambda reports', () => {
    expect(HOST_EXIT_ERROR_NAMES).toEqual({
      64: 'InputInvalid',
      65: 'InstallFailed',
      66: 'ChecksumMismatchOnHost',
      67: 'UnsafeArchiveEntry',
      68: 'AppSpecInvalid',
      69: 'InstallFailed',
      70: 'HealthCheckFailed',
      71: 'RollbackFailed',
      72: 'DeploymentInProgress',
    });
    expect(hostExitError(66)?.name).toBe('ChecksumMismatchOnHost');
    expect(hostExitError(0)).toBeNull();
    expect(hostExitError(127)).toBeNull();
  });

  it.each(HOST_EXIT_CODES)('lists $code ($name) in the docs table with its error', (entry) => {
    const docs = readFileSync(join(REPO, 'docs/INSTANCE.md'), 'utf8');

    const row = `^\\| ${entry.code} +\\| \`EXIT_${entry.name}\` +\\| .+ \\| ${entry.error.name} +\\|$`;
    expect(docs).toMatch(new RegExp(row, 'm'));
  });
});

describe('docs/INSTANCE.md', () => {
  it.each(DOCUMENT_PARAMETER_NAMES)('has a row for parameter %s', (name) => {
    const docs = readFileSync(join(REPO, 'docs/INSTANCE.md'), 'utf8');

    expect(docs).toMatch(new RegExp(`^\\| ${name} +\\| .+ \\| .+ \\|$`, 'm'));
  });
});

describe('shell scripts', () => {
  const shellcheck = spawnSync('shellcheck', ['--version']);
  const available = shellcheck.status === 0;
  const required = process.env['SIGNET_REQUIRE_TOOLS'] === '1';

  it.runIf(required)('find shellcheck installed, as SIGNET_REQUIRE_TOOLS=1 demands', () => {
    expect(available).toBe(true);
  });

  // Without shellcheck the test is skipped, and its name says why.
  const cleanTitle = available
    ? 'are shellcheck-clean'
    : 'are shellcheck-clean (skipped: no shellcheck)';
  it.runIf(available)(cleanTitle, () => {
    const result = spawnSync(
      'shellcheck',
      [
        HOST_SCRIPT,
        ...['application-start', 'application-stop', 'before-install', 'validate-service'].map(
          (hook) => join(REPO, 'examples/web/hooks', `${hook}.sh`),
        ),
      ],
      { encoding: 'utf8' },
    );

    expect(result.stdout + result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('prints nothing and runs nothing when sourced', async () => {
    const result = await runProcess('bash', ['-c', 'source "$1"; echo sourced', 'x', HOST_SCRIPT], {
      PATH: testPath(),
    });

    expect(result).toEqual({ code: 0, stdout: 'sourced\n', stderr: '' });
  });
});
