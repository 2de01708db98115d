// Runs before `npm test` (npm's pretest): the browser tests drive Debian's Chromium through
// playwright-core. Where it is missing and apt-get can install it (as root), it is installed here
// once; otherwise one line says what to do, and the browser tests fail naming the same command.
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
if (!existsSync(CHROMIUM)) {
  const apt = spawnSync('sh', ['-c', 'command -v apt-get'], { encoding: 'utf8' }).stdout.trim();
  if (apt && process.getuid?.() === 0) {
    console.log('Installing Debian\'s chromium for the browser tests (once)…');
    const result = spawnSync('apt-get', ['install', '-y', '-q', '--no-install-recommends', 'chromium'], {
      stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    if (result.status !== 0) console.log('Could not install chromium: the browser tests will fail. Install it with: apt-get install -y chromium');
  } else {
    console.log(`No Chromium at ${CHROMIUM}: the browser tests will fail. Install it with: sudo apt-get install -y chromium (or set CHROMIUM_PATH)`);
  }
}
