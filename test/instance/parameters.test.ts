import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HostFixture } from './support/host-fixture.ts';

let host: HostFixture;
let canary: string;

beforeAll(async () => {
  host = await HostFixture.start();
  canary = join(host.root, 'CANARY');
});

afterAll(async () => {
  await host.close();
});

const SHA = 'a'.repeat(64);

/** Values that would run `touch CANARY` if the script ever let a shell interpret them. */
function hostile(base: string): Array<[string, string]> {
  return [
    ['a semicolon', `${base};touch ${canary}`],
    ['command substitution', `${base}$(touch ${canary})`],
    ['backticks', `${base}\`touch ${canary}\``],
    ['a newline', `${base}\ntouch ${canary}`],
    ['a trailing newline', `${base}\n`],
    ['a single quote', `${base}'`],
    ['a double quote', `${base}"`],
    ['a space', `${base} x`],
    ['a pipe', `${base}|touch ${canary}`],
  ];
}

const cases = [
  ...hostile('1.0.0').map(([label, value]) => ({ parameter: 'Version', label, value })),
  ...hostile('web').map(([label, value]) => ({ parameter: 'App', label, value })),
  ...hostile('exec-1').map(([label, value]) => ({ parameter: 'DeploymentId', label, value })),
  ...hostile('http://127.0.0.1:1/a.tar.gz').map(([label, value]) => ({
    parameter: 'ArtifactUrl',
    label,
    value,
  })),
  ...hostile('/health').map(([label, value]) => ({ parameter: 'HealthPath', label, value })),
  ...hostile('2').map(([label, value]) => ({ parameter: 'HealthIntervalSeconds', label, value })),
  { parameter: 'App', label: 'a path', value: '../etc' },
  { parameter: 'Action', label: 'an unknown action', value: 'uninstall' },
  { parameter: 'ArtifactUrl', label: 'a file URL', value: 'file:///etc/passwd' },
  { parameter: 'ArtifactUrl', label: 'an option', value: '-K/etc/passwd' },
  { parameter: 'ArtifactSha256', label: 'upper-case hex', value: 'A'.repeat(64) },
  {
    parameter: 'Version',
    label: 'a version past 64 characters',
    value: `1.0.0-${'a.'.repeat(40)}a`,
  },
  { parameter: 'KeepReleases', label: 'one release', value: '1' },
  { parameter: 'HealthPort', label: 'port 65536', value: '65536' },
];

describe('parameters', () => {
  it.each(cases)('refuses $parameter with $label (64), running nothing', async (c) => {
    const result = await host.run({
      ArtifactUrl: 'http://127.0.0.1:1/a.tar.gz',
      ArtifactSha256: SHA,
      [c.parameter]: c.value,
    });

    expect(result.code).toBe(64);
    expect(result.stderr).toContain(`parameter ${c.parameter} does not match`);
    expect(existsSync(canary)).toBe(false);
    expect(existsSync(host.home)).toBe(false);
  });

  it('says the agent may be too old when a parameter variable is missing', async () => {
    const result = await host.run({ DeploymentId: null });

    expect(result.code).toBe(64);
    expect(result.stderr).toContain('parameter DeploymentId is missing');
    expect(result.stderr).toContain('SSM agent older than 3.3.2746.0');
  });

  it.each([
    ['install', 'ArtifactUrl', { ArtifactSha256: SHA }],
    ['install', 'ArtifactSha256', { ArtifactUrl: 'http://127.0.0.1:1/a.tar.gz' }],
    ['rollback', 'ArtifactSha256', {}],
  ])('refuses %s without %s', async (action, missing, rest) => {
    const result = await host.run({ Action: action, ...rest });

    expect(result.code).toBe(64);
    expect(result.stderr).toContain(`parameter ${missing} is required for ${action}`);
  });

  it('treats an unset ArtifactUrl and ArtifactSha256 as empty', async () => {
    const result = await host.run({ Action: 'health', ArtifactUrl: null, ArtifactSha256: null });

    expect(result.code).toBe(70);
  });

  it.each([
    ['SIGNET_HOME', 'relative/path', 'host setting SIGNET_HOME must be an absolute path'],
    ['SIGNET_HOME', '/tmp/a b', 'host setting SIGNET_HOME must be an absolute path'],
    ['SIGNET_HTTP_PORT', '80;id', 'host setting SIGNET_HTTP_PORT is not a port number'],
  ])('refuses the host setting %s=%s', async (name, value, message) => {
    const result = await host.run({ Action: 'health' }, { env: { [name]: value } });

    expect(result.code).toBe(64);
    expect(result.stderr).toContain(message);
  });
});
