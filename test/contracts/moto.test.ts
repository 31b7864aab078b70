import { afterAll, beforeAll, describe } from 'vitest';
import { externalTool } from '../helpers/external-tools.ts';
import { type MotoServer, startMotoServer } from '../helpers/moto-server.ts';
import { ALL_CONTRACTS } from './all-contracts.ts';
import { runContracts } from './contract.ts';
import { type ContractTarget, prepareMotoTarget } from './targets.ts';

// Every contract against moto_server, an AWS emulator nobody on this project wrote.
const available = await externalTool('moto_server', 'test/contracts/moto.test.ts', ['--help']);

describe.skipIf(!available)('contracts on moto_server', () => {
  let moto: MotoServer;
  let target: ContractTarget;
  beforeAll(async () => {
    moto = await startMotoServer();
    target = await prepareMotoTarget(moto.endpoint);
  });
  afterAll(async () => {
    await target?.close();
    await moto?.close();
  });

  runContracts('moto', ALL_CONTRACTS, () => target.world);
});
