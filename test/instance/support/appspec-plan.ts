/** The text form of a parsed appspec that the host script's appspec_print_plan prints. */
import { type AppSpec, HOOK_NAMES } from '../../../core/appspec-types.ts';

export function formatAppSpecPlan(spec: AppSpec): string {
  const lines = [`version ${spec.version}`, `os ${spec.os}`];
  for (const name of HOOK_NAMES) {
    for (const script of spec.hooks[name] ?? []) {
      lines.push(`${name} ${script.timeoutSeconds} ${script.runas ?? '-'} ${script.location}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
