// Compares herald's graphql_parse_check with graphql-js (tools/node/graphql-parse-oracle.mjs)
// on every *.graphql file of a directory: verdict, error position and message, AST.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { listInputs, oracleLine } from '../../tools/node/graphql-parse-oracle.mjs';

const parseLine = (line) => {
  const [name, verdict, ...rest] = (line ?? '').split('\t');
  return verdict === 'accept'
    ? { name, verdict, ast: rest[0] }
    : { name, verdict, location: rest[0], message: rest[1] };
};

const describeVerdict = (r) => `${r.verdict} ${r.location ?? ''} ${r.message ?? ''}`.trim();

// Returns { documents, accepted, disagreements: [text] }.
export function compareDirectory(checkBinary, directory) {
  const files = listInputs([directory]);
  const expected = files.map((file) => oracleLine(basename(file), readFileSync(file)));
  const actual = execFileSync(checkBinary, [directory], { encoding: 'utf8', maxBuffer: 1 << 28 })
    .split('\n')
    .filter((line) => line !== '');
  const disagreements = [];
  for (let i = 0; i < Math.max(expected.length, actual.length); ++i) {
    const js = parseLine(expected[i]);
    const cpp = parseLine(actual[i]);
    const what = [];
    if (js.name !== cpp.name) {
      what.push(`file order: graphql-js ${js.name}, herald ${cpp.name}`);
    } else if (js.verdict !== cpp.verdict) {
      what.push(`verdict: graphql-js ${describeVerdict(js)}, herald ${describeVerdict(cpp)}`);
    } else if (js.verdict === 'accept' && js.ast !== cpp.ast) {
      what.push(`AST:\n    graphql-js ${js.ast}\n    herald     ${cpp.ast}`);
    } else if (js.verdict === 'reject') {
      if (js.location !== cpp.location) what.push(`error location: graphql-js ${js.location}, herald ${cpp.location}`);
      if (js.message !== cpp.message) what.push(`error message: graphql-js ${js.message}, herald ${cpp.message}`);
    }
    if (what.length) disagreements.push(`${js.name ?? cpp.name}: ${what.join('; ')}`);
  }
  const accepted = expected.filter((line) => line.includes('\taccept\t')).length;
  return { documents: files.length, accepted, disagreements };
}

export function report(label, { documents, accepted, disagreements }) {
  console.log(`${label}: ${documents} documents (${accepted} accepted, ${documents - accepted} rejected by graphql-js), ${disagreements.length} disagreements`);
  for (const line of disagreements) console.log('  ' + line);
}
