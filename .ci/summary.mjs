// Sums Vitest JSON reports into the one closing line CI reads: "N passed, N failed".
// Failed tests are named just above it, because CI keeps only the end of the log.
import { existsSync, readFileSync } from 'node:fs';
import { relative } from 'node:path';

let passed = 0;
let failed = 0;
let missing = 0;
for (const file of process.argv.slice(2)) {
  if (!existsSync(file)) {
    missing += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  if (!report.success && (report.numFailedTests ?? 0) === 0) failed += report.numFailedTestSuites || 1;
  for (const suite of report.testResults ?? []) {
    const where = relative(process.cwd(), suite.name);
    for (const test of suite.assertionResults ?? []) {
      if (test.status !== 'failed') continue;
      const why = (test.failureMessages?.[0] ?? '').split('\n')[0].slice(0, 300);
      console.log(`FAILED ${file}: ${where} > ${test.fullName}\n  ${why}`);
    }
    if (suite.status === 'failed' && !(suite.assertionResults ?? []).length) {
      console.log(`FAILED ${file}: ${where}\n  ${(suite.message ?? '').split('\n')[0].slice(0, 300)}`);
    }
  }
  console.log(`${file}: ${report.numPassedTests} passed, ${report.numFailedTests} failed`);
}
if (missing) failed += missing;
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
