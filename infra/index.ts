export type { AppConfigInput, SignetAppProps, SignetDeployerProps } from './props.ts';
export { buildSignetApp, DEFAULT_CONFIG_FILE, type SignetAppOptions } from './signet-app.ts';
export { SignetDeployer } from './signet-deployer.ts';
export { SignetStack, type SignetStackProps } from './signet-stack.ts';
