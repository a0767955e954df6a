#!/usr/bin/env node
// Judges EPCIS 2.0 ObjectEvents against the EPCIS 2.0 JSON schema with ajv + ajv-formats.
//
//   node validate.js schema/EPCISDocument.schema.json < events.ndjson
//
// Reads one JSON object per line (an empty line is judged invalid too, so output line n
// always answers input line n). Each must be an ObjectEvent that is valid both on its
// own (an event with its @context, as our `scan` events carry it) and inside an
// EPCISDocument (as a capture interface receives it). Writes one line per input line:
//   valid
//   invalid<TAB>why (every schema error: instance path and message, separated by " | ")
// Exits 0 when every line was judged, 2 when the schema cannot be loaded or compiled.
'use strict';

const fs = require('fs');
const readline = require('readline');
const Ajv = require('ajv');
const addFormats = require('ajv-formats');

function loadValidator(schemaPath) {
  const schema = JSON.parse(fs.readFileSync(schemaPath, 'utf8'));
  const ajv = new Ajv({ allErrors: true });
  addFormats(ajv);
  return ajv.compile(schema);
}

function describe(errors) {
  return (errors || [])
    .map((e) => `${e.instancePath || '/'} ${e.message}`)
    .join(' | ');
}

function judge(validate, line) {
  let event;
  try {
    event = JSON.parse(line);
  } catch (err) {
    return `invalid\tnot JSON: ${err.message}`;
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    return 'invalid\tnot a JSON object';
  }
  if (event.type !== 'ObjectEvent') return 'invalid\tnot an ObjectEvent';
  const problems = [];
  if (!validate(event)) problems.push(`as an event: ${describe(validate.errors)}`);
  const document = {
    '@context': event['@context'],
    type: 'EPCISDocument',
    schemaVersion: '2.0',
    creationDate: event.eventTime,
    epcisBody: { eventList: [event] },
  };
  if (!validate(document)) problems.push(`in an EPCISDocument: ${describe(validate.errors)}`);
  return problems.length ? `invalid\t${problems.join(' || ')}` : 'valid';
}

function main() {
  if (process.argv.length !== 3) {
    process.stderr.write('usage: node validate.js SCHEMA_FILE < events.ndjson\n');
    process.exit(2);
  }
  let validate;
  try {
    validate = loadValidator(process.argv[2]);
  } catch (err) {
    process.stderr.write(`cannot use the schema ${process.argv[2]}: ${err.message}\n`);
    process.exit(2);
  }
  const lines = readline.createInterface({ input: process.stdin, crlfDelay: Infinity });
  lines.on('line', (line) => process.stdout.write(judge(validate, line) + '\n'));
}

main();
