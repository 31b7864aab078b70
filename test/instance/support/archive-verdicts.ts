/**
 * The two judges of an archive's entries: the verify step's archive scan (core/verification) and
 * the host script's check before extraction (`extract_release` in instance/signet-host.sh).
 */
import {
  lstatSync,
  mkdtempSync,
  readdirSync,
  realpathSync,
  type Stats,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { scanArchive } from '../../core/verification/fixtures.ts';
import { HOST_SCRIPT, runProcess, testPath } from './host-script.ts';
import { removeDir } from './releases.ts';

export type Verdict = 'accepted' | 'refused';

export interface VerificationOutcome {
  readonly verdict: Verdict;
  /** The refusal's error name and message, '' when accepted. */
  readonly reason: string;
  readonly errorName: string | null;
}

export interface HostOutcome {
  readonly verdict: Verdict;
  readonly code: number | null;
  readonly stderr: string;
  /** Whether tar got as far as creating the release directory. */
  readonly extracted: boolean;
  /** Extracted symlinks whose real path is outside the release, or setuid/setgid files. */
  readonly harm: readonly string[];
  /** What the run left beside the archive and the staging directory (should be nothing). */
  readonly leftOutside: readonly string[];
}

/** The archive scan of verifyArtifactStream, with the default limits. */
export async function verificationVerdict(artifact: Uint8Array): Promise<VerificationOutcome> {
  const { fault } = await scanArchive(artifact);
  if (fault === null) return { verdict: 'accepted', reason: '', errorName: null };
  const error = fault instanceof Error ? fault : new Error(String(fault));
  return { verdict: 'refused', reason: `${error.name}: ${error.message}`, errorName: error.name };
}

/** The host's check and extraction, exactly as `install` runs them on the downloaded artifact. */
export async function hostVerdict(artifact: Uint8Array): Promise<HostOutcome> {
  const root = mkdtempSync(join(tmpdir(), 'signet-parity-'));
  try {
    const archive = join(root, 'artifact.tar.gz');
    const staging = join(root, 'staging');
    const tree = join(staging, 'tree');
    writeFileSync(archive, artifact);
    const script =
      'source "$1" && APP=web VERSION=1.0.0 && mkdir "$2" && STAGING_DIR=$2 && ' +
      'extract_release "$3" "$2/tree"';
    const result = await runProcess(
      'bash',
      ['-c', script, 'parity', HOST_SCRIPT, staging, archive],
      { PATH: testPath() },
    );
    const extracted = readdirSync(staging).includes('tree');
    return {
      verdict: result.code === 0 ? 'accepted' : 'refused',
      code: result.code,
      stderr: result.stderr,
      extracted,
      harm: extracted ? harmIn(tree) : [],
      leftOutside: readdirSync(root).filter(
        (name) => name !== 'artifact.tar.gz' && name !== 'staging',
      ),
    };
  } finally {
    removeDir(root);
  }
}

/** Symlinks that resolve outside `tree`, and files with setuid or setgid bits left on. */
function harmIn(tree: string): string[] {
  const harm: string[] = [];
  const inside = `${realpathSync(tree)}${sep}`;
  // Buffers, not strings: a name that is not UTF-8 must still be found again by lstat.
  const visit = (dir: Buffer) => {
    for (const name of readdirSync(dir, { encoding: 'buffer' })) {
      const path = Buffer.concat([dir, Buffer.from(sep), name]);
      const shown = path.toString().slice(tree.length + 1);
      const stat = lstatOrNull(path);
      // Past PATH_MAX from the test's root: only the long-name rows get there, with no links.
      if (stat === null) continue;
      if ((stat.mode & 0o6000) !== 0) harm.push(`${shown} has mode ${stat.mode.toString(8)}`);
      if (stat.isSymbolicLink()) {
        const real = resolvedOrNull(path);
        if (real !== null && !`${real}${sep}`.startsWith(inside)) {
          harm.push(`${shown} resolves to ${real}`);
        }
      } else if (stat.isDirectory()) {
        visit(path);
      }
    }
  };
  visit(Buffer.from(tree));
  return harm;
}

function lstatOrNull(path: Buffer): Stats | null {
  try {
    return lstatSync(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENAMETOOLONG') return null;
    throw error;
  }
}

/** A symlink's real path, or null when it dangles or loops (harmless). */
function resolvedOrNull(path: Buffer): string | null {
  try {
    return realpathSync(path, 'utf8');
  } catch {
    return null;
  }
}
