// Page weight and time to interactive of the board, as a phone on a mobile network
// gets it: two servers (a baseline build and this one) on copies of one database,
// each board loaded cold several times under Chromium's network and CPU throttling.
// Prints bytes on the wire per asset, the time until the page is interactive
// (`body[data-hydrated]`), and each figure's ratio to the baseline.
//
//   node scripts/bench-pages.mjs <baseline-url> <candidate-url> <email> [runs]
import { chromium } from '@playwright/test';

const [baseline, candidate, email, runsArg] = process.argv.slice(2);
if (!baseline || !candidate || !email) {
  console.error('usage: node scripts/bench-pages.mjs <baseline-url> <candidate-url> <email> [runs]');
  process.exit(2);
}
const runs = Number(runsArg ?? 3);
const PASSWORD = 'demo-password-1';
const profiles = [
  { name: '9 Mbps, 150 ms RTT', down: 9e6, up: 3e6, rtt: 150, cpu: 1 },
  { name: '1.6 Mbps, 300 ms RTT, 4x CPU', down: 1.6e6, up: 0.75e6, rtt: 300, cpu: 4 },
];

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--disable-quic', '--no-first-run'],
});

/** A signed-in browser context for `base`, its cookies kept for the cold loads. */
async function signedIn(base) {
  const context = await browser.newContext({ baseURL: base, viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  await page.goto('/login');
  await page.locator('input[name=email]').fill(email);
  await page.locator('input[name=password]').fill(PASSWORD);
  await page.getByRole('button', { name: 'Log in' }).click();
  await page.waitForURL(/\/(board)?$/);
  const state = await context.storageState();
  await context.close();
  return state;
}

/** One cold load of the board: every response's encoded size, and when it became interactive. */
async function load(base, state, profile) {
  const context = await browser.newContext({ baseURL: base, storageState: state, viewport: { width: 390, height: 800 } });
  const page = await context.newPage();
  const cdp = await context.newCDPSession(page);
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: profile.rtt,
    downloadThroughput: profile.down / 8,
    uploadThroughput: profile.up / 8,
  });
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: profile.cpu });
  const urls = new Map();
  const bytes = new Map();
  cdp.on('Network.responseReceived', (e) => urls.set(e.requestId, e.response.url));
  cdp.on('Network.loadingFinished', (e) => {
    const url = urls.get(e.requestId);
    if (url) bytes.set(url, (bytes.get(url) ?? 0) + e.encodedDataLength);
  });
  const start = Date.now();
  await page.goto('/board', { waitUntil: 'commit' });
  await page.locator('body[data-hydrated=true]').waitFor({ state: 'attached', timeout: 180_000 });
  const interactive = Date.now() - start;
  await page.waitForLoadState('networkidle');
  await context.close();
  return { interactive, bytes };
}

/** `/pkg/leadsy.1a2b….wasm` and `/pkg/leadsy_bg.wasm` are both "wasm". */
function kind(url) {
  const path = new URL(url).pathname;
  if (path.endsWith('.wasm')) return 'wasm';
  if (path.endsWith('.js')) return 'js';
  if (path.endsWith('.css')) return 'css';
  if (path.startsWith('/rpc/')) return 'server functions';
  if (path === '/board') return 'board HTML';
  return 'other';
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
const ratio = (a, b) => (b ? `${(a / b).toFixed(2)}x` : '-');

const states = { baseline: await signedIn(baseline), candidate: await signedIn(candidate) };
const bases = { baseline, candidate };
for (const profile of profiles) {
  const result = {};
  for (const which of ['baseline', 'candidate']) {
    const times = [];
    let sizes;
    for (let i = 0; i < runs; i++) {
      const r = await load(bases[which], states[which], profile);
      times.push(r.interactive);
      sizes = new Map();
      for (const [url, n] of r.bytes) sizes.set(kind(url), (sizes.get(kind(url)) ?? 0) + n);
    }
    result[which] = { interactive: median(times), times, sizes };
  }
  console.log(`\n## ${profile.name} (median of ${runs} cold loads of /board at 390 px)`);
  console.log('| | baseline | this build | ratio |');
  console.log('|---|---:|---:|---:|');
  const kinds = new Set([...result.baseline.sizes.keys(), ...result.candidate.sizes.keys()]);
  let totals = [0, 0];
  for (const k of ['board HTML', 'css', 'js', 'wasm', 'server functions', 'other'].filter((k) => kinds.has(k))) {
    const [a, b] = [result.baseline.sizes.get(k) ?? 0, result.candidate.sizes.get(k) ?? 0];
    totals = [totals[0] + a, totals[1] + b];
    console.log(`| ${k} | ${kb(a)} | ${kb(b)} | ${ratio(b, a)} |`);
  }
  console.log(`| **total on the wire** | ${kb(totals[0])} | ${kb(totals[1])} | ${ratio(totals[1], totals[0])} |`);
  const [ta, tb] = [result.baseline.interactive, result.candidate.interactive];
  console.log(`| **interactive after** | ${(ta / 1000).toFixed(2)} s | ${(tb / 1000).toFixed(2)} s | ${ratio(tb, ta)} |`);
  console.log(`\nruns (ms): baseline ${result.baseline.times.join(', ')}; this build ${result.candidate.times.join(', ')}`);
}
await browser.close();
