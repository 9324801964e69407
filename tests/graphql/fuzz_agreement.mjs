// Randomised agreement test: documents made by mutating corpus documents byte by byte
// (mostly invalid: every error path) and documents generated from the grammar (mostly
// valid: AST shapes and positions), compared like the corpus. Seeded, so a failure
// reproduces: the disagreeing documents are kept and their directory printed.
//
//   node fuzz_agreement.mjs PATH/TO/graphql_parse_check CORPUS_DIR [SEED] [COUNT]
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { compareDirectory, report } from './agreement.mjs';

const [checkBinary, corpus, seedArg = '1', countArg = '1500'] = process.argv.slice(2);
const count = Number(countArg);

// mulberry32: a small seeded generator, so runs are reproducible.
let state = Number(seedArg) >>> 0;
const random = () => {
  state = (state + 0x6d2b79f5) >>> 0;
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const pick = (items) => items[Math.floor(random() * items.length)];
const times = (n, fn) => Array.from({ length: n }, fn);

const sources = readdirSync(corpus).filter((n) => n.endsWith('.graphql')).sort()
  .map((n) => readFileSync(join(corpus, n)));
const fragments = ['{', '}', '(', ')', '[', ']', ':', '$', '@', '...', '..', '.', '!', '=', '|', '&',
  '"', '"""', '\\', '\\u', '\\u{', '#', '\n', '\r', '\r\n', ' ', ',', '0', '-', '1.5', 'e', 'x', 'on',
  'true', 'null', 'query', 'fragment', 'extend', 'type', '\u{1F600}', '\u00e9', '\ufeff', '\t',
  '\\"""', 'implements', 'repeatable', 'directive', 'schema', '\0', 'D83D', '{1F600}']
  .map((s) => Buffer.from(s)).concat([Buffer.from([0xff]), Buffer.from([0xed, 0xa0, 0x80])]);

function mutate() {
  let doc = Buffer.from(pick(sources));
  for (let i = int(1, 4); i > 0; --i) {
    const at = int(0, doc.length);
    const op = random();
    if (op < 0.4) {
      doc = Buffer.concat([doc.subarray(0, at), pick(fragments), doc.subarray(at)]);
    } else if (op < 0.7) {
      doc = Buffer.concat([doc.subarray(0, at), doc.subarray(Math.min(doc.length, at + int(1, 5)))]);
    } else {
      const other = pick(sources);
      const from = int(0, other.length);
      const piece = other.subarray(from, Math.min(other.length, from + int(1, 40)));
      doc = Buffer.concat([doc.subarray(0, at), piece, doc.subarray(at)]);
    }
  }
  return doc;
}

// ---- grammar-based generation
const ws = () => pick([' ', '\n', '\r\n', '\r', '\t', ',', ' # c\n', '\ufeff', '  ']);
const name = () => pick(['a', 'b_1', '_x', 'on', 'query', 'true', 'null', 'type', 'Foo', 'fragment',
  'extend', 'schema', 'repeatable', 'implements', 'x'.repeat(int(1, 5))]);
function string() {
  if (random() < 0.5) {
    return '"' + times(int(0, 6), () => pick(['a', ' ', '\\n', '\\"', '\\\\', '\\u0041', '\\u{1F600}',
      '\\uD83D\\uDE00', '\u00e9', '\u{1F600}', '\\t', '\\/'])).join('') + '"';
  }
  let body = times(int(1, 4), () => times(int(0, 5), () => pick([' ', '\t', 'x', '\u00e9', '\u{1F600}',
    '\\"""', '"', '\\'])).join('')).join(pick(['\n', '\r\n', '\r']));
  if (body.endsWith('"') || body.endsWith('\\')) body += ' ';
  return '"""' + body + '"""';
}
function value(constant, depth = 0) {
  const r = random();
  if (depth < 3 && r < 0.15) return '[' + times(int(0, 3), () => value(constant, depth + 1)).join(ws()) + ']';
  if (depth < 3 && r < 0.3) {
    return '{' + times(int(0, 3), () => name() + ws() + ':' + value(constant, depth + 1)).join(ws()) + '}';
  }
  if (!constant && r < 0.4) return '$' + name();
  return pick([String(int(-100, 100)), '1.5', '-0.0e1', '2E+3', string(), 'true', 'false', 'null', 'ENUM', 'on']);
}
const args = (constant) => (random() < 0.5 ? ''
  : '(' + times(int(1, 3), () => name() + ':' + ws() + value(constant)).join(ws()) + ')');
const directives = (constant) => times(int(0, 2), () => ws() + '@' + name() + args(constant)).join('');
const typeRef = (depth = 0) =>
  (depth > 2 || random() < 0.6 ? name() : '[' + typeRef(depth + 1) + ']') + (random() < 0.4 ? '!' : '');
const description = () => (random() < 0.3 ? string() + ws() : '');
const defaultValue = (p) => (random() < p ? ' = ' + value(true) : '');
function selectionSet(depth = 0) {
  const selections = times(int(1, 3), () => {
    const r = random();
    if (r < 0.15) return '...' + ws() + pick(['a', 'Foo', 'x']) + directives(false);
    if (r < 0.3) {
      return '...' + (random() < 0.5 ? ws() + 'on ' + name() : '') + directives(false) + ws() + selectionSet(depth + 1);
    }
    let field = (random() < 0.3 ? name() + ws() + ':' + ws() : '') + name() + args(false) + directives(false);
    if (depth < 3 && random() < 0.4) field += ws() + selectionSet(depth + 1);
    return field;
  });
  return '{' + ws() + selections.join(ws()) + ws() + '}';
}
const variables = () => (random() < 0.5 ? '' : '(' + times(int(1, 3), () =>
  description() + '$' + name() + ':' + typeRef() + defaultValue(0.4) + directives(true)).join(ws()) + ')');
const inputValue = () => description() + name() + ':' + typeRef() + defaultValue(0.3) + directives(true);
const fields = () => '{' + times(int(1, 3), () => description() + name() +
  (random() < 0.4 ? '(' + times(int(1, 2), inputValue).join(ws()) + ')' : '') + ':' + typeRef() +
  directives(true)).join(ws()) + '}';
const implementsList = () => (random() < 0.5 ? '' : ' implements ' + pick(['', '& ']) +
  times(int(1, 3), name).join(' & '));
const definitions = [
  () => selectionSet(),
  () => description() + pick(['query', 'mutation', 'subscription']) + (random() < 0.6 ? ' ' + name() : '') +
    variables() + directives(false) + ws() + selectionSet(),
  () => description() + 'fragment ' + pick(['a', 'Foo', 'x']) + ' on ' + name() + directives(false) + selectionSet(),
  () => description() + 'schema' + directives(true) + '{ query: Q ' + ws() + 'mutation: M }',
  () => description() + 'scalar ' + name() + directives(true),
  () => description() + pick(['type ', 'interface ']) + name() + implementsList() + directives(true) +
    (random() < 0.8 ? ws() + fields() : ''),
  () => description() + 'union ' + name() + directives(true) +
    (random() < 0.8 ? ' = ' + pick(['', '| ']) + times(int(1, 3), name).join(' | ') : ''),
  () => description() + 'enum ' + name() + directives(true) + ' {' +
    times(int(1, 3), () => description() + pick(['A', 'B', 'on', 'query']) + directives(true)).join(' ') + '}',
  () => description() + 'input ' + name() + directives(true) + ' {' + times(int(1, 3), inputValue).join(ws()) + '}',
  () => description() + 'directive @' + name() + (random() < 0.5 ? '(' + name() + ': Int)' : '') +
    (random() < 0.5 ? ' repeatable' : '') + ' on ' + pick(['', '| ']) +
    times(int(1, 3), () => pick(['FIELD', 'QUERY', 'OBJECT', 'ENUM_VALUE', 'VARIABLE_DEFINITION', 'SCHEMA'])).join(' | '),
  () => 'extend ' + pick(['type ', 'interface ']) + name() + ' implements ' + name() + directives(true),
  () => 'extend ' + pick(['schema', 'scalar X', 'union U', 'enum E', 'input I']) + ' @d' + args(true),
  () => 'extend type ' + name() + ' ' + fields(),
];
const generate = () => Buffer.from(times(int(1, 3), () => pick(definitions)()).join(ws()));

const directory = mkdtempSync(join(tmpdir(), 'herald-graphql-fuzz-'));
for (let i = 0; i < count; ++i) {
  writeFileSync(join(directory, `mutated-${String(i).padStart(5, '0')}.graphql`), mutate());
  writeFileSync(join(directory, `generated-${String(i).padStart(5, '0')}.graphql`), generate());
}
const result = compareDirectory(checkBinary, directory);
report(`seed ${seedArg}`, result);
if (result.disagreements.length === 0) {
  rmSync(directory, { recursive: true });
} else {
  console.log(`documents kept in ${directory}`);
}
process.exit(result.disagreements.length === 0 ? 0 : 1);
