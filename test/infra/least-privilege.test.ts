import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_FUNCTIONS } from '../../functions/manifest.ts';
import {
  logicalIdAt,
  propertiesOf,
  resourcesOfType,
  type SynthesizedSignet,
  synthesizeSignet,
} from '../helpers/infra-stack.ts';

interface Statement {
  readonly Effect: 'Allow' | 'Deny';
  readonly Action: string | string[];
  readonly Resource: unknown;
  readonly Condition?: Record<string, Record<string, unknown>>;
}

// Written out here, apart from infra/function-access.ts, from docs/ARCHITECTURE.md's table and
// the handlers: the test fails when either side changes alone.
const EXPECTED_ACTIONS: Readonly<Record<string, readonly string[]>> = {
  'start-deployment': ['states:StartExecution'],
  'normalize-input': ['s3:GetObject', 's3:ListBucket', 'ssm:GetParameter'],
  'acquire-lock': ['dynamodb:GetItem', 'dynamodb:PutItem', 'states:DescribeExecution'],
  'verify-artifact': [
    's3:GetObject',
    's3:GetObjectVersion',
    's3:ListBucket',
    'ssm:GetParameter',
    'ssm:GetParametersByPath',
  ],
  'resolve-targets': [
    'ec2:DescribeInstances',
    'ssm:DescribeInstanceInformation',
    'ssm:GetParameter',
  ],
  'start-command': ['s3:GetObject', 's3:GetObjectVersion', 'ssm:GetParameter', 'ssm:SendCommand'],
  'check-command': ['ssm:ListCommandInvocations'],
  'record-release': ['ssm:GetParameter', 'ssm:PutParameter'],
  'record-outcome': [
    'dynamodb:DeleteItem',
    'dynamodb:GetItem',
    'dynamodb:PutItem',
    'dynamodb:Query',
    'dynamodb:UpdateItem',
    'events:PutEvents',
    'states:DescribeExecution',
  ],
  'release-lock': ['dynamodb:DeleteItem'],
  'emit-event': ['events:PutEvents'],
};
// Every function writes its own log group and sends X-Ray segments.
const EVERY_FUNCTION = [
  'logs:CreateLogStream',
  'logs:PutLogEvents',
  'xray:PutTelemetryRecords',
  'xray:PutTraceSegments',
];
// Actions the Service Authorization Reference lists with no resource type: only these may
// stand on "*".
const NO_RESOURCE_LEVEL_ACTIONS = new Set([
  'xray:PutTraceSegments',
  'xray:PutTelemetryRecords',
  'xray:GetSamplingRules',
  'xray:GetSamplingTargets',
  'logs:CreateLogDelivery',
  'logs:GetLogDelivery',
  'logs:UpdateLogDelivery',
  'logs:DeleteLogDelivery',
  'logs:ListLogDeliveries',
  'logs:PutResourcePolicy',
  'logs:DescribeResourcePolicies',
  'logs:DescribeLogGroups',
  'ec2:DescribeInstances',
  'ssm:DescribeInstanceInformation',
  'ssm:ListCommandInvocations',
]);

const PARTITION = { Ref: 'AWS::Partition' };
const REGION = { Ref: 'AWS::Region' };
const ACCOUNT = { Ref: 'AWS::AccountId' };
const arnOf = (service: string, rest: unknown[]) => ({
  'Fn::Join': ['', ['arn:', PARTITION, `:${service}:`, REGION, ':', ACCOUNT, ...rest]],
});

// GIVEN the stack with apps web (signet:app=web) and api (team:service=api-prod), synthesized once.
let synth: SynthesizedSignet;
let bucketArn: unknown;
let tableArn: unknown;
let stateMachineName: string;
beforeAll(() => {
  synth = synthesizeSignet();
  bucketArn = {
    'Fn::GetAtt': [logicalIdAt(synth.stack, '/ArtifactBucket/Artifacts/Resource'), 'Arn'],
  };
  tableArn = { 'Fn::GetAtt': [logicalIdAt(synth.stack, '/StateTable/Table/Resource'), 'Arn'] };
  const machines = Object.values(
    resourcesOfType(synth.template, 'AWS::StepFunctions::StateMachine'),
  );
  stateMachineName = String(machines[0]?.Properties['StateMachineName']);
});
afterAll(() => synth.cleanup());

function functionId(id: string): string {
  return logicalIdAt(synth.stack, `/Functions/${pascal(id)}/Resource`);
}

function pascal(id: string): string {
  return id.replace(/(^|-)([a-z])/g, (_m, _d, letter: string) => letter.toUpperCase());
}

/** The role a resource runs as, by the logical id in its `Fn::GetAtt [role, Arn]`. */
function roleOf(functionLogicalId: string): string {
  const fn = propertiesOf(synth.template, 'AWS::Lambda::Function', functionLogicalId);
  return (fn['Role'] as { 'Fn::GetAtt': [string, string] })['Fn::GetAtt'][0];
}

function statementsOfRole(roleId: string): Statement[] {
  return Object.values(resourcesOfType(synth.template, 'AWS::IAM::Policy'))
    .filter((policy) =>
      (policy.Properties['Roles'] as { Ref: string }[]).some((role) => role.Ref === roleId),
    )
    .flatMap(
      (policy) => (policy.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement,
    );
}

const actionsOf = (statement: Statement) => [statement.Action].flat();
const resourcesOf = (statement: Statement) => [statement.Resource].flat();

function functionStatements(id: string): Statement[] {
  return statementsOfRole(roleOf(functionId(id)));
}

function statementsWith(id: string, action: string): Statement[] {
  return functionStatements(id).filter((s) => actionsOf(s).includes(action));
}

describe('each Lambda', () => {
  it.each(LAMBDA_FUNCTIONS.map((spec) => [spec.id]))('%s may call only what it calls', (id) => {
    const actions = new Set(functionStatements(id).flatMap(actionsOf));
    expect([...actions].sort()).toEqual(
      [...(EXPECTED_ACTIONS[id] ?? []), ...EVERY_FUNCTION].sort(),
    );
  });

  it('runs as a role of its own, with no managed or inline policies besides its own', () => {
    const roles = LAMBDA_FUNCTIONS.map((spec) => roleOf(functionId(spec.id)));
    expect(new Set(roles).size).toBe(LAMBDA_FUNCTIONS.length);
    for (const role of roles) {
      const properties = resourcesOfType(synth.template, 'AWS::IAM::Role')[role]?.Properties;
      expect(properties).not.toHaveProperty('ManagedPolicyArns');
      expect(properties).not.toHaveProperty('Policies');
    }
  });

  it('writes only to its own log group', () => {
    for (const spec of LAMBDA_FUNCTIONS) {
      const logGroup = logicalIdAt(synth.stack, `/Functions/${pascal(spec.id)}Logs/Resource`);
      const [statement] = statementsWith(spec.id, 'logs:PutLogEvents');
      expect(statement?.Resource).toEqual({ 'Fn::GetAtt': [logGroup, 'Arn'] });
    }
  });
});

describe('SendCommand', () => {
  it("is allowed with Signet's document only, as its own statement without a condition", () => {
    const documentId = logicalIdAt(synth.stack, '/RunCommandDocument/Document');
    const onDocument = statementsWith('start-command', 'ssm:SendCommand').filter(
      (s) => s.Condition === undefined,
    );
    expect(onDocument).toEqual([
      {
        Effect: 'Allow',
        Action: 'ssm:SendCommand',
        Resource: arnOf('ssm', [':document/', { Ref: documentId }]),
      },
    ]);
  });

  it('is allowed on instances only when they carry a configured app tag', () => {
    const onInstances = statementsWith('start-command', 'ssm:SendCommand').filter(
      (s) => s.Condition !== undefined,
    );
    const instances = arnOf('ec2', [':instance/*']);
    expect(onInstances).toEqual([
      {
        Effect: 'Allow',
        Action: 'ssm:SendCommand',
        Resource: instances,
        Condition: { StringEquals: { 'ssm:resourceTag/signet:app': ['web'] } },
      },
      {
        Effect: 'Allow',
        Action: 'ssm:SendCommand',
        Resource: instances,
        Condition: { StringEquals: { 'ssm:resourceTag/team:service': ['api-prod'] } },
      },
    ]);
  });

  it('is granted to start-command alone', () => {
    const holders = LAMBDA_FUNCTIONS.filter(
      (spec) => statementsWith(spec.id, 'ssm:SendCommand').length > 0,
    ).map((spec) => spec.id);
    expect(holders).toEqual(['start-command']);
  });
});

describe('named resources', () => {
  it('puts "*" only under actions that support no resource-level permissions', () => {
    const policies = [
      ...Object.values(resourcesOfType(synth.template, 'AWS::IAM::Policy')),
      ...Object.values(resourcesOfType(synth.template, 'AWS::IAM::ManagedPolicy')),
    ];
    const onStar = policies
      .flatMap((p) => (p.Properties['PolicyDocument'] as { Statement: Statement[] }).Statement)
      .filter((s) => s.Effect === 'Allow' && resourcesOf(s).includes('*'))
      .flatMap(actionsOf);
    expect(onStar.length).toBeGreaterThan(0);
    expect(onStar.filter((action) => !NO_RESOURCE_LEVEL_ACTIONS.has(action))).toEqual([]);
  });

  it.each([
    ['normalize-input', 's3:GetObject'],
    ['verify-artifact', 's3:GetObjectVersion'],
    ['start-command', 's3:GetObjectVersion'],
  ])("%s reads objects (%s) only under the configured apps' releases/ prefixes", (id, action) => {
    const resources = statementsWith(id, action).flatMap(resourcesOf);
    expect(resources).toEqual([
      { 'Fn::Join': ['', [bucketArn, '/releases/web/*']] },
      { 'Fn::Join': ['', [bucketArn, '/releases/api/*']] },
    ]);
  });

  it.each(['normalize-input', 'verify-artifact'])(
    "%s may list the bucket, and explicitly only under the apps' releases/ prefixes",
    (id) => {
      expect(statementsWith(id, 's3:ListBucket')).toEqual([
        {
          Effect: 'Allow',
          Action: 's3:ListBucket',
          Resource: bucketArn,
          Condition: { StringLikeIfExists: { 's3:prefix': ['releases/web/*', 'releases/api/*'] } },
        },
      ]);
    },
  );

  it('lets no function write to the bucket', () => {
    const writes = LAMBDA_FUNCTIONS.flatMap((spec) => functionStatements(spec.id))
      .flatMap(actionsOf)
      .filter((action) => action.startsWith('s3:') && !/^s3:(Get|List)/.test(action));
    expect(writes).toEqual([]);
  });

  it.each([
    ['normalize-input', 'ssm:GetParameter', ['web/release', 'api/release']],
    [
      'verify-artifact',
      'ssm:GetParameter',
      ['web/config', 'api/config', 'web/release', 'api/release'],
    ],
    [
      'verify-artifact',
      'ssm:GetParametersByPath',
      [
        'web/trusted-keys',
        'web/trusted-keys/release',
        'web/trusted-kms-keys',
        'api/trusted-keys',
        'api/trusted-keys/ci',
        'api/trusted-keys/backup',
        'api/trusted-kms-keys',
      ],
    ],
    [
      'resolve-targets',
      'ssm:GetParameter',
      ['web/config', 'api/config', 'web/release', 'api/release'],
    ],
    ['start-command', 'ssm:GetParameter', ['web/config', 'api/config']],
    ['record-release', 'ssm:PutParameter', ['web/release', 'api/release']],
  ])('%s may %s only on named app parameters', (id, action, names) => {
    const resources = statementsWith(id, action).flatMap(resourcesOf);
    expect(resources).toEqual(
      names.map((name) => arnOf('ssm', [`:parameter/signet/apps/${name}`])),
    );
  });

  it.each([
    [
      'acquire-lock',
      ['dynamodb:GetItem', 'dynamodb:PutItem'],
      'ForAllValues:StringEquals',
      ['lock#web', 'lock#api'],
    ],
    [
      'release-lock',
      ['dynamodb:DeleteItem'],
      'ForAllValues:StringEquals',
      ['lock#web', 'lock#api'],
    ],
  ])('%s reaches only its own items of the state table', (id, actions, operator, keys) => {
    const statements = functionStatements(id).filter((s) =>
      actionsOf(s)[0]?.startsWith('dynamodb:'),
    );
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: actions.length === 1 ? actions[0] : actions,
        Resource: tableArn,
        Condition: { [operator]: { 'dynamodb:LeadingKeys': keys } },
      },
    ]);
  });

  it('lets record-outcome write only audit items, and delete only lock items', () => {
    const statements = functionStatements('record-outcome').filter((s) =>
      actionsOf(s)[0]?.startsWith('dynamodb:'),
    );
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['dynamodb:Query', 'dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:UpdateItem'],
        Resource: tableArn,
        Condition: {
          'ForAllValues:StringLike': {
            'dynamodb:LeadingKeys': ['audit#*', 'audit-head#*', 'audit-run#*'],
          },
        },
      },
      {
        Effect: 'Allow',
        Action: 'dynamodb:DeleteItem',
        Resource: tableArn,
        Condition: {
          'ForAllValues:StringEquals': { 'dynamodb:LeadingKeys': ['lock#web', 'lock#api'] },
        },
      },
    ]);
  });

  it('lets start-deployment start only this state machine, acquire-lock describe only its executions', () => {
    expect(statementsWith('start-deployment', 'states:StartExecution')[0]?.Resource).toEqual(
      arnOf('states', [`:stateMachine:${stateMachineName}`]),
    );
    expect(statementsWith('acquire-lock', 'states:DescribeExecution')[0]?.Resource).toEqual(
      arnOf('states', [`:execution:${stateMachineName}:*`]),
    );
    expect(statementsWith('record-outcome', 'states:DescribeExecution')[0]?.Resource).toEqual(
      arnOf('states', [`:execution:${stateMachineName}:*`]),
    );
  });

  it.each(['emit-event', 'record-outcome'])(
    'lets %s put only source "signet" events on the default bus',
    (id) => {
      expect(statementsWith(id, 'events:PutEvents')).toEqual([
        {
          Effect: 'Allow',
          Action: 'events:PutEvents',
          Resource: arnOf('events', [':event-bus/default']),
          Condition: { StringEquals: { 'events:source': ['signet'] } },
        },
      ]);
    },
  );
});

describe('state machine role', () => {
  it('may invoke exactly its own Task Lambdas, by unqualified ARN', () => {
    const machine = propertiesOf(
      synth.template,
      'AWS::StepFunctions::StateMachine',
      logicalIdAt(synth.stack, '/StateMachine/StateMachine/Resource'),
    );
    const role = (machine['RoleArn'] as { 'Fn::GetAtt': [string] })['Fn::GetAtt'][0];
    const invoke = statementsOfRole(role).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('lambda:')),
    );
    const tasks = LAMBDA_FUNCTIONS.filter((spec) => spec.arnSubstitution !== null);
    expect(invoke).toEqual([
      {
        Effect: 'Allow',
        Action: 'lambda:InvokeFunction',
        Resource: tasks.map((spec) => ({ 'Fn::GetAtt': [functionId(spec.id), 'Arn'] })),
      },
    ]);
  });

  it('lets only EventBridge, for its two rules, invoke a function directly', () => {
    const permissions = Object.values(resourcesOfType(synth.template, 'AWS::Lambda::Permission'));
    const invokedBy = (id: string, rulePath: string) => ({
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [functionId(id), 'Arn'] },
      Principal: 'events.amazonaws.com',
      SourceArn: { 'Fn::GetAtt': [logicalIdAt(synth.stack, rulePath), 'Arn'] },
    });
    expect(permissions.map((p) => p.Properties)).toEqual(
      expect.arrayContaining([
        invokedBy('start-deployment', '/ReleaseTrigger/Rule/Resource'),
        invokedBy('record-outcome', '/ExecutionStopped/Rule/Resource'),
      ]),
    );
    expect(permissions).toHaveLength(2);
  });
});

describe('instance policies', () => {
  it.each(['web', 'api'])('let %s hosts upload their command output and read nothing', (app) => {
    const policy = propertiesOf(
      synth.template,
      'AWS::IAM::ManagedPolicy',
      logicalIdAt(synth.stack, `/InstanceAccess/Policy-${app}/Resource`),
    );
    const statements = (policy['PolicyDocument'] as { Statement: Statement[] }).Statement;
    expect(statements).toEqual([
      {
        Effect: 'Allow',
        Action: ['s3:PutObject', 's3:PutObjectAcl'],
        Resource: { 'Fn::Join': ['', [bucketArn, `/command-output/${app}/*`]] },
      },
      { Effect: 'Allow', Action: 's3:GetEncryptionConfiguration', Resource: bucketArn },
    ]);
  });
});
