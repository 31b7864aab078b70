/**
 * Parser of the appspec.yml subset documented in docs/INSTANCE.md. It accepts only what the
 * host script's bash parser accepts, with the same messages, so a release refused on a host is
 * refused here first. Not a YAML parser: anything outside the subset is an error, never a guess.
 */
import { type AppSpecLine, type Fail, lexLine } from './appspec-lines.ts';
import {
  type AppSpec,
  DEFAULT_HOOK_TIMEOUT_SECONDS,
  HOOK_NAMES,
  type HookName,
  type HookScript,
  MAX_HOOK_TIMEOUT_SECONDS,
} from './appspec-types.ts';
import { AppSpecInvalid } from './errors.ts';

const LOCATION = /^[A-Za-z0-9._@+/-]+$/;
const TIMEOUT = /^[1-9][0-9]{0,3}$/;
const USER = /^[a-z_][a-z0-9_-]{0,31}$/;
const UNSUPPORTED_SECTIONS: Readonly<Record<string, string>> = {
  files: "'files' is not supported: Signet installs the whole archive as the release directory",
  permissions: "'permissions' is not supported: set modes in the archive or in a hook",
};

interface OpenItem {
  readonly line: number;
  readonly keyColumn: number;
  readonly keys: Set<string>;
  location?: string;
  timeoutSeconds: number;
  runas?: string;
}

interface OpenHook {
  readonly name: HookName;
  readonly line: number;
  itemIndent: number | null;
}

/**
 * Parses appspec.yml text; `where` names the file in messages ("appspec.yml of web 1.4.0").
 * Throws AppSpecInvalid with the file and line.
 *
 * @example parseAppSpec('version: 0.0\nos: linux\n', 'appspec.yml').hooks // {}
 */
export function parseAppSpec(text: string, where: string): AppSpec {
  const failAt =
    (line: number | null): Fail =>
    (reason) => {
      const place = line === null ? where : `${where} line ${line}`;
      throw new AppSpecInvalid(`${place}: ${reason}`, { details: { file: where, line } });
    };

  const topKeys = new Set<string>();
  const hooks = new Map<HookName, HookScript[]>();
  let inHooks = false;
  let hookIndent: number | null = null;
  let hook: OpenHook | null = null;
  let item: OpenItem | null = null;
  let seenContent = false;

  const closeItem = (): void => {
    if (item === null || hook === null) return;
    const { location, timeoutSeconds, runas } = item;
    const failItem: Fail = failAt(item.line);
    if (location === undefined) failItem('hook script has no location');
    const script =
      runas === undefined ? { location, timeoutSeconds } : { location, timeoutSeconds, runas };
    hooks.get(hook.name)?.push(script);
    item = null;
  };
  const closeHook = (): void => {
    closeItem();
    if (hook !== null && (hooks.get(hook.name)?.length ?? 0) === 0) {
      failAt(hook.line)(`hook '${hook.name}' lists no scripts`);
    }
    hook = null;
  };

  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const number = index + 1;
    const fail: Fail = failAt(number);
    if (!seenContent && raw.replace(/\r$/, '').replace(/ +$/, '') === '---') continue;
    const line = lexLine(raw, fail);
    if (line === null) continue;
    seenContent = true;

    if (line.indent === 0) {
      closeHook();
      inHooks = readTopLevel(line, topKeys, fail);
      continue;
    }
    if (!inHooks) fail('unexpected indentation');
    if (line.item) {
      if (hook === null) fail('a list item must belong to a hook');
      if (line.indent < (hookIndent ?? 0)) fail('inconsistent indentation');
      hook.itemIndent ??= line.indent;
      if (line.indent !== hook.itemIndent) fail('inconsistent indentation');
      closeItem();
      item = {
        line: number,
        keyColumn: line.keyColumn,
        keys: new Set(),
        timeoutSeconds: DEFAULT_HOOK_TIMEOUT_SECONDS,
      };
      readItemKey(line, item, fail);
      continue;
    }
    hookIndent ??= line.indent;
    if (line.indent === hookIndent) {
      closeHook();
      hook = openHook(line, hooks, number, fail);
      continue;
    }
    if (line.indent < hookIndent) fail('inconsistent indentation');
    if (item === null) fail('unexpected indentation');
    if (line.indent !== item.keyColumn) fail('inconsistent indentation');
    readItemKey(line, item, fail);
  }
  closeHook();

  if (!topKeys.has('version')) failAt(null)('version is missing');
  if (!topKeys.has('os')) failAt(null)('os is missing');
  const ordered: Partial<Record<HookName, readonly HookScript[]>> = {};
  for (const name of HOOK_NAMES) {
    const scripts = hooks.get(name);
    if (scripts !== undefined) ordered[name] = scripts;
  }
  return { version: '0.0', os: 'linux', hooks: ordered };
}

/** Reads a top-level key; returns whether the hooks section starts. */
function readTopLevel(line: AppSpecLine, seen: Set<string>, fail: Fail): boolean {
  if (line.item) fail('unexpected list item');
  const unsupported = UNSUPPORTED_SECTIONS[line.key];
  if (unsupported !== undefined) fail(unsupported);
  if (line.key !== 'version' && line.key !== 'os' && line.key !== 'hooks') {
    fail(`unknown key '${line.key}'`);
  }
  if (seen.has(line.key)) fail(`duplicate key '${line.key}'`);
  seen.add(line.key);
  if (line.key === 'version' && line.value !== '0.0') {
    fail(`version must be 0.0, not '${line.value}'`);
  }
  if (line.key === 'os' && line.value !== 'linux') fail(`os must be linux, not '${line.value}'`);
  if (line.key === 'hooks' && line.hasValue) {
    fail('hooks must be a mapping of hook names to lists of scripts');
  }
  return line.key === 'hooks';
}

function openHook(
  line: AppSpecLine,
  hooks: Map<HookName, HookScript[]>,
  number: number,
  fail: Fail,
): OpenHook {
  const name = HOOK_NAMES.find((hookName) => hookName === line.key);
  if (name === undefined) {
    fail(`unknown hook '${line.key}' (supported: ${HOOK_NAMES.join(', ')})`);
  }
  if (hooks.has(name)) fail(`duplicate hook '${name}'`);
  if (line.hasValue) fail(`hook '${name}' must be a list of '- location: ...' items`);
  hooks.set(name, []);
  return { name, line: number, itemIndent: null };
}

function readItemKey(line: AppSpecLine, item: OpenItem, fail: Fail): void {
  const { key, value } = line;
  if (key !== 'location' && key !== 'timeout' && key !== 'runas') {
    fail(`unknown key '${key}' in a hook script (expected location, timeout or runas)`);
  }
  if (item.keys.has(key)) fail(`duplicate key '${key}'`);
  item.keys.add(key);
  if (key === 'location') item.location = checkLocation(value, fail);
  if (key === 'timeout') {
    if (!TIMEOUT.test(value) || Number(value) > MAX_HOOK_TIMEOUT_SECONDS) {
      fail(`timeout must be whole seconds from 1 to ${MAX_HOOK_TIMEOUT_SECONDS}, not '${value}'`);
    }
    item.timeoutSeconds = Number(value);
  }
  if (key === 'runas') {
    if (!USER.test(value)) fail(`runas must be a user name (a-z, 0-9, _ and -), not '${value}'`);
    item.runas = value;
  }
}

function checkLocation(value: string, fail: Fail): string {
  if (value === '') fail('location is empty');
  if (value.startsWith('/')) fail(`location must be relative to the archive root: '${value}'`);
  if (`/${value}/`.includes('/../')) fail(`location must not contain '..': '${value}'`);
  if (!LOCATION.test(value)) {
    fail(`location may contain only letters, digits and . _ @ + - /: '${value}'`);
  }
  return value;
}
