#!/usr/bin/env node
// Reads GS1 Digital Link URIs, one per line, on stdin and prints for each
//   valid<TAB>uri   or   invalid<TAB>uri<TAB>why
// as judged by GS1's digital-link.js: DigitalLink(uri).isValid() (its ABNF grammar of the
// Digital Link standard plus the primary key's check digit).
'use strict';

const readline = require('readline');
const { DigitalLink } = require('digital-link.js');

function judge(uri) {
  try {
    const dl = DigitalLink(uri);
    if (dl.isValid()) return ['valid'];
    if (!dl.isCheckDigitValid()) return ['invalid', 'check digit'];
    const trace = dl.getValidationTrace();
    const last = trace.trace.length ? trace.trace[trace.trace.length - 1] : null;
    return ['invalid', last ? `grammar stops at rule ${last.rule}, remainder "${last.remainder}"` : 'grammar'];
  } catch (e) {
    return ['invalid', `constructor: ${e.message}`];
  }
}

const rl = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
rl.on('line', (line) => {
  if (!line) return;
  const [verdict, ...why] = judge(line);
  process.stdout.write([verdict, line, ...why].join('\t') + '\n');
});
