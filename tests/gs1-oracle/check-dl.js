#!/usr/bin/env node
// Reads GS1 Digital Link URIs, one per line, on stdin and prints for each
//   valid<TAB>uri[<TAB>note]   or   invalid<TAB>uri<TAB>why
// as judged by GS1's digital-link.js: its ABNF grammar of the Digital Link standard plus
// the primary key's check digit, DigitalLink(uri).isValid().
//
// isValid() also fails every key the toolkit keeps no check-digit position for (8004 GIAI,
// 401 GINC, 8010 CPID, 8013 GMN have none; 8006 ITIP and 8017 GSRN have one it does not
// know): for those keys the grammar is the toolkit's verdict, and the line says so. Our
// own check-digit rules for them are unit-tested against GenSpecs (tests/unit/gs1).
'use strict';

const readline = require('readline');
const { DigitalLink } = require('digital-link.js');

// The keys digital-link.js checks the check digit of (its src/checkDigit.js).
const TOOLKIT_CHECKS_DIGIT = new Set(['8003', '414', '00', '8018', '253', '402', '255', '01']);

function judge(uri) {
  try {
    const dl = DigitalLink(uri);
    const trace = dl.getValidationTrace();
    if (!trace.success) {
      const last = trace.trace.length ? trace.trace[trace.trace.length - 1] : null;
      return ['invalid', last ? `grammar stops at rule ${last.rule}, remainder "${last.remainder}"` : 'grammar'];
    }
    const key = Object.keys(JSON.parse(dl.toJsonString()).identifier)[0];
    if (!TOOLKIT_CHECKS_DIGIT.has(key)) return ['valid', `grammar only: no check-digit rule for AI ${key}`];
    return dl.isCheckDigitValid() && dl.isValid() ? ['valid'] : ['invalid', 'check digit'];
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
