import { afterAll, beforeAll } from 'vitest';
import { ALL_CONTRACTS } from './all-contracts.ts';
import { runContracts } from './contract.ts';
import { type ContractTarget, startLocalTarget } from './targets.ts';

// Every contract against Signet's own local endpoints.
let target: ContractTarget;
beforeAll(async () => {
  target = await startLocalTarget();
});
afterAll(async () => {
  await target.close();
});

runContracts('local', ALL_CONTRACTS, () => target.world);
