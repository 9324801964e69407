// Runs the graphql-http server audits (GraphQL over HTTP spec) against a running server.
//   node graphql-http-audit.mjs http://127.0.0.1:PORT/graphql
// Prints one line per audit ("<status> <id> <name>", with the reason for failures),
// then a summary line "MUST <passed>/<total> SHOULD <passed>/<total> MAY <passed>/<total>".
// Exits 1 when any MUST audit fails, else 0.
import { serverAudits } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage: node graphql-http-audit.mjs <url>');
  process.exit(2);
}

const counts = { MUST: [0, 0], SHOULD: [0, 0], MAY: [0, 0] };
let mustFailed = 0;
for (const audit of serverAudits({ url })) {
  const result = await audit.fn();
  const level = audit.name.split(' ')[0];
  const bucket = counts[level] ?? (counts[level] = [0, 0]);
  bucket[1] += 1;
  if (result.status === 'ok') {
    bucket[0] += 1;
    console.log(`ok      ${audit.id} ${audit.name}`);
  } else {
    if (level === 'MUST') mustFailed += 1;
    const reason = result.reason ?? '';
    console.log(`${result.status.padEnd(7)} ${audit.id} ${audit.name}: ${reason}`);
  }
}
console.log(Object.entries(counts)
  .map(([level, [passed, total]]) => `${level} ${passed}/${total}`).join(' '));
process.exit(mustFailed === 0 ? 0 : 1);
