import { readFile } from 'node:fs/promises';
import { availableParallelism, totalmem } from 'node:os';
import { runTimed } from './measure.ts';

/** What the numbers were measured on; printed with every table. */
export interface MachineInfo {
  readonly cpus: number;
  readonly cpuModel: string;
  readonly memoryMiB: number;
  readonly node: string;
  readonly openssl: string;
  readonly gzip: string;
  readonly gpg: string;
}

export async function describeMachine(): Promise<MachineInfo> {
  const cpuinfo = await readFile('/proc/cpuinfo', 'utf8').catch(() => '');
  const model = /^model name\s*:\s*(.+)$/m.exec(cpuinfo)?.[1] ?? 'unknown';
  const firstLine = async (command: string, args: string[]) =>
    (
      await runTimed(command, args, { keepStdout: true }).catch(() => ({ stdout: 'missing' }))
    ).stdout
      .split('\n')[0]
      ?.trim() ?? 'missing';
  return {
    cpus: availableParallelism(),
    cpuModel: model.trim(),
    memoryMiB: Math.round(totalmem() / 1024 / 1024),
    node: process.version,
    openssl: await firstLine('openssl', ['version']),
    gzip: await firstLine('gzip', ['--version']),
    gpg: await firstLine('gpg', ['--version']),
  };
}

export function formatMachine(machine: MachineInfo): string {
  return [
    `machine: ${machine.cpus} CPUs (${machine.cpuModel}), ${machine.memoryMiB} MiB memory`,
    `tools: node ${machine.node}; ${machine.openssl}; ${machine.gzip}; ${machine.gpg}`,
  ].join('\n');
}
