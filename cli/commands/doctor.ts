import { runDoctor } from '../../core/doctor/index.ts';
import { appArgument } from '../arguments.ts';
import { cliSettings } from '../cli-settings.ts';
import { cliClients } from '../clients.ts';
import { type Command, parseCommandArgs } from '../command.ts';
import { ExitCode } from '../exit-codes.ts';
import { renderDoctorReport } from '../render/doctor.ts';

// More than any deployment configures; bounds what one command line can ask for.
const MAX_APPS = 100;

export const doctorCommand: Command = {
  name: 'doctor',
  usage: 'signet doctor [<app>...] [--json]',
  summary: 'check that the deployment is wired correctly, and say how to fix what is not',
  async run(args, io) {
    const { values, positionals } = parseCommandArgs(
      this,
      args,
      { json: { type: 'boolean', default: false } },
      { min: 0, max: MAX_APPS },
    );
    const apps = positionals.map((app) => appArgument(app, this.usage));
    // Every setting is read before any AWS call: a missing one is exit code 3, not a check.
    const settings = cliSettings(io.env);
    const names = {
      artifactBucket: settings.artifactBucket(),
      releaseRuleName: settings.releaseRuleName(),
      documentName: settings.documentName(),
      stateMachineArn: settings.stateMachineArn(),
      stateTable: settings.stateTable(),
      parameterPrefix: settings.parameterPrefix(),
    };
    const report = await runDoctor({
      clients: {
        s3: cliClients.s3(),
        eventBridge: cliClients.eventBridge(),
        ssm: cliClients.ssm(),
        sfn: cliClients.sfn(),
        dynamodb: cliClients.dynamodb(),
        ec2: cliClients.ec2(),
        kms: cliClients.kms(),
      },
      names,
      apps,
    });
    io.out(values.json ? JSON.stringify(report, null, 2) : renderDoctorReport(report));
    return report.ok ? ExitCode.ok : ExitCode.failed;
  },
};
