import * as iam from 'aws-cdk-lib/aws-iam';
import { EVENT_SOURCE } from '../core/deployment-events.ts';
import { RELEASES_PREFIX } from '../core/release-names.ts';
import { KMS_SIGNING_ALGORITHM } from '../core/verification/index.ts';
import type { AppParameterArns } from './app-parameters.ts';
import type { ArtifactBucket } from './artifact-bucket.ts';

/** What the access table needs to name each resource. */
export interface AccessContext {
  /** Configured apps, with their EC2 target tags. */
  readonly apps: readonly {
    readonly name: string;
    readonly tagKey: string;
    readonly tagValue: string;
    readonly parameters: AppParameterArns;
    /** ARNs of the app's trusted-key parameters, each named. */
    readonly trustedKeyArns: readonly string[];
    /** ARNs of the app's trusted-KMS-key parameters, each named. */
    readonly trustedKmsKeyParameterArns: readonly string[];
    /** ARNs of the KMS keys the app trusts: the verify function may call kms:Verify on them. */
    readonly kmsKeyArns: readonly string[];
    /** ARNs of the CloudWatch alarms of the app's `health.alarms`, which check-command reads. */
    readonly alarmArns: readonly string[];
  }[];
  readonly artifacts: ArtifactBucket;
  readonly tableArn: string;
  readonly documentArn: string;
  /** `arn:<partition>:ec2:<region>:<account>:instance/*` */
  readonly instanceArns: string;
  readonly stateMachineArn: string;
  /** `arn:...:execution:<state machine name>:*` */
  readonly executionArns: string;
  readonly eventBusArn: string;
}

/** KMS condition keys that hold a Sign or Verify to Signet's convention (docs/VERIFICATION.md). */
export const KMS_SIGNATURE_CONDITIONS = {
  'kms:SigningAlgorithm': KMS_SIGNING_ALGORITHM,
  'kms:MessageType': 'DIGEST',
};

/** One statement of a function's policy, with the reason for any wildcard it holds. */
export interface Grant {
  readonly statement: iam.PolicyStatement;
  /** Why a wildcard in the statement's resources cannot be narrowed; read by reviewers. */
  readonly wildcardReason?: string;
}

// The reason shared by every statement on "*": the Service Authorization Reference lists no
// resource type for these actions, so IAM accepts no narrower resource.
export const NO_RESOURCE_LEVEL_PERMISSIONS =
  'these actions support no resource-level permissions (the Service Authorization Reference ' +
  'lists no resource type for them), so IAM requires "*"';

/**
 * The IAM of each Lambda: exactly the calls its handler makes (docs/ARCHITECTURE.md, "The
 * Lambdas"), on named resources. Tests hold every function to this table; a function missing
 * here fails synthesis.
 */
export const FUNCTION_ACCESS: Readonly<Record<string, (context: AccessContext) => Grant[]>> = {
  'start-deployment': (c) => [allow(['states:StartExecution'], [c.stateMachineArn])],

  'normalize-input': (c) => [
    allow(['ssm:GetParameter'], releaseRecords(c)),
    // HeadObject of the latest version, for a manual {bucket, key} or {app, version}.
    allow(['s3:GetObject'], releaseObjects(c), RELEASE_OBJECTS_REASON),
    listReleases(c),
  ],

  'acquire-lock': (c) => [
    lockItems(c, ['dynamodb:GetItem', 'dynamodb:PutItem']),
    // Is the execution that holds the lock still running?
    allow(
      ['states:DescribeExecution'],
      [c.executionArns],
      'execution names are derived from each uploaded object version at run time; the ARN ' +
        'names this state machine, so only its own executions can be described',
    ),
  ],

  'verify-artifact': (c) => [
    allow(['ssm:GetParameter'], [...configs(c), ...releaseRecords(c)]),
    // Both paths are read for every app, whichever kinds of key it trusts.
    allow(
      ['ssm:GetParametersByPath'],
      c.apps.flatMap((app) => [
        app.parameters.trustedKeysPath,
        ...app.trustedKeyArns,
        app.parameters.trustedKmsKeysPath,
        ...app.trustedKmsKeyParameterArns,
      ]),
    ),
    allow(['s3:GetObject', 's3:GetObjectVersion'], releaseObjects(c), RELEASE_OBJECTS_REASON),
    listReleases(c),
    ...kmsVerify(c),
  ],

  'resolve-targets': (c) => [
    allow(['ssm:GetParameter'], [...configs(c), ...releaseRecords(c)]),
    allow(
      ['ec2:DescribeInstances', 'ssm:DescribeInstanceInformation'],
      ['*'],
      NO_RESOURCE_LEVEL_PERMISSIONS,
    ),
  ],

  'start-command': (c) => [
    allow(['ssm:GetParameter'], configs(c)),
    // SendCommand is authorized once on the document and once on every target instance.
    allow(['ssm:SendCommand'], [c.documentArn]),
    ...sendCommandOnTaggedInstances(c),
    // The artifact URL is presigned with this role: S3 checks its rights when a host downloads.
    allow(['s3:GetObject', 's3:GetObjectVersion'], releaseObjects(c), RELEASE_OBJECTS_REASON),
  ],

  'check-command': (c) => [
    allow(['ssm:ListCommandInvocations'], ['*'], NO_RESOURCE_LEVEL_PERMISSIONS),
    ...describeAlarms(c),
  ],

  'record-release': (c) => [allow(['ssm:GetParameter', 'ssm:PutParameter'], releaseRecords(c))],

  'record-outcome': (c) => [
    // Any app's chain, its head and its run markers (core/audit-items.ts): a refused upload for
    // an app the stack does not know is audited too, as is an input naming no app.
    leadingKeys(
      c,
      ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
      ['audit#*', 'audit-head#*', 'audit-run#*'],
      'ForAllValues:StringLike',
    ),
    // A stopped or timed-out execution (docs/SECURITY.md, G2): its input, its lock, its alert.
    allow(
      ['states:DescribeExecution'],
      [c.executionArns],
      'the stopped execution is named by its status event at run time; the ARN names this ' +
        'state machine, so only its own executions can be described',
    ),
    lockItems(c, ['dynamodb:DeleteItem']),
    putSignetEvents(c),
  ],

  'release-lock': (c) => [lockItems(c, ['dynamodb:DeleteItem'])],

  'emit-event': (c) => [putSignetEvents(c)],
};

/** Signet's own events (source `signet`) on the bus, and no one else's. */
function putSignetEvents(c: AccessContext): Grant {
  return {
    statement: new iam.PolicyStatement({
      actions: ['events:PutEvents'],
      resources: [c.eventBusArn],
      conditions: { StringEquals: { 'events:source': [EVENT_SOURCE] } },
    }),
  };
}

const RELEASE_OBJECTS_REASON =
  "limited to configured apps' release prefixes (releases/<app>/*); the versions and their " +
  'signatures are uploaded after deployment, so their keys cannot be named at synth time';

function allow(actions: string[], resources: string[], wildcardReason?: string): Grant {
  const statement = new iam.PolicyStatement({ actions, resources });
  return wildcardReason === undefined ? { statement } : { statement, wildcardReason };
}

/** kms:Verify on the allow-listed keys alone, and only as verification asks it. */
function kmsVerify(c: AccessContext): Grant[] {
  const keys = [...new Set(c.apps.flatMap((app) => app.kmsKeyArns))];
  if (keys.length === 0) return [];
  return [
    {
      statement: new iam.PolicyStatement({
        actions: ['kms:Verify'],
        resources: keys,
        conditions: { StringEquals: KMS_SIGNATURE_CONDITIONS },
      }),
    },
  ];
}

/**
 * The health alarm gate's reads, on the configured alarms alone: DescribeAlarms authorizes on
 * the `alarm` resource type (Service Authorization Reference), so each alarm's ARN is named.
 */
function describeAlarms(c: AccessContext): Grant[] {
  const alarms = [...new Set(c.apps.flatMap((app) => app.alarmArns))];
  return alarms.length === 0 ? [] : [allow(['cloudwatch:DescribeAlarms'], alarms)];
}

function configs(c: AccessContext): string[] {
  return c.apps.map((app) => app.parameters.config);
}

function releaseRecords(c: AccessContext): string[] {
  return c.apps.map((app) => app.parameters.releaseRecord);
}

function releaseObjects(c: AccessContext): string[] {
  return c.apps.map((app) => c.artifacts.releasesOf(app.name));
}

/**
 * Listing lets S3 answer NoSuchKey (404) for a signature not uploaded yet, which verification
 * retries, instead of AccessDenied (403), which it cannot tell from a real denial. IfExists:
 * the check S3 makes for a missing key may carry no prefix, and must still pass.
 */
function listReleases(c: AccessContext): Grant {
  return {
    statement: new iam.PolicyStatement({
      actions: ['s3:ListBucket'],
      resources: [c.artifacts.bucket.bucketArn],
      conditions: {
        StringLikeIfExists: {
          's3:prefix': c.apps.map((app) => `${RELEASES_PREFIX}${app.name}/*`),
        },
      },
    }),
  };
}

function lockItems(c: AccessContext, actions: string[]): Grant {
  const keys = c.apps.map((app) => `lock#${app.name}`);
  return leadingKeys(c, actions, keys, 'ForAllValues:StringEquals');
}

function leadingKeys(c: AccessContext, actions: string[], keys: string[], operator: string): Grant {
  return {
    statement: new iam.PolicyStatement({
      actions,
      resources: [c.tableArn],
      conditions: { [operator]: { 'dynamodb:LeadingKeys': keys } },
    }),
  };
}

/** One statement per tag key, allowing the configured apps' tag values under it. */
function sendCommandOnTaggedInstances(c: AccessContext): Grant[] {
  const valuesByKey = new Map<string, string[]>();
  for (const app of c.apps) {
    const values = valuesByKey.get(app.tagKey) ?? [];
    if (!values.includes(app.tagValue)) values.push(app.tagValue);
    valuesByKey.set(app.tagKey, values);
  }
  return [...valuesByKey].map(([tagKey, values]) => ({
    statement: new iam.PolicyStatement({
      actions: ['ssm:SendCommand'],
      resources: [c.instanceArns],
      conditions: { StringEquals: { [`ssm:resourceTag/${tagKey}`]: values } },
    }),
    wildcardReason:
      'target instances are found by tag at run time; the ssm:resourceTag condition allows ' +
      `only instances tagged ${tagKey}=${values.join(' or ')}`,
  }));
}
