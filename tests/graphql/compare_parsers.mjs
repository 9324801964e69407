// The agreement test: runs herald's graphql_parse_check and graphql-js (through
// tools/node/graphql-parse-oracle.mjs) over a corpus and lists every document where they
// differ in verdict, error position, error message or AST. Exit status 1 on any.
//
//   node compare_parsers.mjs PATH/TO/graphql_parse_check CORPUS_DIR
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { listInputs, oracleLine } from '../../tools/node/graphql-parse-oracle.mjs';

const MIN_DOCUMENTS = 300;
const [checkBinary, corpus] = process.argv.slice(2);
const files = listInputs([corpus]);
const expected = files.map((file) => oracleLine(basename(file), readFileSync(file)));
const actual = execFileSync(checkBinary, [corpus], { encoding: 'utf8', maxBuffer: 1 << 28 })
  .split('\n')
  .filter((line) => line !== '');

const parseLine = (line) => {
  const [name, verdict, ...rest] = (line ?? '').split('\t');
  return verdict === 'accept'
    ? { name, verdict, ast: rest[0] }
    : { name, verdict, location: rest[0], message: rest[1] };
};

const disagreements = [];
for (let i = 0; i < Math.max(expected.length, actual.length); ++i) {
  const js = parseLine(expected[i]);
  const cpp = parseLine(actual[i]);
  const what = [];
  if (js.name !== cpp.name) what.push(`file order: graphql-js ${js.name}, herald ${cpp.name}`);
  else if (js.verdict !== cpp.verdict) what.push(`verdict: graphql-js ${js.verdict} ${js.location ?? ''} ${js.message ?? ''}, herald ${cpp.verdict} ${cpp.location ?? ''} ${cpp.message ?? ''}`);
  else if (js.verdict === 'accept' && js.ast !== cpp.ast) what.push(`AST:\n    graphql-js ${js.ast}\n    herald     ${cpp.ast}`);
  else if (js.verdict === 'reject') {
    if (js.location !== cpp.location) what.push(`error location: graphql-js ${js.location}, herald ${cpp.location}`);
    if (js.message !== cpp.message) what.push(`error message: graphql-js ${js.message}, herald ${cpp.message}`);
  }
  if (what.length) disagreements.push(`${js.name ?? cpp.name}: ${what.join('; ')}`);
}

const accepted = expected.filter((line) => line.includes('\taccept\t')).length;
console.log(`${files.length} documents (${accepted} accepted, ${files.length - accepted} rejected by graphql-js), ${disagreements.length} disagreements`);
for (const line of disagreements) console.log('  ' + line);
if (files.length < MIN_DOCUMENTS) console.log(`corpus too small: fewer than ${MIN_DOCUMENTS} documents`);
process.exit(disagreements.length === 0 && files.length >= MIN_DOCUMENTS ? 0 : 1);
