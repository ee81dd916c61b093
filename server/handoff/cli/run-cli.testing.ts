/** Runs the navigator:create CLI as the operator would (tsx, a given environment), for its tests. */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { PROJECT_ROOT } from '../../config/config.ts';

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runCreateNavigator(args: string[], env: Record<string, string>): Promise<CliResult> {
  const tsx = path.join(PROJECT_ROOT, 'node_modules', '.bin', 'tsx');
  const cli = path.join(PROJECT_ROOT, 'server', 'handoff', 'cli', 'create-navigator.ts');
  try {
    const { stdout, stderr } = await promisify(execFile)(tsx, [cli, ...args], { env: { ...process.env, ...env } });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof err.code === 'number' ? err.code : -1, stdout: err.stdout ?? '', stderr: err.stderr ?? '' };
  }
}

export const ZHU = ['--username', 'zhu', '--password', 'a-long-password', '--name', '朱导办', '--skills', 'housing,general', '--role', 'supervisor', '--capacity', '4'];
