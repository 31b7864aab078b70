import { afterAll } from 'vitest';
import { ALL_CONTRACTS } from './all-contracts.ts';
import { runContracts } from './contract.ts';
import { recordedTarget } from './targets.ts';

// Every contract against AWS's documented answers, replayed through aws-sdk-client-mock.
const target = recordedTarget();
afterAll(async () => {
  await target.close();
});

runContracts(
  'recorded',
  ALL_CONTRACTS,
  () => target.world,
  () => target.stubs ?? fail(),
);

function fail(): never {
  throw new Error('the recorded target has no stubs');
}
