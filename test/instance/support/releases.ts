/**
 * Release trees and tarballs for host-script tests. Tarballs are made with the tar CLI, as a
 * person packaging by hand would; fixture hooks append "<hook> <version>" to $SIGNET_TEST_LOG so
 * a test can read the order hooks ran in.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { HOOK_NAMES, type HookName } from '../../../core/appspec-types.ts';

export interface HookSpec {
  /** Shell run after the hook logs itself; its exit status is the hook's. */
  readonly body?: string;
  readonly timeout?: number;
  readonly runas?: string;
}

export interface ReleaseSpec {
  readonly hooks?: Partial<Record<HookName, HookSpec>>;
  /** Extra files: relative path -> content. */
  readonly files?: Readonly<Record<string, string>>;
  /** Replaces the generated appspec.yml; null leaves it out. */
  readonly appspec?: string | null;
}

/** All five hooks, each only logging itself. */
export const ALL_HOOKS: Partial<Record<HookName, HookSpec>> = Object.fromEntries(
  HOOK_NAMES.map((name) => [name, {}]),
);

export function makeTempDir(prefix: string): string {
  return mkdtempSync(join(tmpdir(), prefix));
}

export function removeDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
}

/** Writes a release tree into `dir`: appspec.yml, hook scripts, extra files. */
export function writeRelease(dir: string, spec: ReleaseSpec = { hooks: ALL_HOOKS }): void {
  mkdirSync(dir, { recursive: true });
  const hooks = spec.hooks ?? {};
  const lines = ['version: 0.0', 'os: linux', 'hooks:'];
  for (const name of HOOK_NAMES) {
    const hook = hooks[name];
    if (hook === undefined) continue;
    lines.push(`  ${name}:`, `    - location: hooks/${name}.sh`);
    if (hook.timeout !== undefined) lines.push(`      timeout: ${hook.timeout}`);
    if (hook.runas !== undefined) lines.push(`      runas: ${hook.runas}`);
    writeFile(
      join(dir, 'hooks', `${name}.sh`),
      [
        // biome-ignore lint/suspicious/noTemplateCurlyInString: shell text, expanded by bash.
        'if [ -n "${SIGNET_TEST_LOG:-}" ]; then',
        '  echo "$LIFECYCLE_EVENT $SIGNET_VERSION" >>"$SIGNET_TEST_LOG"',
        'fi',
        hook.body ?? 'true',
        '',
      ].join('\n'),
    );
  }
  if (spec.appspec !== null) {
    writeFile(join(dir, 'appspec.yml'), spec.appspec ?? `${lines.join('\n')}\n`);
  }
  for (const [path, content] of Object.entries(spec.files ?? {})) {
    writeFile(join(dir, path), content);
  }
}

function writeFile(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** `tar -czf out -C dir <extra args> .`; returns the artifact's SHA-256. */
export function packRelease(dir: string, out: string, members: readonly string[] = ['.']): string {
  execFileSync('tar', ['-czf', out, '-C', dir, ...members]);
  return sha256File(out);
}

export function sha256File(path: string): string {
  return createHash('sha256').update(readFileSync(path)).digest('hex');
}

/** Writes an executable file (for hooks a test writes by hand). */
export function writeExecutable(path: string, content: string): void {
  writeFile(path, content);
  chmodSync(path, 0o755);
}
