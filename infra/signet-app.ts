import { join, resolve } from 'node:path';
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { bundleFunctions, DIST_DIR } from '../esbuild.config.ts';
import { loadSignetConfig } from './config-file.ts';
import { SignetStack } from './signet-stack.ts';

/** The example configuration, used when `-c signetConfig=<file>` names no other. */
export const DEFAULT_CONFIG_FILE = join(import.meta.dirname, 'signet.config.json');

export interface SignetAppOptions {
  /** Where the cloud assembly goes. @default cdk.out, or the CLI's --output */
  readonly outdir?: string;
  /** Where the Lambda bundles are written. @default dist/functions */
  readonly bundleDir?: string;
  /** The config file. @default the `signetConfig` context value, else DEFAULT_CONFIG_FILE */
  readonly configFile?: string;
}

/**
 * The ready-to-deploy CDK app: bundles the Lambdas with the project's esbuild config, reads the
 * config file, and builds one SignetStack checked by cdk-nag's AwsSolutions pack, so `cdk synth`
 * fails on any finding that has not been acknowledged with a reason.
 */
export async function buildSignetApp(options: SignetAppOptions = {}): Promise<App> {
  const app = new App(options.outdir === undefined ? {} : { outdir: options.outdir });
  const context = app.node.tryGetContext('signetConfig') as unknown;
  const configFile = resolve(
    options.configFile ?? (typeof context === 'string' ? context : DEFAULT_CONFIG_FILE),
  );
  const config = await loadSignetConfig(configFile);
  const bundleDir = options.bundleDir ?? DIST_DIR;
  await bundleFunctions(bundleDir);

  // The CLI sets these from the profile when it has credentials; without them the stack is
  // environment-agnostic and still synthesizes.
  const account = process.env['CDK_DEFAULT_ACCOUNT'];
  const region = process.env['CDK_DEFAULT_REGION'];
  new SignetStack(app, config.stackName, {
    description: 'Signet: signed, verified, health-checked deployments to EC2 through SSM',
    ...(account === undefined || region === undefined ? {} : { env: { account, region } }),
    deployer: { ...config.deployer, bundleDir },
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return app;
}
