import { readFileSync } from 'node:fs';
import path from 'node:path';
import { serverLaunch } from '../../scripts/lib/server-process';

const ROOT = path.resolve(__dirname, '../..');

describe('how the server is launched', () => {
  test('environment and flags are read from the start script, the entry left out', () => {
    expect(serverLaunch('node dist/src/server.js')).toEqual({ env: {}, flags: [] });
    expect(serverLaunch('A_B=2 C=x=y node  --a=1 --b dist/src/server.js')).toEqual({ env: { A_B: '2', C: 'x=y' }, flags: ['--a=1', '--b'] });
    expect(() => serverLaunch('tsx src/server.ts')).toThrow(/is not "\[VAR=value\] node/);
  });

  test('the Docker image runs the server as `npm start` does', () => {
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const cmd = dockerfile.split('\n').filter((line) => line.startsWith('CMD [')).pop();
    expect(cmd).toBeDefined();
    const words = JSON.parse(cmd!.slice('CMD '.length)) as string[];
    const { env, flags } = serverLaunch();
    expect(words).toEqual(['node', ...flags, 'dist/src/server.js']);
    // The image's ENV instructions (continuation lines joined), as NAME=value pairs.
    const imageEnv = Object.fromEntries(
      dockerfile
        .replace(/\\\n/g, ' ')
        .split('\n')
        .filter((line) => line.startsWith('ENV '))
        .flatMap((line) => line.slice('ENV '.length).trim().split(/\s+/))
        .map((pair) => pair.split('=') as [string, string]),
    );
    expect(Object.keys(env).length).toBeGreaterThan(0);
    for (const [name, value] of Object.entries(env)) expect(imageEnv[name]).toBe(value);
  });
});
