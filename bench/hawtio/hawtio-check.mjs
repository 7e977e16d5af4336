// Drives a real Hawtio 4 console in headless Chromium against the service, as an operator would:
// connect, list the routes, open a sync's route diagram, then on the sync's MBean run the sync from
// the Operations tab (runNow, pause, resume, startRun). Fails on any request Jolokia refuses.
// Saves the screenshots docs/console.md shows; with RECORD=<file> also writes the requests Hawtio posted
// (query and JSON body of each), as in src/test/resources/hawtio/jolokia-requests.json.
// Run by bench/hawtio-check.sh, which starts the service and Hawtio first.
import fs from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const hawtio = process.env.HAWTIO_URL || 'http://localhost:8090/hawtio';
const servicePort = Number(process.env.SERVICE_PORT || 9876);
const sync = process.env.SYNC || 'customers-by-external-id';
const shots = process.env.SHOTS_DIR || 'docs/img';
const record = process.env.RECORD;
const chromium = process.env.CHROMIUM || '/usr/bin/chromium';
// when the service asks for the management credentials, Hawtio asks for them when it connects
const user = process.env.MANAGEMENT_USER;
const password = process.env.MANAGEMENT_PASSWORD;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const fail = (message) => { throw new Error(message); };

const browser = await puppeteer.launch({
  executablePath: chromium,
  headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update', '--disable-sync',
    `--user-data-dir=${fs.mkdtempSync('/tmp/hawtio-check-chromium-')}`],
});
const bodies = [];
const refused = [];
const page = await browser.newPage();
try {
  await page.setViewport({ width: 1400, height: 900 });
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().includes('/observe/jolokia')) {
      // what Hawtio sends: its query parameters (through Hawtio's proxy) and the JSON body
      bodies.push({ query: new URL(r.url()).search, body: JSON.parse(r.postData()) });
    }
  });
  page.on('response', async (r) => {
    if (r.request().method() !== 'POST' || !r.url().includes('/observe/jolokia')) return;
    if (r.status() !== 200) {
      // 401 before the login; 403 is the management port refusing Hawtio's host
      if (r.status() === 403) refused.push(`HTTP 403 for ${r.request().postData()}`);
      return;
    }
    const text = await r.text().catch(() => '');
    const answers = [].concat(JSON.parse(text || '[]'));
    for (const a of answers) {
      if (a && a.status === 403) refused.push(`${a.status} ${JSON.stringify(a.request)}: ${a.error}`);
    }
  });

  // what Connect -> Add connection -> Connect stores and opens
  await page.goto(`${hawtio}/`, { waitUntil: 'networkidle2' });
  await page.evaluate((port) => localStorage.setItem('connect.connections', JSON.stringify({
    'klaviyo-sync': { id: 'klaviyo-sync', name: 'klaviyo-sync', scheme: 'http', host: 'localhost', port, path: '/observe/jolokia' },
  })), servicePort);
  await page.goto(`${hawtio}/camel?con=klaviyo-sync`, { waitUntil: 'networkidle2' });
  if (user) {
    await page.waitForSelector('#connect-login-form-username', { timeout: 60000 });
    await page.type('#connect-login-form-username', user);
    await page.type('#connect-login-form-password', password);
    await page.evaluate(() => [...document.querySelectorAll('button')].find((b) => b.textContent.trim() === 'Log in').click());
  }
  await page.locator(`::-p-text(${sync})`).setTimeout(90000).wait();

  const treeItem = async (label, { expand = false, last = false } = {}) => {
    await page.evaluate((label, expand, last) => {
      const texts = [...document.querySelectorAll('[role=treeitem] .pf-v5-c-tree-view__node-text')]
        .filter((e) => e.textContent.trim() === label);
      if (texts.length === 0) throw new Error(`no tree item '${label}'`);
      const text = last ? texts[texts.length - 1] : texts[0];
      const item = text.closest('[role=treeitem]');
      const toggle = item.querySelector('.pf-v5-c-tree-view__node-toggle');
      (expand && toggle ? toggle : text).click();
    }, label, expand, last);
    await sleep(1500);
  };
  const tab = async (name) => {
    await page.locator(`::-p-text(${name})`).click();
    await sleep(2500);
  };

  // the routes list with their statistics
  await treeItem('routes');
  await page.locator(`::-p-text(Completed)`).setTimeout(30000).wait();
  // the sync's route diagram (with its statistics)
  await page.setViewport({ width: 1400, height: 1500 });
  await treeItem(sync);
  await tab('Route Diagram');
  await page.waitForSelector('.react-flow__node', { timeout: 30000 });
  const boxes = await page.$$eval('.react-flow__node', (n) => n.length);
  if (boxes < 10) fail(`the route diagram of ${sync} shows ${boxes} boxes`);
  // the boxes read the steps' ids (the dump marks them customId="true"), not `Process ref:...`
  const labels = await page.$$eval('.camel-node-label', (n) => n.map((e) => e.textContent.trim()));
  // (Hawtio cuts a label of 20 characters or more to 17, and appends a step's expression)
  for (const step of ['run-the-sync', 'open-the-run', 'stream-the-model', 'map-to-profiles', 'batch-changed-rows',
    'queue-full-batch', 'flush-last-batches', 'await-every-batch', 'settle-bulk-jobs']) {
    if (!labels.includes(step)) fail(`the route diagram of ${sync} has no box labelled ${step}: ${labels.join(' | ')}`);
  }
  await sleep(2500);
  fs.mkdirSync(shots, { recursive: true });
  await page.screenshot({ path: path.join(shots, 'hawtio-route-diagram.png') });
  await page.setViewport({ width: 1400, height: 900 });

  // every route's diagram, with the context's statistics
  await treeItem('routes');
  await tab('Route Diagram');
  await sleep(3000);

  // the sync's MBean: Operations
  await page.locator('::-p-text(JMX)').click();
  await sleep(2500);
  await treeItem('org.klaviyosync', { expand: true });
  await treeItem('sync', { expand: true });
  await treeItem(sync, { last: true });
  await tab('Operations');

  const item = (operation) => `li[aria-labelledby="operation ${operation}"]`;
  const execute = async (operation) => {
    const selector = item(operation);
    await page.waitForSelector(selector);
    if (await page.$eval(selector, (i) => !i.classList.contains('pf-m-expanded'))) {
      await page.click(`${selector} .pf-v5-c-data-list__toggle button`);
      await sleep(800);
    }
    await page.evaluate((selector) => {
      const button = [...document.querySelector(selector).querySelectorAll('button')]
        .find((b) => b.textContent.trim() === 'Execute');
      button.click();
    }, selector);
    for (let i = 0; i < 1200; i++) {
      await sleep(500);
      const text = await page.$eval(selector, (i) => i.innerText);
      const result = /\nResult\n([\s\S]*)$/.exec(text);
      if (result) return result[1].trim();
    }
    return fail(`${operation} gave no result`);
  };

  const ran = await execute('runNow()');
  const run = /run (\d+) (completed|dry_run) in \d+ ms: read=(\d+)/.exec(ran);
  if (!run || Number(run[3]) === 0) fail(`runNow() did not run the sync: ${ran}`);
  console.log(`runNow(): run ${run[1]} ${run[2]}, read ${run[3]} rows`);
  await page.screenshot({ path: path.join(shots, 'hawtio-sync-operations.png') });
  await execute('pause()');
  await execute('resume()');
  const started = await execute('startRun()');
  const startedId = Number(started.split('\n')[0]);
  if (!(startedId > Number(run[1]))) fail(`startRun() did not answer with a new run id: ${started}`);
  console.log(`startRun(): run ${startedId}`);

  if (refused.length > 0) fail(`Jolokia refused requests Hawtio sent:\n${refused.join('\n')}`);
  if (!bodies.some((b) => b.body.operation === 'runNow()')) fail('Hawtio never posted runNow()');
  console.log(`OK: ${bodies.length} Jolokia requests from Hawtio, none refused; screenshots in ${shots}`);
} catch (e) {
  await page.screenshot({ path: path.join(shots, 'hawtio-check-failed.png') }).catch(() => {});
  throw e;
} finally {
  if (record) fs.writeFileSync(record, JSON.stringify(bodies, null, 1) + '\n');
  await browser.close();
}
