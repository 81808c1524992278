// Starts the built server as a child process on a free port and reports its peak RSS.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';

function procStatus(pid: number | undefined, field: string): number | null {
  try {
    const kb = new RegExp(`${field}:\\s+(\\d+)`).exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
    return kb ? Math.round(Number(kb) / 1024) : null;
  } catch {
    return null;
  }
}

/** CPU time the process has used so far (user + system), in seconds (Linux: /proc/<pid>/stat). */
function cpuSeconds(pid: number | undefined): number | null {
  try {
    // Fields after the command name, which is parenthesised and may hold spaces; utime and stime
    // are in clock ticks, which Linux always reports at 100 per second (USER_HZ).
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) / 100;
  } catch {
    return null;
  }
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
    srv.on('error', reject);
  });
}

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  /** Peak resident set size so far, in MiB (Linux: VmHWM). */
  peakRssMiB(): number | null;
  /** Resident set size now, in MiB (Linux: VmRSS). */
  rssMiB(): number | null;
  /** CPU seconds used so far (Linux), to compare work per request independently of the clock. */
  cpuSeconds(): number | null;
  /** What the server wrote to stdout so far (its log), when started with `captureOutput`. */
  output(): string;
  stop(): Promise<void>;
}

const ROOT = path.resolve(__dirname, '../..');

/** `bin/node-server`: node with the settings `npm start` and the Docker image use (their one home). */
const NODE_SERVER = path.join(ROOT, 'bin/node-server');

/**
 * The built server by default, launched as `npm start` launches it (bin/node-server); `fromSource`
 * runs src/server.ts through tsx (tests, no build); `script` runs another TypeScript entry with
 * node's defaults (the bench's baseline); `cwd` runs the build found there (the production-install
 * check); `launcher` runs bin/node-server under another program (the instruction count's
 * valgrind). Ready when `readyPath` answers, within `readyWithinMs`.
 */
export async function startServer(
  env: Record<string, string>,
  options: {
    fromSource?: boolean;
    quiet?: boolean;
    /** Keep what the server writes to stdout, for `output()`. */
    captureOutput?: boolean;
    script?: string;
    readyPath?: string;
    nodeArgs?: string[];
    cwd?: string;
    /** A command and its arguments that bin/node-server runs under. */
    launcher?: string[];
    readyWithinMs?: number;
  } = {},
): Promise<ServerProcess> {
  const port = await freePort();
  const cwd = options.cwd ?? ROOT;
  const nodeArgs = [
    ...(options.nodeArgs ?? []),
    ...(options.script
      ? ['--import', 'tsx', path.join(ROOT, options.script)]
      : options.fromSource
        ? ['--import', 'tsx', path.join(ROOT, 'src/server.ts')]
        : [path.join(cwd, 'dist/src/server.js')]),
  ];
  // bin/node-server ends in `exec`, so the child is node itself (or the launcher, which follows the
  // exec): signals and /proc figures are its.
  const line = options.script ? [process.execPath, ...nodeArgs] : [...(options.launcher ?? []), 'sh', NODE_SERVER, ...nodeArgs];
  const child = spawn(line[0]!, line.slice(1), {
    cwd,
    env: { ...process.env, ...env, NODE: process.execPath, PORT: String(port), HOST: '127.0.0.1' },
    stdio: ['ignore', options.captureOutput ? 'pipe' : options.quiet ? 'ignore' : 'inherit', 'inherit'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + (options.readyWithinMs ?? 30_000);
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    try {
      const probe = await fetch(`${url}${options.readyPath ?? '/readyz'}`);
      if (options.readyPath ? probe.status < 500 : probe.ok) break;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    child,
    peakRssMiB: () => procStatus(child.pid, 'VmHWM'),
    rssMiB: () => procStatus(child.pid, 'VmRSS'),
    cpuSeconds: () => cpuSeconds(child.pid),
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}
