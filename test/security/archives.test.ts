import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { releaseRootEntries } from '../core/verification/fixtures.ts';
import { buildTar, gzip, type TarEntrySpec, tarEntry } from '../helpers/tar-builder.ts';
import { expectFailClosed, snapshot } from './support/deployments.ts';
import { SECURITY_APP_CONFIG, SecurityStack } from './support/security-stack.ts';

// Case 12 of docs/SECURITY.md, one archive per class of hostile entry, end to end. The full
// corpus runs at unit level: test/core/verification/archive-policy.test.ts and tar-scanner
// (verification), test/instance/archive-safety.test.ts (the host refuses the same entries and
// writes nothing outside its staging directory) and archive-parity.test.ts (both agree).
const MAX_ENTRIES = 40;

const file = (name: string, extra: Partial<TarEntrySpec> = {}): TarEntrySpec => ({
  name,
  data: 'x',
  ...extra,
});

const CLASSES: readonly { label: string; entries: readonly TarEntrySpec[]; names: string }[] = [
  { label: 'an absolute path', entries: [file('/etc/cron.d/evil')], names: '/etc/cron.d/evil' },
  { label: 'a .. component', entries: [file('hooks/../../evil')], names: 'hooks/../../evil' },
  {
    label: 'a symlink out of the release, then a file written through it',
    entries: [
      { name: 'escape', type: 'symlink', linkName: '../../../..' },
      file('escape/etc/evil'),
    ],
    names: 'escape',
  },
  {
    label: 'a hard link to a file outside the release',
    entries: [{ name: 'passwd', type: 'hardlink', linkName: '/etc/passwd' }],
    names: 'passwd',
  },
  { label: 'a character device', entries: [{ name: 'tty', type: 'char' }], names: 'tty' },
  { label: 'a FIFO', entries: [{ name: 'pipe', type: 'fifo' }], names: 'pipe' },
  { label: 'a setuid file', entries: [file('bin/su', { mode: 0o4755 })], names: 'bin/su' },
  { label: 'a setgid file', entries: [file('bin/sg', { mode: 0o2755 })], names: 'bin/sg' },
  {
    label: 'too many entries',
    entries: Array.from({ length: MAX_ENTRIES }, (_, n) => file(`data/f${n}`)),
    names: 'past the cap of 40',
  },
  {
    label: 'a path too deep',
    entries: [file(`${'d/'.repeat(40)}deep`)],
    names: 'd/d/d/',
  },
  { label: 'a duplicate path', entries: [file('dup.txt'), file('dup.txt')], names: 'dup.txt' },
  { label: 'a backslash', entries: [file('hooks\\evil.sh')], names: 'evil.sh' },
  { label: 'a drive letter', entries: [file('C:/evil.sh')], names: 'C:/evil.sh' },
];

describe('hostile archive entries, on the local stack', () => {
  let h: SecurityStack;

  beforeAll(async () => {
    h = await SecurityStack.start('archives');
    await h.registerApp('web', {
      config: { ...SECURITY_APP_CONFIG, artifact: { maxEntries: MAX_ENTRIES } },
    });
  }, 60_000);

  afterAll(async () => {
    await h.close();
  });

  it.each(CLASSES)(
    'refuses $label as UnsafeArchiveEntry naming the entry',
    async ({ entries, names }) => {
      // Prepare: a signed, otherwise valid release holding the hostile entries
      const version = h.nextVersion();
      const artifact = gzip(
        buildTar([...releaseRootEntries('web', version), ...entries.map((e) => tarEntry(e))]),
      );
      const before = await snapshot(h, 'web');

      // Act
      const run = await h.release({
        app: 'web',
        version,
        artifact,
        signature: await h.sign(artifact),
      });

      // Assess
      await expectFailClosed(h, before, run.execution, { error: 'UnsafeArchiveEntry' });
      expect(run.execution.cause).toContain(names);
    },
  );
});
