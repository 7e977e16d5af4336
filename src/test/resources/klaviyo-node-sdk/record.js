// Records what Klaviyo's official Node SDK (klaviyo-api 23.0.0) sends for Bulk Subscribe / Unsubscribe
// Profiles, against a local listener: KLAVIYO_SDK=bench/peer/node_modules/klaviyo-api node record.js <dir>
const http = require('http');
const { ApiKeySession, ProfilesApi } = require(process.env.KLAVIYO_SDK || 'klaviyo-api');
const seen = [];
const server = http.createServer((req, res) => {
  let b = ''; req.on('data', c => b += c); req.on('end', () => {
    seen.push({ method: req.method, url: req.url, headers: { 'content-type': req.headers['content-type'], revision: req.headers['revision'], accept: req.headers['accept'] }, body: JSON.parse(b) });
    res.writeHead(202); res.end();
  });
});
server.listen(0, async () => {
  const port = server.address().port;
  const api = new ProfilesApi(new ApiKeySession('pk_test'));
  api.basePath = 'http://127.0.0.1:' + port;
  await api.bulkSubscribeProfiles({ data: { type: 'profile-subscription-bulk-create-job', attributes: {
    customSource: 'klaviyo-sync', historicalImport: true,
    profiles: { data: [ { type: 'profile', attributes: { email: 'a@x.com', phoneNumber: '+15005550006',
      subscriptions: { email: { marketing: { consent: 'SUBSCRIBED', consentedAt: new Date('2024-01-02T03:04:05Z') } },
                       sms: { marketing: { consent: 'SUBSCRIBED', consentedAt: new Date('2024-01-02T03:04:05Z') } } } } } ] } },
    relationships: { list: { data: { type: 'list', id: 'Y6nRLr' } } } } });
  await api.bulkSubscribeProfiles({ data: { type: 'profile-subscription-bulk-create-job', attributes: {
    customSource: 'klaviyo-sync',
    profiles: { data: [ { type: 'profile', attributes: { email: 'b@x.com',
      subscriptions: { email: { marketing: { consent: 'SUBSCRIBED' } } } } } ] } },
    relationships: { list: { data: { type: 'list', id: 'Y6nRLr' } } } } });
  await api.bulkUnsubscribeProfiles({ data: { type: 'profile-subscription-bulk-delete-job', attributes: {
    profiles: { data: [ { type: 'profile', attributes: { email: 'a@x.com', phoneNumber: '+15005550006',
      subscriptions: { email: { marketing: { consent: 'UNSUBSCRIBED' } }, sms: { marketing: { consent: 'UNSUBSCRIBED' } } } } } ] } },
    relationships: { list: { data: { type: 'list', id: 'Y6nRLr' } } } } });
  const fs = require('fs');
  const dir = process.argv[2];
  const names = ['bulk-subscribe-profiles-historical.json', 'bulk-subscribe-profiles.json', 'bulk-unsubscribe-profiles.json'];
  seen.forEach((r, i) => fs.writeFileSync(dir + '/' + names[i], JSON.stringify({ method: r.method, path: r.url, contentType: r.headers['content-type'], revision: r.headers.revision, body: r.body }, null, 2) + '\n'));
  console.log(seen.length);
  server.close();
});
