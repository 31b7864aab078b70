import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { LAMBDA_FUNCTIONS, type LambdaFunctionSpec } from '../functions/manifest.ts';
import {
  type AccessContext,
  FUNCTION_ACCESS,
  NO_RESOURCE_LEVEL_PERMISSIONS,
} from './function-access.ts';
import { acknowledgeRule, acknowledgeWildcardResources } from './nag-acknowledgements.ts';

export interface SignetFunctionsProps {
  /** Directory with `<id>/index.mjs` for every function of the manifest. */
  readonly bundleDir: string;
  /** The settings of core/settings.ts, by environment variable name. */
  readonly environment: Readonly<Record<string, string>>;
  readonly access: AccessContext;
  readonly logRetention: logs.RetentionDays;
}

// Added by CDK to every role of a traced function.
const XRAY_ACTIONS = ['xray:PutTraceSegments', 'xray:PutTelemetryRecords'];

/**
 * The eleven Lambdas of functions/manifest.ts, each from its own esbuild bundle, with its own
 * role holding only its row of the access table, its own log group and X-Ray tracing.
 */
export class SignetFunctions extends Construct {
  /** Functions by manifest id. */
  readonly byId: ReadonlyMap<string, lambda.Function>;

  constructor(scope: Construct, id: string, props: SignetFunctionsProps) {
    super(scope, id);
    const functions = new Map<string, lambda.Function>();
    for (const spec of LAMBDA_FUNCTIONS) {
      functions.set(spec.id, this.#function(spec, props));
    }
    this.byId = functions;
  }

  /** The function of a manifest id; throws for an id the manifest does not list. */
  get(id: string): lambda.Function {
    const fn = this.byId.get(id);
    if (fn === undefined) throw new Error(`${this.node.path}: no function ${id} in the manifest`);
    return fn;
  }

  #function(spec: LambdaFunctionSpec, props: SignetFunctionsProps): lambda.Function {
    const access = FUNCTION_ACCESS[spec.id];
    if (access === undefined) {
      throw new Error(`${this.node.path}: function ${spec.id} has no row in FUNCTION_ACCESS`);
    }
    const name = pascalCase(spec.id);
    const logGroup = new logs.LogGroup(this, `${name}Logs`, { retention: props.logRetention });
    const role = new iam.Role(this, `${name}Role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Signet ${spec.id}: ${spec.description}`.slice(0, 1000),
    });
    const fn = new lambda.Function(this, name, {
      description: spec.description,
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      code: lambda.Code.fromAsset(join(props.bundleDir, spec.id)),
      handler: 'index.handler',
      timeout: Duration.seconds(spec.timeoutSeconds),
      memorySize: spec.memoryMb,
      role,
      logGroup,
      tracing: lambda.Tracing.ACTIVE,
      environment: { ...props.environment },
    });
    logGroup.grantWrite(role);
    acknowledgeRule(
      fn,
      'L1',
      'nodejs24.x is the runtime the bundles are built for (esbuild target node24) and the ' +
        'Node that local mode runs the same handlers on; moving to a newer runtime changes ' +
        'both together, on purpose, not by a lint rule.',
    );

    // Reasons by wildcard resource: statements on the same ARN share one acknowledgement.
    const reasons = new Map<string, Set<string>>([['*', new Set()]]);
    for (const grant of access(props.access)) {
      role.addToPrincipalPolicy(grant.statement);
      if (grant.wildcardReason === undefined) continue;
      for (const resource of grant.statement.resources) {
        const set = reasons.get(resource) ?? new Set();
        set.add(`${grant.statement.actions.join(', ')}: ${grant.wildcardReason}.`);
        reasons.set(resource, set);
      }
    }
    reasons
      .get('*')
      ?.add(`${XRAY_ACTIONS.join(', ')} (X-Ray tracing): ${NO_RESOURCE_LEVEL_PERMISSIONS}.`);
    for (const [resource, set] of reasons) {
      acknowledgeWildcardResources(role, [resource], [...set].join(' '));
    }
    return fn;
  }
}

function pascalCase(id: string): string {
  return id.replace(/(^|-)([a-z])/g, (_match, _dash, letter: string) => letter.toUpperCase());
}
