/**
 * `node dist/bench/cpu-profile.js <file.cpuprofile> [--from <µs>] [--top <n>]`: where a profile
 * written by `node --cpu-prof` (BENCH_CPU_PROF) spent its time, as self and inclusive time by
 * package (node_modules/<name>, Node's internals, this project's folders, V8's own: GC, program,
 * idle) and self time by function. `--from` leaves out the samples before that moment of the
 * monotonic clock (the bench prints it when the look-ups start), so start-up does not count.
 */
import { readFileSync } from 'node:fs';

interface CallFrame { functionName: string; url: string; lineNumber: number }
interface ProfileNode { id: number; callFrame: CallFrame; children?: number[] }
interface Profile { nodes: ProfileNode[]; startTime: number; samples: number[]; timeDeltas: number[] }

const args = process.argv.slice(2);
const option = (name: string) => {
  const i = args.indexOf(name);
  return i >= 0 ? args.splice(i, 2)[1] : undefined;
};
const from = Number(option('--from') ?? 0);
const top = Number(option('--top') ?? 40);
/** Inclusive time of the functions whose `name file:line` matches this, too. */
const match = option('--match');
const file = args[0];
if (!file) throw new Error('usage: cpu-profile <file.cpuprofile> [--from <µs>] [--top <n>]');
const profile = JSON.parse(readFileSync(file, 'utf8')) as Profile;

function packageOf({ url, functionName }: CallFrame): string {
  if (!url) return `(${functionName.replace(/[()]/g, '') || 'native'})`;
  const modules = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (modules) return modules[1];
  if (url.startsWith('node:')) return 'node:' + url.slice(5).split('/')[0];
  const project = /\/dist\/([^/]+)\//.exec(url);
  return project ? `vikno/${project[1]}` : url;
}

/** `function file:line`, the file relative to node_modules or dist. */
function label({ functionName, url, lineNumber }: CallFrame): string {
  const at = url ? `${url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/')}:${lineNumber + 1}` : '';
  return `${functionName || '(anonymous)'} ${at}`;
}

const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const parent = new Map<number, number>();
for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);

const self = new Map<string, number>();
const inclusive = new Map<string, number>();
const fn = new Map<string, number>();
const matched = new Map<string, number>();
let total = 0;
let t = profile.startTime;
for (let i = 0; i < profile.samples.length; i++) {
  t += profile.timeDeltas[i];
  if (t < from) continue;
  // Each sample stands for the time until the next one.
  const weight = profile.timeDeltas[i + 1] ?? 0;
  total += weight;
  const leaf = byId.get(profile.samples[i])!;
  const pkg = packageOf(leaf.callFrame);
  self.set(pkg, (self.get(pkg) ?? 0) + weight);
  const name = label(leaf.callFrame);
  fn.set(name, (fn.get(name) ?? 0) + weight);
  const seen = new Set<string>();
  for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) seen.add(packageOf(byId.get(id)!.callFrame));
  for (const p of seen) inclusive.set(p, (inclusive.get(p) ?? 0) + weight);
  if (match) {
    const pattern = new RegExp(match);
    const names = new Set<string>();
    for (let id: number | undefined = leaf.id; id !== undefined; id = parent.get(id)) names.add(label(byId.get(id)!.callFrame));
    for (const n of names) if (pattern.test(n)) matched.set(n, (matched.get(n) ?? 0) + weight);
  }
}

const ms = (us: number) => `${(us / 1000).toFixed(0).padStart(7)} ms`;
const busy = total - (self.get('(idle)') ?? 0);
console.log(`${file}: ${ms(total)} sampled${from ? ' after --from' : ''}, ${ms(busy)} not idle`);
const list = (title: string, map: Map<string, number>) => {
  console.log(`\n${title} (share of the time not idle)`);
  for (const [k, v] of [...map].filter(([k]) => k !== '(idle)').sort((a, b) => b[1] - a[1]).slice(0, top)) {
    console.log(`  ${((v / busy) * 100).toFixed(1).padStart(5)} %  ${ms(v)}  ${k}`);
  }
};
list('self time by package', self);
list('inclusive time by package', inclusive);
list('self time by function', fn);
if (match) list(`inclusive time of the functions matching ${match}`, matched);
