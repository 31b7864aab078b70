import { defineConfig } from 'vitest/config';

// CI asks for a machine-readable report through this variable so .ci/run can print the real
// pass and fail counts; a person running `npm test` gets only the default reporter.
const jsonReport = process.env['SIGNET_TEST_REPORT'];

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    pool: 'forks',
    testTimeout: 20_000,
    hookTimeout: 60_000,
    reporters: jsonReport ? ['default', 'json'] : ['default'],
    ...(jsonReport ? { outputFile: { json: jsonReport } } : {}),
  },
});
