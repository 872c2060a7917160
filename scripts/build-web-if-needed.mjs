// Run by `npm prestart`: builds the web app only when dist/web is missing or older than its sources.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const output = join(root, 'dist/web/index.html');
const sources = ['src/web', 'src/shared', 'vite.config.ts'].map((p) => join(root, p));

/** Newest modification time under a file or folder (0 when absent). */
function newestMtime(path) {
  if (!existsSync(path)) return 0;
  const stat = statSync(path);
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = stat.mtimeMs;
  for (const entry of readdirSync(path)) newest = Math.max(newest, newestMtime(join(path, entry)));
  return newest;
}

const builtAt = existsSync(output) ? statSync(output).mtimeMs : 0;
const sourcesAt = Math.max(...sources.map(newestMtime));

if (builtAt > 0 && builtAt >= sourcesAt) {
  console.log('web app: dist/web is up to date');
} else {
  console.log(
    builtAt === 0
      ? 'web app: no build yet, running vite build'
      : 'web app: sources changed, running vite build',
  );
  const result = spawnSync(
    process.execPath,
    [join(root, 'node_modules/vite/bin/vite.js'), 'build', '--logLevel', 'warn'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (result.status !== 0) {
    console.error('web app: vite build failed');
    process.exit(result.status ?? 1);
  }
  console.log('web app: built into dist/web');
}
