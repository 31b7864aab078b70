import { describe, expect, it } from 'vitest';
import {
  ERROR_TRUNCATED_MARKER,
  OUTPUT_TRUNCATED_MARKER,
  pluginOutput,
  standardErrorContent,
  standardOutputContent,
} from '../../../local/control-plane/ssm/output-limits.ts';

// The agent's own test vectors: amazon-ssm-agent iohandler_test.go, TestTruncateOutput.
const sentence = 'This is a sample text. ';
const longMessage =
  `${sentence.repeat(5).trimEnd()}\n`.repeat(10) +
  '1234567890. This is a sample text. This is a sample text';

describe('pluginOutput', () => {
  it.each([
    { label: 'nothing', stdout: '', stderr: '', expected: '' },
    { label: 'short output', stdout: 'sample output', stderr: '', expected: 'sample output' },
    {
      label: 'short error',
      stdout: '',
      stderr: 'sample error',
      expected: '\n----------ERROR-------\nsample error',
    },
    {
      label: 'both short',
      stdout: 'sample output',
      stderr: 'sample error',
      expected: 'sample output\n----------ERROR-------\nsample error',
    },
    {
      label: 'long output',
      stdout: longMessage,
      stderr: '',
      expected:
        'This is a sample text. This is a sample text. This is a sample text. This is ' +
        '\n---Output truncated---',
    },
    {
      label: 'long error',
      stdout: '',
      stderr: longMessage,
      expected:
        '\n----------ERROR-------\n' +
        'This is a sample text. This is a sample text. This is\n---Error truncated----',
    },
    {
      label: 'both long',
      stdout: longMessage,
      stderr: longMessage,
      expected:
        'This is a sampl\n---Output truncated---\n----------ERROR-------\n' +
        'This is a sampl\n---Error truncated----',
    },
  ])('matches the agent for $label at capacity 100', ({ stdout, stderr, expected }) => {
    // Act
    const output = pluginOutput(stdout, stderr, 100);

    // Assess
    expect(output).toBe(expected);
  });

  it('keeps the listing form within 2,500 characters', () => {
    // Act
    const output = pluginOutput('o'.repeat(10_000), 'e'.repeat(10_000));

    // Assess
    expect(output.length).toBeLessThanOrEqual(2500);
    expect(output).toContain('\n----------ERROR-------\n');
  });
});

describe('standard output and error content', () => {
  it.each([
    { label: 'stdout at the limit', cut: standardOutputContent, limit: 24_000 },
    { label: 'stderr at the limit', cut: standardErrorContent, limit: 8_000 },
  ])('keeps $label whole', ({ cut, limit }) => {
    // Prepare
    const text = 'x'.repeat(limit);

    // Act
    const shown = cut(text);

    // Assess
    expect(shown).toBe(text);
  });

  it.each([
    { label: 'stdout', cut: standardOutputContent, limit: 24_000, marker: OUTPUT_TRUNCATED_MARKER },
    { label: 'stderr', cut: standardErrorContent, limit: 8_000, marker: ERROR_TRUNCATED_MARKER },
  ])('cuts $label one character past the limit, marker included', ({ cut, limit, marker }) => {
    // Prepare
    const text = 'y'.repeat(limit + 1);

    // Act
    const shown = cut(text);

    // Assess
    expect(shown).toHaveLength(limit);
    expect(shown.endsWith(marker)).toBe(true);
    expect(shown.slice(0, limit - marker.length)).toBe(text.slice(0, limit - marker.length));
  });
});
