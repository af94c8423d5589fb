import { expect } from 'chai';
import { fuzz } from '../../scripts/fuzz.ts';

/**
 * Bounded spec fuzzing for CI: schemathesis with all checks against the real service, one run
 * per role. `npm run fuzz` is the long run (100 examples per operation, every phase).
 */
describe('spec fuzzing with schemathesis (bounded)', function () {
  this.timeout(20 * 60_000);

  it('finds no failure for any role', async () => {
    // Admin reaches every operation: all phases. The scoped roles mostly meet 403/404, so a
    // shorter fuzzing phase bounds CI time; `npm run fuzz` runs every role in full.
    const runs = [
      ...(await fuzz({ maxExamples: 4, roles: ['admin'], reportDir: 'test-output/fuzz-ci', phases: 'examples,coverage,fuzzing'})),
      ...(await fuzz({ maxExamples: 3, roles: ['planner:20', 'warehouse', 'unit', 'national'], reportDir: 'test-output/fuzz-ci', phases: 'fuzzing'})),
    ];
    const failed = runs.filter((run) => run.exitCode !== 0);
    const summary = failed.map((run) => `--- ${run.role} (exit ${run.exitCode})\n${run.output.slice(-4000)}`).join('\n');
    expect(failed.map((run) => run.role), summary).to.deep.equal([]);
  });
});
