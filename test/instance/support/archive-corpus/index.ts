/**
 * The archive corpus both entry checks are run on (test/instance/archive-parity.test.ts): each
 * row is an archive and the verdict the rule table in docs/VERIFICATION.md gives it.
 */
import type { CorpusCase } from './builders.ts';
import { ENTRY_CASES } from './entries.ts';
import { LINK_CASES } from './links.ts';
import { NAME_CASES } from './names.ts';

export type { CorpusCase, Expected } from './builders.ts';

export const ARCHIVE_CORPUS: readonly CorpusCase[] = [...NAME_CASES, ...LINK_CASES, ...ENTRY_CASES];
