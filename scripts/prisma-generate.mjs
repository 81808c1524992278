// Runs `prisma generate` (on install and on demand).
//
// Prisma's CLI downloads its native schema engine before every command that "needs binaries",
// generate included, although generate never runs it. Where that download is impossible (an
// offline or locked-down machine) pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing file
// skips it. We only do that when the variable is unset, so a real engine always wins.
import { spawnSync } from 'node:child_process';

const env = { ...process.env, PRISMA_HIDE_UPDATE_MESSAGE: '1', CHECKPOINT_DISABLE: '1' };
env.PRISMA_SCHEMA_ENGINE_BINARY ??= process.execPath;

const result = spawnSync('npx', ['--no-install', 'prisma', 'generate'], { stdio: 'inherit', env });
process.exit(result.status ?? 1);
