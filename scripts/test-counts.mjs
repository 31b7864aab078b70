// Prints CI's closing line, "N passed, N failed", from vitest's JSON report. Plain JavaScript
// so it runs on whatever Node the machine has. A missing report means the run stopped before
// the tests (type checking or linting failed): that is a failure, not zero tests.
import { readFileSync } from 'node:fs';

let passed = 0;
let failed = 1;
try {
  const report = JSON.parse(readFileSync(process.argv[2], 'utf8'));
  passed = report.numPassedTests;
  failed = report.numFailedTests;
} catch {
  console.log('no test report: type checking or linting failed before the tests ran');
}
console.log(`${passed} passed, ${failed} failed`);
