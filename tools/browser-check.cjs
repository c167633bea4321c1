// The browser half of tools/browser-check: drives Debian's Chromium (headless) through the Aspire dashboard and
// dynamodb-admin. Arguments: the dashboard's login link, the folder for screenshots, the seconds to wait for each state.
'use strict';
const { chromium } = require('playwright-core');
const path = require('node:path');

// The worker's metrics as README lists them (Telemetry).
const workerMetrics = [
  'twitterstream.posts.received',
  'twitterstream.posts.kept',
  'twitterstream.posts.stored',
  'twitterstream.lines.rejected',
  'twitterstream.stream.reconnects',
  'twitterstream.writes.retries',
  'twitterstream.post.latency',
  'twitterstream.buffer.depth',
];
const table = 'twitterstream-posts';

const [login, out, waitArgument] = process.argv.slice(2);
const startMs = Number(waitArgument || 600) * 1000;
// Once every resource runs, the worker exports its metrics and stores posts within seconds.
const settleMs = 120 * 1000;
const failures = [];

function check(condition, message) {
  console.log(`  ${condition ? 'ok  ' : 'FAIL'} ${message}`);
  if (!condition) failures.push(message);
}

async function eventually(what, waitMs, probe) {
  const deadline = Date.now() + waitMs;
  let last;
  for (;;) {
    last = await probe();
    if (last.done) return last;
    if (Date.now() > deadline) {
      console.log(`  timed out after ${waitMs / 1000} s waiting for ${what}`);
      return last;
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
}

async function resourceRows(page) {
  return page.$$eval('tr.resource-row', rows => rows.map(row => {
    const state = row.querySelector('td[col-index="2"]');
    const icon = state?.querySelector('svg.severity-icon');
    return {
      name: row.querySelector('.resource-name-text')?.textContent.trim() ?? '',
      state: state?.getAttribute('title') ?? '',
      // The dashboard puts the count of error logs beside the state (a red badge).
      errorLogs: (state?.innerText ?? '').replace(state?.getAttribute('title') ?? '', '').trim(),
      healthy: (icon?.getAttribute('style') ?? '').includes('--success'),
      urls: [...row.querySelectorAll('td[col-index="5"] a')].map(a => ({ text: a.textContent.trim(), href: a.href })),
    };
  }));
}

// DynamoDB's JSON protocol, unsigned but for the access key: the local emulators accept any signature.
async function dynamoDb(endpoint, action, request) {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.0',
      'X-Amz-Target': `DynamoDB_20120810.${action}`,
      Authorization: 'AWS4-HMAC-SHA256 Credential=test/20240101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
    },
    body: JSON.stringify(request),
  });
  if (!response.ok) throw new Error(`${action} answered ${response.status}: ${await response.text()}`);
  return response.json();
}

async function getItem(endpoint, key) {
  return (await dynamoDb(endpoint, 'GetItem', { TableName: table, Key: { user: { S: key.user }, date: { S: key.date } } })).Item;
}

async function itemCount(endpoint) {
  return (await dynamoDb(endpoint, 'DescribeTable', { TableName: table })).Table.ItemCount;
}

// Resources the AppHost lists but starts only when asked (the compliance sweep runs on demand).
const onDemand = ['compliance-sweep'];

(async () => {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });

    console.log('dashboard: resources');
    await page.goto(login);
    await page.waitForSelector('tr.resource-row', { timeout: startMs });
    const { rows } = await eventually('every resource Running and healthy', startMs, async () => {
      const rows = await resourceRows(page);
      const running = rows.filter(r => !onDemand.includes(r.name));
      return { rows, done: running.length > 0 && running.every(r => r.state === 'Running' && r.healthy) };
    });
    for (const row of rows.filter(r => !onDemand.includes(r.name))) check(row.state === 'Running' && row.healthy, `${row.name}: ${row.state}${row.healthy ? ', healthy' : ', not healthy'}`);
    for (const name of onDemand) check(rows.some(r => r.name === name && r.state !== 'Running'), `on-demand resource ${name} is listed, not started (${rows.find(r => r.name === name)?.state ?? 'missing'})`);
    for (const name of ['posts', 'simulator', 'worker']) check(rows.some(r => r.name === name), `resource ${name} is listed`);
    const emulator = rows.find(r => ['dynamodb-local', 'localstack', 'moto'].includes(r.name));
    check(emulator?.urls.length > 0, `an AWS emulator with a URL is listed (${emulator?.name ?? 'none'})`);
    await page.screenshot({ path: path.join(out, '1-dashboard-resources.png') });

    console.log('dashboard: worker metrics');
    // The instrument tree renders lazily (our meter sorts after the framework's), so each metric is opened by its URL
    // and its page must name it.
    for (const metric of workerMetrics) {
      await page.goto(new URL(`/metrics/resource/worker?meter=TwitterStream.Worker&instrument=${encodeURIComponent(metric)}`, login).href);
      const { shown } = await eventually(`metric ${metric}`, settleMs, async () => {
        const shown = (await page.innerText('body')).includes(metric);
        return { shown, done: shown };
      }).catch(() => ({ shown: false }));
      check(shown, `metric ${metric} is listed`);
    }
    const storedChart = new URL('/metrics/resource/worker', login);
    storedChart.search = new URLSearchParams({ meter: 'TwitterStream.Worker', instrument: 'twitterstream.posts.stored' }).toString();
    await page.goto(storedChart.href);
    await page.waitForTimeout(5000); // the chart draws after the page; the screenshot is for a person to read
    await page.screenshot({ path: path.join(out, '2-dashboard-worker-metrics.png') });

    console.log('dynamodb-admin: stored items');
    const admin = rows.find(r => r.name === 'dynamodb-admin')?.urls[0]?.href;
    check(Boolean(admin), 'dynamodb-admin has a link in the dashboard');
    if (admin && emulator?.urls.length > 0) {
      // The page fetches its rows after it loads; over moto that takes seconds and grows with the table (each moto
      // Scan sorts the whole table, and dynamodb-admin reads a page as Scans of 10 items). So the check waits on the
      // page's own outcome, rows or "No results" or an error, and reloads only while the table is still empty:
      // reloading on a timer aborts the fetch that would have filled the page.
      const adminErrors = [];
      page.on('pageerror', error => adminErrors.push(`script error: ${error.message}`));
      page.on('requestfailed', request => {
        if (request.url().includes('/items')) adminErrors.push(`${request.url()}: ${request.failure()?.errorText}`);
      });
      // BROWSER_CHECK_MIN_ITEMS=N opens the page only once the table holds N items: the page's cost grows with the
      // table over moto, and the default run reaches it after a few hundred posts.
      const minItems = Number(process.env.BROWSER_CHECK_MIN_ITEMS || 0);
      if (minItems > 0) {
        const { count } = await eventually(`${minItems} items in the table`, startMs, async () => {
          const count = await itemCount(emulator.urls[0].href);
          return { count, done: count >= minItems };
        });
        check(count >= minItems, `the table holds ${count} items before the items page opens (at least ${minItems} asked)`);
      }
      const itemsPage = new URL(`/tables/${table}`, admin).href;
      const { items, outcome } = await eventually('items in dynamodb-admin', settleMs, async () => {
        const opened = Date.now();
        await page.goto(itemsPage);
        const outcome = await page.waitForFunction(() => {
          if (document.querySelector('#items-container tr')) return 'rows';
          if (document.querySelector('#error-wrapper .alert')) return 'error: ' + document.querySelector('#error-wrapper .alert').innerText;
          if (!document.querySelector('.no-results')?.classList.contains('d-none')) return 'no results';
          return false;
        }, null, { timeout: settleMs, polling: 250 }).then(handle => handle.jsonValue()).catch(error => `nothing shown (${error.message.split('\n')[0]})`);
        console.log(`  items page after ${Date.now() - opened} ms, over ${await itemCount(emulator.urls[0].href)} items: ${outcome}`);
        const items = await page.$$eval('#items-container tr', (trs) => {
          const headers = [...document.querySelectorAll('#actions-row th')].map(th => th.textContent.trim());
          return trs.map(tr => Object.fromEntries([...tr.children].map((td, i) => [headers[i], td.innerText.trim()])));
        }).catch(() => []);
        const posts = items.filter(i => i.user && i.date && i.text && i.text !== 'undefined');
        return { items: posts, outcome, done: posts.length > 0 || outcome.startsWith('error') || outcome.startsWith('nothing') };
      });
      check(outcome === 'rows', `dynamodb-admin's items page shows rows (${outcome})`);
      check(adminErrors.length === 0, `dynamodb-admin's items page ran without script or request errors${adminErrors.length ? `: ${adminErrors.join('; ')}` : ''}`);
      check(items.length > 0, `${items.length} items shown`);
      await page.screenshot({ path: path.join(out, '3-dynamodb-admin-items.png') });

      let nonAscii = 0;
      let tagged = 0;
      for (const shown of items) {
        const key = { user: JSON.parse(shown.user), date: JSON.parse(shown.date) };
        const item = await getItem(emulator.urls[0].href, key);
        const text = JSON.parse(shown.text);
        if (text !== item?.text?.S) {
          check(false, `item ${key.date}: dynamodb-admin shows ${JSON.stringify(text)}, the table holds ${JSON.stringify(item?.text?.S)}`);
        }
        if (/[^\x00-\x7f]/.test(text)) nonAscii++;
        if (shown.rules.includes('"twitterstream"')) tagged++;
      }
      check(tagged === items.length, `${tagged} of ${items.length} items show their rule tag under rules`);
      check(nonAscii > 0, `${nonAscii} of the items shown carry non-ASCII text, each as stored`);
    }

    // Last, so that an error logged while the pages above were read counts too.
    console.log('dashboard: error logs');
    await page.goto(login);
    await page.waitForSelector('tr.resource-row', { timeout: startMs });
    for (const row of (await resourceRows(page)).filter(r => !onDemand.includes(r.name))) {
      check(row.errorLogs === '', `${row.name}: no error logged${row.errorLogs ? ` (${row.errorLogs} shown)` : ''}`);
      if (row.errorLogs !== '') {
        await page.goto(new URL(`/structuredlogs/resource/${row.name}`, login).href);
        await page.waitForTimeout(3000); // the log grid fills after the page; the screenshot is for a person to read
        await page.screenshot({ path: path.join(out, `4-errors-${row.name}.png`), fullPage: true });
        await page.goto(login);
        await page.waitForSelector('tr.resource-row', { timeout: startMs });
      }
    }
  } finally {
    await browser.close();
  }

  if (failures.length > 0) {
    console.error(`${failures.length} check(s) failed`);
    process.exit(1);
  }
})().catch(error => {
  console.error(error);
  process.exit(1);
});
