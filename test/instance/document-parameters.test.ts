import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DOCUMENT_PARAMETERS,
  type DocumentParameterName,
  validateDocumentParameters,
} from '../../core/document-parameters.ts';
import { InputInvalid } from '../../core/errors.ts';
import { HOST_SCRIPT, runProcess, testPath } from './support/host-script.ts';
import { makeTempDir, removeDir } from './support/releases.ts';

const VALID: Readonly<Record<DocumentParameterName, string>> = {
  Action: 'install',
  App: 'web',
  Version: '1.4.0',
  DeploymentId: 'exec-1',
  ArtifactUrl: 'https://b.s3.amazonaws.com/releases/web/web-1.4.0.tar.gz?X-Amz-Signature=ab%2F',
  ArtifactSha256: 'a'.repeat(64),
  KeepReleases: '3',
  HealthPath: '/health',
  HealthPort: '8080',
  HealthExpectedStatus: '200',
  HealthRetries: '10',
  HealthIntervalSeconds: '2',
  HealthBakeSeconds: '10',
  HealthTimeoutSeconds: '5',
  ExecutionTimeout: '3600',
};

const INJECTIONS = ['$(id)', '`id`', ';id', '|id', '>x', "'", '"', ' ', '\n', '\\', '*', '{a,b}'];

/** Values each parameter must accept, then values it must refuse (besides INJECTIONS). */
const SAMPLES: Readonly<Record<DocumentParameterName, readonly [string[], string[]]>> = {
  Action: [
    ['install', 'rollback', 'health'],
    ['', 'Install', 'install ', 'deploy'],
  ],
  App: [
    ['a', 'web', 'web-2', `a${'b'.repeat(39)}`],
    ['', 'Web', '-web', 'web-', `a${'b'.repeat(40)}`, '../x'],
  ],
  Version: [
    ['0.0.0', '1.4.0', '10.20.30-rc.1', '1.0.0-a-b.c'],
    ['', '1.4', '01.0.0', '1.0.0+build', 'v1.0.0', `1.0.0-${'a.'.repeat(30)}a`],
  ],
  DeploymentId: [
    ['x', 'exec_1-A', 'a'.repeat(80)],
    ['', 'a'.repeat(81), 'a.b', 'a/b'],
  ],
  ArtifactUrl: [
    ['', 'http://127.0.0.1:9/a.tar.gz', VALID.ArtifactUrl, `https://h/${'a'.repeat(4086)}`],
    [
      'ftp://h/a',
      'https://',
      'file:///etc/passwd',
      '-o/tmp/x',
      'https://h/a#b',
      `https://h/${'a'.repeat(4087)}`,
    ],
  ],
  ArtifactSha256: [
    ['', 'f'.repeat(64)],
    ['F'.repeat(64), 'a'.repeat(63), 'a'.repeat(65), 'g'.repeat(64)],
  ],
  KeepReleases: [
    ['2', '9', '10', '99'],
    ['', '0', '1', '100', '02'],
  ],
  HealthPath: [
    ['/', '/health', '/h?x=1&y=%20'],
    ['', 'health', '//h#x', `/${'a'.repeat(1024)}`],
  ],
  HealthPort: [
    ['1', '80', '8080', '65535'],
    ['', '0', '65536', '080', '99999'],
  ],
  HealthExpectedStatus: [
    ['100', '200', '599'],
    ['', '99', '600', '20'],
  ],
  HealthRetries: [
    ['1', '10', '100'],
    ['', '0', '101'],
  ],
  HealthIntervalSeconds: [
    ['0.1', '0.25', '1', '2.5', '999.999'],
    ['', '0', '0.0', '0.05', '.5', '1000', '1.2345'],
  ],
  HealthBakeSeconds: [
    ['0', '0.5', '10', '9999.999'],
    ['', '-1', '10000', '1.'],
  ],
  HealthTimeoutSeconds: [
    ['1', '5', '60'],
    ['', '0', '61', '1.5'],
  ],
  ExecutionTimeout: [
    ['30', '99', '3600', '99999', '169999', '172799', '172800'],
    ['', '0', '29', '172801', '999999', '030', '60.5'],
  ],
};

function documentAccepts(name: DocumentParameterName, value: string): boolean {
  const parameter = DOCUMENT_PARAMETERS.find((p) => p.name === name);
  if (parameter === undefined) throw new Error(`no parameter ${name}`);
  const fits = parameter.maxChars === undefined || value.length <= parameter.maxChars;
  return fits && new RegExp(parameter.allowedPattern).test(value);
}

function validatorAccepts(name: DocumentParameterName, value: string): boolean {
  // Health needs no artifact, so empty ArtifactUrl and ArtifactSha256 are judged alone.
  const action = name === 'Action' ? value : 'health';
  try {
    validateDocumentParameters({ ...VALID, Action: action, [name]: value });
    return true;
  } catch (error) {
    if (error instanceof InputInvalid) return false;
    throw error;
  }
}

const cases = (Object.keys(SAMPLES) as DocumentParameterName[]).flatMap((name) => {
  const [good, bad] = SAMPLES[name];
  return [
    ...good.map((value) => ({ name, value, accepted: true })),
    ...[...bad, ...INJECTIONS.map((i) => `${VALID[name]}${i}`)].map((value) => ({
      name,
      value,
      accepted: false,
    })),
  ];
});

let dir: string;
let bashVerdicts: Map<string, boolean>;

beforeAll(async () => {
  // One bash run judges every case with the script's own matches_parameter.
  dir = makeTempDir('signet-params-');
  const input = join(dir, 'cases');
  writeFileSync(input, cases.map((c) => `${c.name}\0${c.value}\0`).join(''));
  const judge =
    'source "$1"\n' +
    'while IFS= read -r -d "" name && IFS= read -r -d "" value; do\n' +
    '  if matches_parameter "$name" "$value"; then echo 1; else echo 0; fi\n' +
    'done <"$2"';
  const result = await runProcess('bash', ['-c', judge, 'judge', HOST_SCRIPT, input], {
    PATH: testPath(),
  });
  const verdicts = result.stdout.trim().split('\n');
  expect(verdicts).toHaveLength(cases.length);
  bashVerdicts = new Map(cases.map((c, i) => [`${c.name}\0${c.value}`, verdicts[i] === '1']));
});

afterAll(() => removeDir(dir));

describe('document parameter patterns', () => {
  it.each(cases.map((c) => ({ ...c, shown: JSON.stringify(c.value).slice(0, 40) })))(
    '$name: $shown is accepted=$accepted by the document, the validator and the script',
    ({ name, value, accepted }) => {
      expect(documentAccepts(name, value)).toBe(accepted);
      expect(validatorAccepts(name, value)).toBe(accepted);
      expect(bashVerdicts.get(`${name}\0${value}`)).toBe(accepted);
    },
  );
});

describe('validateDocumentParameters', () => {
  it('accepts a health check given only the required parameters', () => {
    expect(() =>
      validateDocumentParameters({
        Action: 'health',
        App: 'web',
        Version: '1.4.0',
        DeploymentId: 'exec-1',
      }),
    ).not.toThrow();
  });

  it.each([
    ['an unknown parameter', { ...VALID, Extra: 'x' }, 'unknown Signet document parameter "Extra"'],
    [
      'a missing required one',
      { Action: 'health', App: 'web', Version: '1.0.0' },
      'DeploymentId is required',
    ],
    ['install without a URL', { ...VALID, ArtifactUrl: '' }, 'ArtifactUrl is required for install'],
    [
      'rollback without a digest',
      { ...VALID, Action: 'rollback', ArtifactSha256: '' },
      'ArtifactSha256 is required for rollback',
    ],
  ])('throws InputInvalid for %s', (_label, params, message) => {
    expect(() => validateDocumentParameters(params)).toThrow(InputInvalid);
    expect(() => validateDocumentParameters(params)).toThrow(message);
  });

  it('names the parameter but never echoes a URL, which is a credential', () => {
    const url = 'https://b/a?X-Amz-Signature=secret;rm';

    expect(() => validateDocumentParameters({ ...VALID, ArtifactUrl: url })).toThrow(
      /parameter ArtifactUrl must match .*; got "37 characters"$/,
    );
    expect(() => validateDocumentParameters({ ...VALID, ArtifactUrl: url })).not.toThrow(/secret/);
  });
});
