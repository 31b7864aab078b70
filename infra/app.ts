/**
 * `cdk synth` / `cdk deploy` entry (cdk.json: `node infra/app.ts`). Options: `-c
 * signetConfig=<file>` for another config than infra/signet.config.json.
 */
import { SignetError } from '../core/errors.ts';
import { buildSignetApp } from './signet-app.ts';

try {
  (await buildSignetApp()).synth();
} catch (error) {
  if (!(error instanceof SignetError)) throw error;
  process.stderr.write(`signet: ${error.message}\n`);
  process.exitCode = 3;
}
