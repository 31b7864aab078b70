/**
 * The appspec.yml subset Signet reads: CodeDeploy's names for the lifecycle hooks it runs on an
 * in-place EC2 deployment. The host script parses the same grammar in bash; both parsers share
 * the fixtures in test/fixtures/appspec/.
 */

/** Hooks in the order CodeDeploy runs them, which is also the order Signet runs them. */
export const HOOK_NAMES = [
  'ApplicationStop',
  'BeforeInstall',
  'AfterInstall',
  'ApplicationStart',
  'ValidateService',
] as const;

export type HookName = (typeof HOOK_NAMES)[number];

/** CodeDeploy's default when an item gives no timeout. */
export const DEFAULT_HOOK_TIMEOUT_SECONDS = 300;
/** CodeDeploy's ceiling for one hook script. */
export const MAX_HOOK_TIMEOUT_SECONDS = 3600;

export interface HookScript {
  /** Path of the script relative to the release root; never absolute, never through `..`. */
  readonly location: string;
  readonly timeoutSeconds: number;
  /** User to run the script as; absent means the user running the Signet command. */
  readonly runas?: string;
}

export interface AppSpec {
  readonly version: '0.0';
  readonly os: 'linux';
  /** Only hooks the file lists; each list is in file order and never empty. */
  readonly hooks: Readonly<Partial<Record<HookName, readonly HookScript[]>>>;
}
