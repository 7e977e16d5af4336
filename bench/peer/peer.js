// The benchmark's peer: what a hand-written script on Klaviyo's official Node SDK does. It reads the
// model from PostgreSQL, sends bulk import jobs of 10,000 profiles with 4 in flight, polls each job
// every 300 ms until it completes, and keeps no bookkeeping and does no change detection.
// Environment: PG_URL, MODEL (SQL with columns id, email, first_name, plan, score), LIST_NAME,
// KLAVIYO_BASE_URL, KLAVIYO_API_KEY. Prints one line: PEER_RESULT={...} (epoch milliseconds).
'use strict';
const { performance } = require('perf_hooks');
const pg = require('pg');
const { ApiKeySession, ProfilesApi, ListsApi } = require('klaviyo-api');

const JOB_SIZE = 10000;
const IN_FLIGHT = 4;
const POLL_MS = 300;
const now = () => performance.timeOrigin + performance.now();

async function main() {
  const session = new ApiKeySession(process.env.KLAVIYO_API_KEY);
  const profiles = new ProfilesApi(session);
  const lists = new ListsApi(session);
  for (const api of [profiles, lists]) {
    api.basePath = process.env.KLAVIYO_BASE_URL;
  }

  const list = await lists.createList({ data: { type: 'list', attributes: { name: process.env.LIST_NAME } } });
  const listId = list.body.data.id;

  const result = { rows: 0, jobs: 0, failed: 0, firstRowEpochMs: 0, lastJobAcceptedEpochMs: 0 };
  const batches = [];
  let current = [];
  let readDone = false;
  let waiting = [];
  const signal = () => { const w = waiting; waiting = []; w.forEach((r) => r()); };

  async function sendJob(batch) {
    const created = await profiles.bulkImportProfiles({
      data: {
        type: 'profile-bulk-import-job',
        attributes: { profiles: { data: batch } },
        relationships: { lists: { data: [{ type: 'list', id: listId }] } },
      },
    });
    result.jobs++;
    result.lastJobAcceptedEpochMs = now();
    const id = created.body.data.id;
    for (;;) {
      await new Promise((r) => setTimeout(r, POLL_MS));
      const job = await profiles.getBulkImportProfilesJob(id);
      const status = job.body.data.attributes.status;
      if (status === 'complete' || status === 'failed' || status === 'cancelled') {
        result.failed += job.body.data.attributes.failedCount || 0;
        return;
      }
    }
  }

  async function worker() {
    for (;;) {
      if (batches.length > 0) {
        await sendJob(batches.shift());
      } else if (readDone) {
        return;
      } else {
        await new Promise((r) => waiting.push(r));
      }
    }
  }

  const client = new pg.Client({ connectionString: process.env.PG_URL });
  await client.connect();
  const read = new Promise((resolve, reject) => {
    const query = client.query(new pg.Query(process.env.MODEL));
    query.on('row', (row) => {
      if (result.rows++ === 0) {
        result.firstRowEpochMs = now();
      }
      current.push({
        type: 'profile',
        attributes: {
          externalId: row.id,
          email: row.email,
          firstName: row.first_name,
          properties: { plan: row.plan, score: row.score },
        },
      });
      if (current.length === JOB_SIZE) {
        batches.push(current);
        current = [];
        signal();
      }
    });
    query.on('error', reject);
    query.on('end', () => {
      if (current.length > 0) {
        batches.push(current);
      }
      readDone = true;
      signal();
      resolve();
    });
  });
  const workers = [];
  for (let i = 0; i < IN_FLIGHT; i++) {
    workers.push(worker());
  }
  await read;
  await Promise.all(workers);
  await client.end();
  console.log('PEER_RESULT=' + JSON.stringify(result));
}

main().catch((e) => {
  const body = e.response && e.response.data ? ' ' + JSON.stringify(e.response.data).slice(0, 2000) : '';
  console.error('peer failed: ' + (e.message || e) + body);
  process.exit(1);
});
