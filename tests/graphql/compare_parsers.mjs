// The agreement test: herald's parser and graphql-js's `parse` on the corpus. Lists every
// document where they differ in verdict, error position, error message or AST; exit
// status 1 on any, or if the corpus has shrunk below its minimum size.
//
//   node compare_parsers.mjs PATH/TO/graphql_parse_check CORPUS_DIR
import { compareDirectory, report } from './agreement.mjs';

const MIN_DOCUMENTS = 300;
const [checkBinary, corpus] = process.argv.slice(2);
const result = compareDirectory(checkBinary, corpus);
report(corpus, result);
if (result.documents < MIN_DOCUMENTS) console.log(`corpus too small: fewer than ${MIN_DOCUMENTS} documents`);
process.exit(result.disagreements.length === 0 && result.documents >= MIN_DOCUMENTS ? 0 : 1);
