import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  linkSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { HostFixture } from './support/host-fixture.ts';
import { ALL_HOOKS, sha256File, writeRelease } from './support/releases.ts';

let host: HostFixture;

beforeEach(async () => {
  await host?.close();
  host = await HostFixture.start();
});

afterAll(async () => {
  await host.close();
});

const isRoot = process.getuid?.() === 0;

interface UnsafeCase {
  readonly label: string;
  /** Adds the hostile entry to the release tree and returns extra tar arguments. */
  readonly prepare: (tree: string, outside: string) => readonly string[];
  readonly message: string;
  readonly needsRoot?: boolean;
}

const cases: readonly UnsafeCase[] = [
  {
    label: 'an absolute path',
    prepare: (tree, outside) => {
      writeFileSync(join(tree, 'evil'), 'x');
      return ['-P', '--transform', `s,^\\./evil$,${outside}/abs-evil,`];
    },
    message: "/abs-evil\": absolute path or '..' component",
  },
  {
    label: 'a .. component',
    prepare: (tree) => {
      writeFileSync(join(tree, 'evil'), 'x');
      return ['--transform', 's,^\\./evil$,./sub/../../dotdot-evil,'];
    },
    message: '"./sub/../../dotdot-evil": absolute path or \'..\' component',
  },
  {
    label: 'a backslash in the name',
    prepare: (tree) => {
      writeFileSync(join(tree, 'back\\slash'), 'x');
      return [];
    },
    message: 'the name has a backslash, a control character or is not UTF-8',
  },
  {
    label: 'a newline in the name',
    prepare: (tree) => {
      writeFileSync(join(tree, 'line\nbreak'), 'x');
      return [];
    },
    message: 'the name has a backslash, a control character or is not UTF-8',
  },
  {
    label: 'a symlink to an absolute path',
    prepare: (tree) => {
      symlinkSync('/etc/passwd', join(tree, 'passwd'));
      return [];
    },
    message: '"./passwd": link target "/etc/passwd" is absolute or goes through \'..\'',
  },
  {
    label: 'a symlink through .. out of the release',
    prepare: (tree) => {
      mkdirSync(join(tree, 'sub'));
      symlinkSync('../../outside', join(tree, 'sub', 'up'));
      return [];
    },
    message: '"./sub/up": link target "../../outside" leaves the release',
  },
  {
    label: 'a hard link to an absolute path',
    prepare: (tree, outside) => {
      writeFileSync(join(tree, 'target'), 'x');
      linkSync(join(tree, 'target'), join(tree, 'hard'));
      // Flags RS: rewrite only hard link targets, not member names or symlink targets.
      return ['-P', '--transform', `s,^\\./target$,${outside}/hard-target,RS`];
    },
    message: "/hard-target\" is absolute or goes through '..'",
  },
  {
    label: 'a hard link through ..',
    prepare: (tree) => {
      writeFileSync(join(tree, 'target'), 'x');
      linkSync(join(tree, 'target'), join(tree, 'hard'));
      return ['-P', '--transform', 's,^\\./target$,../../hard-target,RS'];
    },
    message: '"./hard": link target "../../hard-target" is absolute or goes through \'..\'',
  },
  {
    label: 'a FIFO',
    prepare: (tree) => {
      execFileSync('mkfifo', [join(tree, 'pipe')]);
      return [];
    },
    message: '"./pipe": type \'p\' (device, FIFO or other special file)',
  },
  {
    label: 'a character device',
    needsRoot: true,
    prepare: (tree) => {
      execFileSync('mknod', [join(tree, 'null'), 'c', '1', '3']);
      return [];
    },
    message: '"./null": type \'c\' (device, FIFO or other special file)',
  },
  {
    label: 'a block device',
    needsRoot: true,
    prepare: (tree) => {
      execFileSync('mknod', [join(tree, 'disk'), 'b', '7', '0']);
      return [];
    },
    message: '"./disk": type \'b\' (device, FIFO or other special file)',
  },
  {
    label: 'a setuid file',
    prepare: (tree) => {
      writeFileSync(join(tree, 'suid'), '#!/bin/sh\n');
      chmodSync(join(tree, 'suid'), 0o4755);
      return [];
    },
    message: '"./suid": setuid or setgid bit',
  },
  {
    label: 'a setgid directory',
    prepare: (tree) => {
      mkdirSync(join(tree, 'sgid'));
      chmodSync(join(tree, 'sgid'), 0o2755);
      return [];
    },
    message: '"./sgid/": setuid or setgid bit',
  },
];

describe('archive entries checked on the host', () => {
  it.each(cases.filter((c) => isRoot || !c.needsRoot))(
    'refuses $label with 67 and writes nothing outside staging',
    async ({ prepare, message }) => {
      const tree = join(host.root, 'tree');
      const outside = join(host.root, 'outside');
      writeRelease(tree, { hooks: ALL_HOOKS });
      const tarArgs = prepare(tree, outside);
      const artifact = join(host.root, 'hostile.tar.gz');
      execFileSync('tar', ['-czf', artifact, '-C', tree, ...tarArgs, '.']);
      const release = host.publishFile('1.0.0', artifact, sha256File(artifact));

      const result = await host.install(release);

      expect(result.code, result.stderr).toBe(67);
      expect(result.stderr).toContain('unsafe archive entry');
      expect(result.stderr).toContain(message);
      expect(host.releases()).toEqual([]);
      expect(host.current()).toBeNull();
      expect(host.staging()).toEqual([]);
      expect(host.takeHookLog()).toEqual([]);
      expect(existsSync(outside)).toBe(false);
      expect(readdirSync(host.root).sort()).toEqual(['home', 'hostile.tar.gz', 'tree']);
    },
  );

  it("installs npm's node_modules/.bin links, .. links that stay inside and quotes", async () => {
    const tree = join(host.root, 'tree');
    writeRelease(tree, {
      hooks: ALL_HOOKS,
      files: { 'server.js': 'x', 'node_modules/pkg/cli.js': 'y', 'docs/say "hi".txt': 'z' },
    });
    mkdirSync(join(tree, 'node_modules/.bin'));
    symlinkSync('../pkg/cli.js', join(tree, 'node_modules/.bin/pkg'));
    symlinkSync('../server.js', join(tree, 'hooks/lib.js'));

    const result = await host.install(host.publishTree('1.0.0', tree));

    expect(result.code, result.stderr).toBe(0);
    const release = join(host.appDir, 'releases/1.0.0');
    expect(readFileSync(join(release, 'node_modules/.bin/pkg'), 'utf8')).toBe('y');
    expect(readFileSync(join(release, 'hooks/lib.js'), 'utf8')).toBe('x');
    expect(existsSync(join(release, 'docs/say "hi".txt'))).toBe(true);
  });

  it('installs links without .. and names outside ASCII', async () => {
    const tree = join(host.root, 'tree');
    writeRelease(tree, { hooks: ALL_HOOKS, files: { 'assets/café.txt': 'crème\n', 'a/b': 'x' } });
    symlinkSync('a/b', join(tree, 'to-b'));
    linkSync(join(tree, 'a', 'b'), join(tree, 'hard-b'));

    const result = await host.install(host.publishTree('1.0.0', tree));

    expect(result.code, result.stderr).toBe(0);
    expect(existsSync(join(host.appDir, 'releases/1.0.0/assets/café.txt'))).toBe(true);
    expect(existsSync(join(host.appDir, 'releases/1.0.0/to-b'))).toBe(true);
  });

  it('fails with 67 when the artifact is not a tar.gz', async () => {
    const artifact = join(host.root, 'not-a-tarball.tar.gz');
    writeFileSync(artifact, 'plain text, not gzip\n');

    const result = await host.install(host.publishFile('1.0.0', artifact, sha256File(artifact)));

    expect(result.code).toBe(67);
    expect(result.stderr).toContain('the artifact of web 1.0.0 is not a readable tar.gz');
    expect(host.releases()).toEqual([]);
  });
});
