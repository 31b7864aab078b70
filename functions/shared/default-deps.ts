import { AuditLog } from '../../core/audit-log.ts';
import { createAwsClients } from '../../core/aws-clients.ts';
import { DeploymentLock } from '../../core/deployment-lock.ts';
import { numericSetting, setting } from '../../core/settings.ts';

/**
 * The real dependencies of the handlers, built on first use so that importing a handler (in a
 * test, or in local mode before its endpoints are set) creates no client and reads no setting.
 */
export const clients = createAwsClients();

export function defaultLock(): DeploymentLock {
  return new DeploymentLock({
    dynamodb: clients.dynamodb,
    sfn: clients.sfn,
    table: setting('stateTable'),
    leaseSeconds: numericSetting('lockLeaseSeconds'),
  });
}

export function defaultAuditLog(): AuditLog {
  return new AuditLog(clients.dynamodb, setting('stateTable'));
}

export function parameterPrefix(): string {
  return setting('parameterPrefix');
}
