// graphql-parse-oracle: what graphql-js (the reference implementation) makes of GraphQL
// documents, in the line format of herald's `graphql_parse_check`, so the two can be
// compared line by line (tests/graphql/compare_parsers.mjs does that).
//
//   node graphql-parse-oracle.mjs FILE_OR_DIR...
//
// For each file (directories: their *.graphql files, sorted by name), one line:
//   NAME<TAB>accept<TAB>AST            the document parsed; AST is the dump below
//   NAME<TAB>reject<TAB>L:C<TAB>"msg"   graphql-js threw a syntax error at line L, column C
//
// Files are bytes. Bytes that are not well-formed UTF-8 are read as the lone
// surrogates U+DC80..U+DCFF (as herald's lexer does), which graphql-js rejects as
// invalid characters, so even broken encodings have a defined expected answer.
//
// AST dump: (Kind@line:col key=value ...) with keys in sorted order, absent fields and
// empty lists left out, lists as [a b], strings JSON-quoted, the Document without a
// position. Positions are those of each node's first token.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { parse } from 'graphql';

export function decodeSurrogateEscape(bytes) {
  const units = [];
  let i = 0;
  const cont = (k, lo = 0x80, hi = 0xbf) =>
    i + k < bytes.length && bytes[i + k] >= lo && bytes[i + k] <= hi;
  while (i < bytes.length) {
    const b = bytes[i];
    let cp = -1;
    let len = 1;
    if (b < 0x80) {
      cp = b;
    } else if (b >= 0xc2 && b <= 0xdf && cont(1)) {
      cp = ((b & 0x1f) << 6) | (bytes[i + 1] & 0x3f);
      len = 2;
    } else if (b >= 0xe0 && b <= 0xef &&
               cont(1, b === 0xe0 ? 0xa0 : 0x80, b === 0xed ? 0x9f : 0xbf) && cont(2)) {
      cp = ((b & 0x0f) << 12) | ((bytes[i + 1] & 0x3f) << 6) | (bytes[i + 2] & 0x3f);
      len = 3;
    } else if (b >= 0xf0 && b <= 0xf4 &&
               cont(1, b === 0xf0 ? 0x90 : 0x80, b === 0xf4 ? 0x8f : 0xbf) && cont(2) && cont(3)) {
      cp = ((b & 0x07) << 18) | ((bytes[i + 1] & 0x3f) << 12) |
           ((bytes[i + 2] & 0x3f) << 6) | (bytes[i + 3] & 0x3f);
      len = 4;
    }
    if (cp < 0) {
      units.push(String.fromCharCode(0xdc00 + b));
    } else {
      units.push(String.fromCodePoint(cp));
    }
    i += len;
  }
  return units.join('');
}

const quote = (s) => JSON.stringify(s.toWellFormed());

export function dumpAst(node) {
  if (Array.isArray(node)) return '[' + node.map(dumpAst).join(' ') + ']';
  if (typeof node === 'string') return quote(node);
  if (typeof node === 'boolean') return String(node);
  let out = '(' + node.kind;
  if (node.kind !== 'Document') out += `@${node.loc.startToken.line}:${node.loc.startToken.column}`;
  for (const key of Object.keys(node).filter((k) => k !== 'kind' && k !== 'loc').sort()) {
    const value = node[key];
    if (value === undefined || (Array.isArray(value) && value.length === 0)) continue;
    out += ` ${key}=${dumpAst(value)}`;
  }
  return out + ')';
}

export function oracleLine(name, bytes) {
  try {
    const document = parse(decodeSurrogateEscape(bytes));
    return `${name}\taccept\t${dumpAst(document)}`;
  } catch (error) {
    if (!error.locations) throw error;
    const { line, column } = error.locations[0];
    return `${name}\treject\t${line}:${column}\t${quote(error.message)}`;
  }
}

export function listInputs(args) {
  const files = [];
  for (const arg of args) {
    if (statSync(arg).isDirectory()) {
      const names = readdirSync(arg).filter((n) => n.endsWith('.graphql')).sort();
      for (const n of names) files.push(join(arg, n));
    } else {
      files.push(arg);
    }
  }
  return files;
}

if (process.argv[1] && basename(process.argv[1]) === 'graphql-parse-oracle.mjs') {
  for (const file of listInputs(process.argv.slice(2))) {
    console.log(oracleLine(basename(file), readFileSync(file)));
  }
}
