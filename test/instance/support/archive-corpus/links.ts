/** Corpus rows about symlinks and hard links. */
import { paxHeader } from '../../../helpers/tar-builder.ts';
import {
  accepted,
  type CorpusCase,
  crafted,
  dir,
  file,
  hardlink,
  nameOfBytes,
  packed,
  refused,
  symlink,
} from './builders.ts';

const staysInside: readonly CorpusCase[] = [
  accepted(
    'a hook linking up to the app (hooks/lib.js -> ../server.js)',
    packed({ 'server.js': 'x', 'hooks/lib.js': { symlink: '../server.js' } }),
  ),
  accepted(
    "npm's layout (node_modules/.bin/x -> ../pkg/cli.js)",
    packed({
      'node_modules/pkg/cli.js': '#!/usr/bin/env node\n',
      'node_modules/.bin/x': { symlink: '../pkg/cli.js' },
    }),
  ),
  accepted(
    "pnpm's layout (two levels up, then down)",
    packed({
      'node_modules/.pnpm/a@1.0.0/node_modules/a/index.js': 'x',
      'node_modules/.pnpm/b@1.0.0/node_modules/a': { symlink: '../../a@1.0.0/node_modules/a' },
    }),
  ),
  accepted(
    'a link one level up to the root (a/up -> ..)',
    crafted(dir('a/'), symlink('a/up', '..')),
  ),
  accepted(
    'a link four levels up to the root',
    crafted(file('server.js'), symlink('a/b/c/d/up', '../../../../server.js')),
  ),
  accepted('a link with .. after a name (a/l -> b/../c)', crafted(symlink('a/l', 'b/../c'))),
  accepted(
    'a link through another link that stays inside (r -> sub, s -> r/..)',
    crafted(dir('sub/'), symlink('r', 'sub'), symlink('s', 'r/..')),
  ),
  accepted('a link to a sibling', crafted(file('real'), symlink('alias', 'real'))),
  accepted('a link to the root (root -> .)', crafted(symlink('root', '.'))),
  accepted('a dangling link inside', crafted(symlink('later', 'not/yet/there'))),
  accepted('a link with ./ and // in its target', crafted(file('x'), symlink('l', './/x'))),
  accepted(
    'a link with a quote in its target',
    crafted(file('say "hi"'), symlink('l', 'say "hi"')),
  ),
  accepted(
    'a 4095-byte link target',
    crafted(paxHeader({ linkpath: nameOfBytes(4095) }), symlink('long', '')),
  ),
];

const leaves: readonly CorpusCase[] = [
  refused('a link at the root to its parent (up -> ..)', crafted(symlink('up', '..'))),
  refused('a link one level too high (a/l -> ../../x)', crafted(symlink('a/l', '../../x'))),
  refused(
    'a link two levels too high from depth 2',
    crafted(symlink('a/b/l', '../../../../etc/passwd')),
  ),
  refused(
    'a link that climbs after a name (a/l -> b/../../..)',
    crafted(symlink('a/l', 'b/../../..')),
  ),
  refused(
    'a link that leaves through another (r -> ., e -> r/..)',
    crafted(symlink('r', '.'), symlink('e', 'r/..')),
  ),
  refused(
    'a link that leaves through a deeper link',
    crafted(
      dir('d1/'),
      dir('d1/d2/'),
      dir('a/'),
      symlink('d1/d2/r', '../../a'),
      symlink('e', 'd1/d2/r/../..'),
    ),
  ),
  refused('a loop of links (a -> b, b -> a)', crafted(symlink('a', 'b'), symlink('b', 'a'))),
  refused(
    'an absolute link (passwd -> /etc/passwd)',
    packed({ passwd: { symlink: '/etc/passwd' } }),
  ),
  refused('a link to / itself', crafted(symlink('root', '/'))),
  refused('a link with a drive letter', crafted(symlink('win', 'C:/Windows'))),
  refused('a link with an empty target', crafted(symlink('empty', ''))),
  refused('a link with a backslash in its target', crafted(symlink('l', 'a\\b'))),
  refused('a link with a newline in its target', crafted(symlink('l', 'a\nb'))),
  refused(
    'a 4096-byte link target',
    crafted(paxHeader({ linkpath: nameOfBytes(4096) }), symlink('long', '')),
  ),
  refused(
    'a link target with a 256-byte component',
    crafted(paxHeader({ linkpath: 't'.repeat(256) }), symlink('long', '')),
  ),
  refused(
    'a file written through an earlier link (link -> sub, link/payload)',
    crafted(symlink('link', 'sub'), file('link/payload')),
  ),
  refused(
    'a link written through a link that climbs (d/e/s -> ../.., d/e/s/l -> ../x)',
    crafted(symlink('d/e/s', '../..'), symlink('d/e/s/l', '../x')),
  ),
  refused('a link replacing a directory its files lie in', crafted(file('d/f'), symlink('d', 'x'))),
];

const hardLinks: readonly CorpusCase[] = [
  accepted('a hard link to an earlier file', crafted(file('bin/a'), hardlink('bin/b', 'bin/a'))),
  accepted('a hard link written with ./', crafted(file('./a'), hardlink('./b', './a'))),
  refused('a hard link to a later file', crafted(hardlink('h', 'later'), file('later'))),
  refused('a hard link to itself', crafted(hardlink('h', 'h'))),
  refused('a hard link to a directory', crafted(dir('d/'), hardlink('h', 'd'))),
  refused('a hard link to a symlink', crafted(symlink('s', 'x'), hardlink('h', 's'))),
  refused('a hard link to a hard link', crafted(file('a'), hardlink('b', 'a'), hardlink('c', 'b'))),
  refused('a hard link through ..', crafted(file('a'), hardlink('sub/h', 'sub/../a'))),
  refused('a hard link out of the release', crafted(hardlink('h', '../etc/passwd'))),
  refused('an absolute hard link', crafted(hardlink('h', '/etc/shadow'))),
];

export const LINK_CASES: readonly CorpusCase[] = [...staysInside, ...leaves, ...hardLinks];
