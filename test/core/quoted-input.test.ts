import { describe, expect, it } from 'vitest';
import { parseExecutionInput } from '../../core/deployment-request.ts';
import { quoteInput } from '../../core/quoted-input.ts';

describe('quoteInput', () => {
  it.each([
    { label: 'a newline', value: '1.0.0\ntouch x', shown: '"1.0.0\\ntouch x"' },
    { label: 'quotes', value: `1.0.0'"`, shown: `"1.0.0'\\""` },
    {
      label: 'a carriage return and an escape',
      value: 'a\r\u001b[2Jb',
      shown: '"a\\r\\u001b[2Jb"',
    },
    { label: 'a number', value: 42, shown: '"42"' },
    { label: 'an object', value: { a: 1 }, shown: '"{\\"a\\":1}"' },
    { label: 'undefined', value: undefined, shown: '"undefined"' },
  ])('shows $label as one escaped, quoted line', ({ value, shown }) => {
    // Act
    const quoted = quoteInput(value);

    // Assess
    expect(quoted).toBe(shown);
    expect(quoted).not.toMatch(/[\r\n]/);
  });

  it('cuts a long value to 100 characters, marking the cut', () => {
    // Act
    const quoted = quoteInput('x'.repeat(5000));

    // Assess
    expect(quoted).toBe(`"${'x'.repeat(100)}…"`);
  });

  it('quotes a hostile version in the refusal of an operator request', () => {
    // Act
    const act = () => parseExecutionInput({ app: 'web', version: '1.0.0\n$(touch x)' });

    // Assess
    expect(act).toThrow(/got "1\.0\.0\\n\$\(touch x\)"$/);
  });
});
