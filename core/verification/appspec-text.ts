import { AppSpecInvalid } from '../errors.ts';
import { APPSPEC_FILE } from './constants.ts';
import type { RootFileContent } from './root-files.ts';

/** The raw text of `appspec.yml`; parsing it is the appspec module's job. */
export function readAppSpecText(app: string, content: RootFileContent): string {
  const refuse = (reason: string, cause?: unknown) =>
    new AppSpecInvalid(`app ${app}: ${APPSPEC_FILE} ${reason}`, {
      details: { app, file: APPSPEC_FILE },
      ...(cause === undefined ? {} : { cause }),
    });
  if ('problem' in content) throw refuse(content.problem);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(content.bytes);
  } catch (error) {
    throw refuse('is not valid UTF-8', error);
  }
}
