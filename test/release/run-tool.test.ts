import { describe, expect, it } from 'vitest';
import { runTool } from '../../release/run-tool.ts';

describe('runTool', () => {
  it('says how to install gpg when it is not on PATH', async () => {
    await expect(
      runTool('gpg', ['--version'], { env: { PATH: '/nonexistent' } }),
    ).rejects.toMatchObject({
      name: 'ToolMissing',
      message: expect.stringContaining('apt-get install gnupg'),
    });
  });

  it('reports a failing program with its exit code and what it printed', async () => {
    await expect(runTool('tar', ['--file', '/nonexistent/x.tar', '--list'])).rejects.toMatchObject({
      name: 'ReleaseFailed',
      message: expect.stringMatching(/tar --file failed \(exit 2\): .*nonexistent/),
    });
  });

  it('never hands its arguments to a shell', async () => {
    const { stdout } = await runTool('echo', ['$(id)', ';', '`id`']);
    expect(stdout).toBe('$(id) ; `id`\n');
  });
});
