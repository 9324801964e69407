// The engine's agreement test against graphql-js 16, on tests/graphql/engine/:
//  - validation: every document of invalid.graphql and valid.graphql (documents separated
//    by lines "# ---") gets the same errors (message and locations, compared as sets);
//  - execution: every request of execute.jsonl gives the same response (data, errors
//    with message, locations and path) over the fixture data.json, whose DataSource
//    (graphql_engine_check.cpp) is mirrored by resolvers here;
//  - introspection: graphql-js's getIntrospectionQuery() run by herald gives the same
//    answer as graphql-js's own execution (types and directives compared by name), and
//    buildClientSchema + printSchema of it prints the same SDL as graphql-js does.
// Exit status 1 on any disagreement.
//
// With FUZZ_COUNT (and SEED), also that many seeded mutants of the corpus documents
// (a name, value or token replaced, deleted or repeated) that graphql-js can parse.
//
//   node engine_agreement.mjs PATH/TO/graphql_engine_check ENGINE_DIR [FUZZ_COUNT [SEED]]
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  buildClientSchema, buildSchema, getIntrospectionQuery, graphqlSync, lexicographicSortSchema,
  isListType, getNullableType, parse, printSchema, validate,
} from '../../tools/node/node_modules/graphql/index.mjs';

// herald declares these itself (src/graphql/schema_prelude.cpp); graphql-js needs them.
const HERALD_DECLARATIONS = `
"herald: the rows of this object type live in the named table."
directive @table(name: String!) on OBJECT
"herald: this Query field reads rows of the named view."
directive @view(name: String!) on FIELD_DEFINITION
"herald: this Mutation field calls the named SQL function with its arguments as one jsonb."
directive @function(name: String!) on FIELD_DEFINITION
"herald: this Subscription field receives events of the entity's table."
directive @subscribe(entity: String!, operation: [HeraldOperation!]!) on FIELD_DEFINITION
"herald: a row change that a subscription listens to."
enum HeraldOperation { INSERT UPDATE DELETE }
`;

const [checkBinary, dir, fuzzArg, seedArg] = process.argv.slice(2);
const schemaFile = join(dir, 'schema.graphql');
const sdl = readFileSync(schemaFile, 'utf8');
const schema = buildSchema(sdl + HERALD_DECLARATIONS);

const splitDocuments = (text) => text.split(/^# ---.*$/m).map((d) => d.trim()).filter((d) => d !== '');
const documents = [
  ...splitDocuments(readFileSync(join(dir, 'invalid.graphql'), 'utf8')),
  ...splitDocuments(readFileSync(join(dir, 'valid.graphql'), 'utf8')),
];

// Seeded mutants (mulberry32), kept only when graphql-js parses them.
let seed = Number(seedArg ?? 1) >>> 0;
const random = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (list) => list[Math.floor(random() * list.length)];
const vocabulary = [...new Set(sdl.match(/[_A-Za-z][_0-9A-Za-z]*/g))].concat(['nope', '__typename', 'F', 'G']);
const values = ['1', '1.5', '"s"', 'true', 'null', 'PAID', 'NOPE', '[1]', '[]', '{status: PAID}', '{}', '$v', '$x', '2147483648', '-1'];
const mutate = (doc) => {
  const tokens = doc.match(/"[^"]*"|\$?[_A-Za-z][_0-9A-Za-z]*|-?\d+(?:\.\d+)?|\.\.\.|\S/g);
  const i = Math.floor(random() * tokens.length);
  const op = random();
  if (op < 0.4 && /^[_A-Za-z]/.test(tokens[i])) tokens[i] = pick(vocabulary);
  else if (op < 0.65) tokens[i] = pick(values);
  else if (op < 0.8) tokens.splice(i, 1);
  else tokens.splice(i, 0, ...tokens.slice(i, i + 1 + Math.floor(random() * 4)));
  return tokens.join(' ');
};
const fuzzCount = Number(fuzzArg ?? 0);
const corpusSize = documents.length;
for (let attempts = 0; documents.length < corpusSize + fuzzCount && attempts < fuzzCount * 20; ++attempts) {
  // Not the huge documents that exhaust graphql-js's budget: graphql-js aborts mid-visit
  // there, so the errors of its other rules depend on where, which herald does not mimic.
  let doc = pick(documents.slice(0, corpusSize).filter((d) => d.length < 2000));
  for (let n = 1 + Math.floor(random() * 3); n > 0; --n) doc = mutate(doc);
  try {
    validate(schema, parse(doc));
    documents.push(doc);
  } catch {
    // not parseable (or graphql-js itself throws): nothing to compare
  }
}

const introspectionQuery = getIntrospectionQuery({
  descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true,
  schemaDescription: true, inputValueDeprecation: true, oneOf: true,
});

// ---- execution over the fixture -----------------------------------------------------
const snake = (name) => name.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const textOf = (v) => (typeof v === 'string' ? v : JSON.stringify(v));
const fixture = JSON.parse(readFileSync(join(dir, 'data.json'), 'utf8'));
const binding = (info, name) => info.parentType.getFields()[info.fieldName].astNode?.directives
  ?.find((d) => d.name.value === name)?.arguments[0].value.value;
const fieldResolver = (source, args, _context, info) => {
  const view = binding(info, 'view');
  if (view !== undefined) {
    let rows = (fixture.views[view] ?? []).filter((row) => Object.entries(args)
      .filter(([k]) => k !== 'limit' && k !== 'offset')
      .every(([k, v]) => snake(k) in row && textOf(row[snake(k)]) === textOf(v)));
    const list = isListType(getNullableType(info.returnType));
    const limit = list ? args.limit : 1;
    // As the C++ fixture: a negative offset skips everything, a negative limit is none.
    const offset = args.offset ?? 0;
    rows = offset < 0 ? [] : rows.slice(offset, limit === undefined || limit < 0 ? undefined : offset + limit);
    return list ? rows : (rows[0] ?? null);
  }
  const fn = binding(info, 'function');
  if (fn !== undefined) {
    if (fn === 'fn_cancel_order') throw new Error('cannot cancel');
    const input = Object.keys(args).length === 1 && 'input' in args ? args.input : args;
    return { ...input, id: 'new' };
  }
  if (source === null || typeof source !== 'object') return null;
  return info.fieldName in source ? source[info.fieldName] : source[snake(info.fieldName)];
};
const requests = [...documents.map((query) => ({ query })), { query: introspectionQuery }];
const output = execFileSync(checkBinary, [schemaFile, join(dir, 'data.json')], {
  input: requests.map((r) => JSON.stringify(r)).join('\n') + '\n', encoding: 'utf8', maxBuffer: 1 << 28,
}).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));

const key = (e) => `${e.message} @ ${(e.locations ?? []).map((l) => `${l.line}:${l.column}`).join(',')}`;
let failures = 0;
let invalidCount = 0;
let executedCount = 0;
const runJs = (request) => JSON.parse(JSON.stringify(graphqlSync({
  schema, source: request.query, rootValue: fixture.root, variableValues: request.variables,
  operationName: request.operationName, fieldResolver,
})));
documents.forEach((doc, i) => {
  const expected = validate(schema, parse(doc)).map((e) => key(e.toJSON())).sort();
  const actual = (output[i].validation ?? [`syntax: ${output[i].syntaxError}`]).map((e) => (typeof e === 'string' ? e : key(e))).sort();
  if (expected.length > 0) invalidCount += 1;
  if (JSON.stringify(expected) !== JSON.stringify(actual)) {
    failures += 1;
    console.log(`--- document ${i + 1}:\n${doc}\n  graphql-js: ${JSON.stringify(expected, null, 1)}\n  herald:     ${JSON.stringify(actual, null, 1)}`);
    return;
  }
  // A valid query or mutation also executes alike (subscriptions are not execute()'s).
  const subscription = parse(doc).definitions.some((d) => d.operation === 'subscription');
  if (expected.length === 0 && !subscription) {
    executedCount += 1;
    const theirs = runJs({ query: doc });
    if (JSON.stringify(output[i].result) !== JSON.stringify(theirs)) {
      failures += 1;
      console.log(`--- document ${i + 1} executes differently:\n${doc}\n  graphql-js: ${JSON.stringify(theirs)}\n  herald:     ${JSON.stringify(output[i].result)}`);
    }
  }
});
console.log(`validation: ${documents.length - failures}/${documents.length} documents agree (${invalidCount} invalid per graphql-js; ${documents.length - corpusSize} of them fuzzed; the ${executedCount} valid queries and mutations also execute alike)`);

const executionRequests = existsSync(join(dir, 'execute.jsonl'))
  ? readFileSync(join(dir, 'execute.jsonl'), 'utf8').split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l))
  : [];
const executed = execFileSync(checkBinary, [schemaFile, join(dir, 'data.json')], {
  input: executionRequests.map((r) => JSON.stringify(r)).join('\n') + '\n', encoding: 'utf8',
}).split('\n').filter((l) => l !== '').map((l) => JSON.parse(l));
let executionFailures = 0;
executionRequests.forEach((request, i) => {
  const theirs = runJs(request);
  const ours = executed[i].result ?? { validation: executed[i].validation };
  if (JSON.stringify(ours) !== JSON.stringify(theirs)) {
    executionFailures += 1;
    console.log(`--- request ${i + 1}: ${JSON.stringify(request)}\n  graphql-js: ${JSON.stringify(theirs)}\n  herald:     ${JSON.stringify(ours)}`);
  }
});
failures += executionFailures;
console.log(`execution: ${executionRequests.length - executionFailures}/${executionRequests.length} responses agree`);

const sortByName = (list) => [...(list ?? [])].sort((a, b) => a.name.localeCompare(b.name));
const normalize = (data) => ({
  ...data.__schema,
  types: sortByName(data.__schema.types),
  directives: sortByName(data.__schema.directives),
});
const ours = output[documents.length].result;
const theirs = graphqlSync({ schema, source: introspectionQuery });
if (ours.errors) {
  failures += 1;
  console.log('introspection errors:', JSON.stringify(ours.errors));
} else {
  const a = normalize(ours.data);
  const b = normalize(theirs.data);
  // graphql-js lists only the scalars a schema uses; herald lists all built-in ones.
  const used = new Set(b.types.map((t) => t.name));
  a.types = a.types.filter((t) => used.has(t.name));
  for (const [what, x, y] of [['types', a.types, b.types], ['directives', a.directives, b.directives]]) {
    const ys = new Map(y.map((t) => [t.name, JSON.stringify(t)]));
    for (const t of x) {
      if (ys.get(t.name) !== JSON.stringify(t)) {
        failures += 1;
        console.log(`introspection ${what} ${t.name} differs:\n  herald:     ${JSON.stringify(t)}\n  graphql-js: ${ys.get(t.name)}`);
      }
    }
    if (x.length !== y.length) {
      failures += 1;
      console.log(`introspection ${what}: herald ${x.map((t) => t.name)}, graphql-js ${y.map((t) => t.name)}`);
    }
  }
  for (const k of ['description', 'queryType', 'mutationType', 'subscriptionType']) {
    if (JSON.stringify(a[k]) !== JSON.stringify(b[k])) {
      failures += 1;
      console.log(`introspection ${k}: herald ${JSON.stringify(a[k])}, graphql-js ${JSON.stringify(b[k])}`);
    }
  }
  const printedOurs = printSchema(lexicographicSortSchema(buildClientSchema(ours.data)));
  const printedTheirs = printSchema(lexicographicSortSchema(schema));
  if (printedOurs !== printedTheirs) {
    failures += 1;
    console.log(`buildClientSchema + printSchema differ:\n${printedOurs}\n----- graphql-js:\n${printedTheirs}`);
  } else {
    console.log(`introspection: agrees; buildClientSchema + printSchema give the same ${printedOurs.split('\n').length} lines`);
  }
}
process.exit(failures === 0 ? 0 : 1);
