import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  DisableRuleCommand,
  EnableRuleCommand,
  EventBridgeClient,
} from '@aws-sdk/client-eventbridge';
import { PutBucketNotificationConfigurationCommand, S3Client } from '@aws-sdk/client-s3';
import {
  DeleteParameterCommand,
  GetParameterCommand,
  PutParameterCommand,
  SSMClient,
} from '@aws-sdk/client-ssm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DoctorReport } from '../../core/doctor/index.ts';
import { trustLocalKmsKey, trustLocalSigningKey } from '../../local/example-app.ts';
import { startLocalStack } from '../../local/stack/local-stack.ts';
import type { LocalStack } from '../../local/stack/options.ts';
import { stopGpgAgent } from '../../release/gpg.ts';
import { runSignet } from '../helpers/run-signet.ts';

const KEY_PARAMETER = '/signet/apps/web/trusted-keys/local';

// `signet doctor` against the stack `signet local up` starts, through the same SDK clients as
// against AWS: it passes as started, and each thing broken by hand is one clear line.
describe('signet doctor on the local stack', () => {
  let stack: LocalStack;
  let work: string;
  let gnupgHome: string;
  let ssm: SSMClient;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'signet-doctor-'));
    gnupgHome = join(work, 'gnupg');
    stack = await startLocalStack({ stateDir: join(work, 'state') });
    await trustLocalKmsKey({ label: 'kms-release' });
    await trustLocalSigningKey({
      gnupgHome,
      userId: 'Doctor Test <d@signet.invalid>',
      label: 'local',
    });
    ssm = new SSMClient({});
  }, 60_000);

  afterAll(async () => {
    ssm.destroy();
    await stopGpgAgent({ home: gnupgHome });
    await stack.close();
    await rm(work, { recursive: true, force: true });
  });

  it('passes on the stack as started, every check reported in --json', async () => {
    // Act
    const text = await runSignet(['doctor']);
    const json = await runSignet(['doctor', 'web', '--json']);

    // Assess
    expect(text.err).toBe('');
    expect(text.out).toMatch(
      /^signet doctor: the deployment is wired correctly \(\d+ passed, 0 failed\)$/,
    );
    expect(text.code).toBe(0);
    const report = JSON.parse(json.out) as DoctorReport;
    expect(report.results.filter((r) => !r.ok || r.warning)).toEqual([]);
    expect(new Set(report.results.map((r) => r.check))).toEqual(
      new Set([
        'bucket-events',
        'bucket-versioning',
        'release-rule',
        'release-rule-target',
        'release-rule-pattern',
        'run-command-document',
        'state-machine',
        'state-table',
        'app-config',
        'app-trusted-keys',
        'app-targets',
      ]),
    );
    expect(json.code).toBe(0);
  });

  it('fails with one clear line once the app’s OpenPGP key parameter is gone', async () => {
    // Prepare
    const saved = (await ssm.send(new GetParameterCommand({ Name: KEY_PARAMETER }))).Parameter;
    await ssm.send(new DeleteParameterCommand({ Name: KEY_PARAMETER }));
    await ssm.send(
      new PutParameterCommand({ Name: KEY_PARAMETER, Type: 'String', Value: 'not a key' }),
    );

    try {
      // Act
      const result = await runSignet(['doctor', 'web']);

      // Assess
      expect(result.code).toBe(1);
      expect(failLines(result.out)).toEqual([
        'FAIL app-trusted-keys: app web: trusted key "local" is not an armored OpenPGP public ' +
          `key (Misformed armored text) (parameter ${KEY_PARAMETER})`,
      ]);
      expect(result.out).toContain('fix: replace it with the armored public key');
    } finally {
      await ssm.send(
        new PutParameterCommand({
          Name: KEY_PARAMETER,
          Type: 'String',
          Overwrite: true,
          Value: saved?.Value ?? '',
        }),
      );
    }
  });

  it('warns about a stopped instance, and fails once no instance is reachable', async () => {
    // Prepare
    const [first, second] = stack.instances;
    if (first === undefined || second === undefined) throw new Error('expected two instances');
    await stack.fleet.stopInstance(first.id);

    try {
      // Act
      const oneStopped = await runSignet(['doctor', 'web']);
      await stack.fleet.stopInstance(second.id);
      const bothStopped = await runSignet(['doctor', 'web']);

      // Assess
      expect(oneStopped.code).toBe(0);
      expect(oneStopped.out).toContain(
        `WARN app-targets: instance ${first.id} tagged signet:app=web is stopped`,
      );
      expect(bothStopped.code).toBe(1);
      expect(failLines(bothStopped.out)).toEqual([
        'FAIL app-targets: no running instance tagged signet:app=web has its SSM agent online: ' +
          'deployments of web fail with NoTargets',
      ]);
    } finally {
      stack.fleet.startInstance(first.id);
      stack.fleet.startInstance(second.id);
    }
  });

  it('fails when the release rule is disabled, with the command that enables it', async () => {
    // Prepare
    const events = new EventBridgeClient({});
    const rule = stack.env['SIGNET_RELEASE_RULE_NAME'] ?? '';
    await events.send(new DisableRuleCommand({ Name: rule }));

    try {
      // Act
      const result = await runSignet(['doctor', 'web']);

      // Assess
      expect(result.code).toBe(1);
      expect(failLines(result.out)).toEqual([
        `FAIL release-rule: EventBridge rule ${rule} is DISABLED, so uploads start no deployment`,
      ]);
      expect(result.out).toContain(`fix: aws events enable-rule --name ${rule}`);
    } finally {
      await events.send(new EnableRuleCommand({ Name: rule }));
      events.destroy();
    }
  });

  it('fails when the bucket no longer sends its events to EventBridge', async () => {
    // Prepare
    const s3 = new S3Client({});
    const turn = (on: boolean) =>
      s3.send(
        new PutBucketNotificationConfigurationCommand({
          Bucket: stack.bucket,
          NotificationConfiguration: on ? { EventBridgeConfiguration: {} } : {},
        }),
      );
    await turn(false);

    try {
      // Act
      const result = await runSignet(['doctor']);

      // Assess
      expect(result.code).toBe(1);
      expect(failLines(result.out)).toEqual([
        `FAIL bucket-events: bucket ${stack.bucket} does not send its events to EventBridge, so ` +
          'uploads start no deployment',
      ]);
    } finally {
      await turn(true);
      s3.destroy();
    }
    expect((await runSignet(['doctor'])).code).toBe(0);
  });
});

function failLines(out: string): string[] {
  return out.split('\n').filter((line) => line.startsWith('FAIL'));
}
