import type { AppStatus } from '../../core/operator/app-status.ts';
import type { DeployedRelease } from '../../core/release-record.ts';
import { printable } from './printable.ts';

export function renderStatus(status: AppStatus): string {
  const { record, deploying } = status;
  const lines = [`${record.app}`];
  lines.push(`  current   ${describe(record.current)}`);
  lines.push(`  previous  ${describe(record.previous)}`);
  lines.push(
    deploying === null
      ? '  deploying nothing'
      : `  deploying ${deploying.owner} (since ${deploying.acquiredAt})`,
  );
  return lines.map(printable).join('\n');
}

function describe(release: DeployedRelease | null): string {
  if (release === null) return 'none';
  return `${release.version}  sha256 ${release.sha256.slice(0, 12)}…  deployed ${release.deployedAt}`;
}
