/**
 * Dev tool: email to look at (templates, one-to-one mail, a campaign, opens and clicks by people
 * and by machines), made through the API on the customers with the most orders (the screenshot
 * tool opens the first of them). The server must run without SMTP_URL: the tracking links are
 * read back from its outbox folder.
 * Usage: npx tsx tests/e2e/tools/email-demo.ts http://127.0.0.1:3100 <outbox dir> [admin email] [password]
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ApiClient } from '../support/api.js';

const [
  baseUrl = 'http://127.0.0.1:3100',
  outbox = './data/outbox',
  email = 'admin@example.com',
  password = 'admin-password-1',
] = process.argv.slice(2);
const HUMAN =
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_0) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Safari/605.1.15';

const api = new ApiClient(baseUrl);
await api.login(email, password);
const stamp = Date.now().toString(36);
const welcome = await api.post<{ id: string }>('/crm/email-templates', {
  name: `Welcome back ${stamp}`,
  category: 'marketing',
  subject: 'We saved something for you, {{first_name}}',
  body_html:
    '<h1>Hi {{first_name}}!</h1><p>New arrivals in your favourite categories: <a href="https://shop.example/new">see them</a>.</p>' +
    '<p>Or <a href="https://shop.example/sale">browse the sale</a>.</p><p><small><a href="{{unsubscribe_url}}">Unsubscribe</a></small></p>',
  body_text: 'Hi {{first_name}}! New arrivals: https://shop.example/new',
});
await api.post('/crm/email-templates', {
  name: `Order follow-up ${stamp}`,
  category: 'transactional',
  subject: 'How was your order, {{first_name}}?',
  body_html:
    '<p>Dear {{full_name}}, we hope you enjoy it. <a href="https://shop.example/review">Leave a review</a></p>',
  body_text: 'Dear {{full_name}}, we hope you enjoy it: https://shop.example/review',
});
const customers = (
  await api.get<{ data: { id: string }[] }>('/crm/customers?limit=8&sort=total_orders&order=desc')
).data;
for (const [i, c] of customers.entries()) {
  await api.post('/crm/communications/send', { customer_id: c.id, template_id: welcome.id });
  await api.post('/crm/communications/send', {
    customer_id: c.id,
    subject: i % 2 ? 'Your refund' : 'About your parcel',
    body: `Hello,\n\nthe courier confirmed delivery for tomorrow. Track it at https://shop.example/track/${i}.\n\nBest regards`,
  });
}
const segments = await api.get<{ id: string; name: string }[] | { data: { id: string }[] }>('/crm/segments');
const segmentList = Array.isArray(segments) ? segments : segments.data;
if (segmentList[0])
  await api.post('/crm/communications/send', {
    segment_id: segmentList[0].id,
    template_id: welcome.id,
    campaign_name: `Spring welcome ${stamp}`,
  });

// let the server's workers deliver to the outbox, then open and click like readers and scanners
await new Promise((r) => setTimeout(r, 4000));
const files = await readdir(outbox);
let hits = 0;
for (const [i, file] of files.entries()) {
  const raw = (await readFile(join(outbox, file), 'utf8')).replace(/=\r?\n/g, '').replace(/=3D/g, '=');
  const pixel = raw.match(/src="(http[^"]+\/t\/o\/[^"]+)"/)?.[1];
  const links = [...raw.matchAll(/href="(http[^"]+\/t\/c\/[^"]+)"/g)].map((m) => m[1]!);
  if (pixel && i % 3 !== 2) {
    await fetch(pixel, { headers: { 'user-agent': i % 4 === 0 ? 'Mozilla/5.0' : HUMAN } });
    hits += 1;
  }
  if (links[0] && i % 3 === 0) {
    await fetch(links[0], { headers: { 'user-agent': HUMAN }, redirect: 'manual' });
    hits += 1;
  }
}
console.log(`email demo: ${files.length} messages in the outbox, ${hits} opens and clicks`);
