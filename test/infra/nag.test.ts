import { App, Stack, Validations } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SynthesizedSignet, synthesizeSignet } from '../helpers/infra-stack.ts';

interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

// GIVEN the stack, synthesized once.
let synth: SynthesizedSignet;
beforeAll(() => {
  synth = synthesizeSignet();
});
afterAll(() => synth.cleanup());

function acknowledgements(root: IConstruct): Acknowledgement[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** What AwsSolutions would report if nothing were acknowledged. */
function findingsWithoutAcknowledgements(app: App) {
  const key = Validations.ACKNOWLEDGED_RULES_METADATA_KEY;
  // cdk-nag reads acknowledgements under this key; pointing it elsewhere hides them all.
  Object.defineProperty(Validations, 'ACKNOWLEDGED_RULES_METADATA_KEY', { value: 'none' });
  try {
    return new AwsSolutionsChecks().validateScope(app).violations;
  } finally {
    Object.defineProperty(Validations, 'ACKNOWLEDGED_RULES_METADATA_KEY', { value: key });
  }
}

describe('cdk-nag AwsSolutions', () => {
  it('finds nothing that is not acknowledged', () => {
    const report = new AwsSolutionsChecks().validateScope(synth.app);
    expect(report.violations).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('leaves no CDK warning or error annotation', () => {
    const annotations = Annotations.fromStack(synth.stack);
    expect(annotations.findWarning('*', Match.anyValue())).toEqual([]);
    expect(annotations.findError('*', Match.anyValue())).toEqual([]);
  });

  it('reports the rules it checks, when they are broken, so a clean report means something', () => {
    const app = new App();
    new s3.Bucket(new Stack(app, 'Careless'), 'Bucket');
    const rules = new AwsSolutionsChecks().validateScope(app).violations.map((v) => v.ruleName);
    expect(rules).toEqual(expect.arrayContaining(['AwsSolutions-S1', 'AwsSolutions-S10']));
  });

  it('acknowledges each finding on its own construct, and nothing that was not found', () => {
    const found = findingsWithoutAcknowledgements(synth.app).flatMap((violation) =>
      violation.violatingResources.map((resource) => ({
        id: violation.ruleName,
        path: resource.constructPath ?? '',
      })),
    );
    const acknowledged = acknowledgements(synth.app);
    expect(found.length).toBeGreaterThan(0);
    for (const finding of found) {
      expect(
        acknowledged.some((a) => a.id === finding.id && finding.path.startsWith(`${a.path}/`)),
        `${finding.id} at ${finding.path}`,
      ).toBe(true);
    }
    for (const ack of acknowledged) {
      expect(
        found.some((f) => f.id === ack.id && f.path.startsWith(`${ack.path}/`)),
        `stale acknowledgement ${ack.id} at ${ack.path}`,
      ).toBe(true);
    }
  });

  it('acknowledges nothing for a whole stack or app, nor a whole rule with per-finding ids', () => {
    const acknowledged = acknowledgements(synth.app);
    const broad = acknowledged.filter(
      (a) => a.path === synth.stack.node.path || a.path === '' || /^AwsSolutions-IAM5$/.test(a.id),
    );
    expect(broad).toEqual([]);
  });

  it('gives every acknowledgement a reason a reviewer can check', () => {
    for (const { id, path, reason } of acknowledgements(synth.app)) {
      expect(reason.length, `${id} at ${path}`).toBeGreaterThanOrEqual(60);
    }
  });

  it('acknowledges "*" only for roles whose "*" actions support no resource-level permissions', () => {
    const onStar = acknowledgements(synth.app).filter(
      (a) => a.id === 'AwsSolutions-IAM5[Resource::*]',
    );
    expect(onStar.length).toBe(12);
    for (const { reason } of onStar) expect(reason).toMatch(/no resource-level permissions/);
  });
});
