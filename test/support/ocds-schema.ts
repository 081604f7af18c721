// Validators for OCDS 1.1 release packages (issue 9 item 8) from the schemas vendored in vendor/ocds/1.1, offline:
// the package schema's $ref to the release schema's URL resolves to the local copy registered under that URL.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';

export const OCDS_SCHEMA_DIR = join(__dirname, '../../vendor/ocds/1.1');

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
type JsonObject = { [key: string]: Json };

export function readVendored(relativePath: string): JsonObject {
  return JSON.parse(readFileSync(join(OCDS_SCHEMA_DIR, relativePath), 'utf8')) as JsonObject;
}

/**
 * The OCDS schemas are draft-04; Ajv 8 reads draft-07 and later and has no draft-04 meta-schema. The one
 * draft-04 construct they use that Ajv 8 reads differently is the root `id` (draft-04's `$id`; Ajv 8 refuses
 * `id`), so the in-memory copy renames it and drops the draft-04 `$schema`; Ajv then checks the schema against
 * its draft-07 meta-schema. The vendored files stay byte for byte as published.
 */
function forAjv(schema: JsonObject): JsonObject {
  const { id, $schema: _draft04, ...rest } = schema;
  return { $id: id, ...rest };
}

/** RFC 7396 JSON Merge Patch: how an OCDS extension's release-schema.json patches the core release schema. */
export function mergePatch(target: Json, patch: Json): Json {
  if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) return patch;
  const result: JsonObject = target !== null && typeof target === 'object' && !Array.isArray(target) ? { ...target } : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) delete result[key];
    else result[key] = mergePatch(result[key] ?? null, value);
  }
  return result;
}

export const OCDS_EXTENSION_DIRS = ['extensions/ocds_lots_extension', 'extensions/ocds_bid_extension'];

/**
 * A validator for a release package. `core`: the release schema as published, which allows additional
 * properties (lots, bids pass unchecked); `extended`: the release schema patched with the lots and bid
 * extensions, so tender.lots, relatedLot(s) and bids.statistics are checked as well.
 */
export function releasePackageValidator(which: 'core' | 'extended'): ValidateFunction {
  let release: Json = readVendored('release-schema.json');
  if (which === 'extended')
    for (const dir of OCDS_EXTENSION_DIRS) release = mergePatch(release, readVendored(`${dir}/release-schema.json`));
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(forAjv(release as JsonObject));
  return ajv.compile(forAjv(readVendored('release-package-schema.json')));
}

/** Codes of a vendored codelist CSV (the column named Code; fields may be quoted and contain commas). */
export function codelist(relativePath: string): string[] {
  const [header, ...rows] = readFileSync(join(OCDS_SCHEMA_DIR, relativePath), 'utf8').trim().split('\n').map(csvFields);
  const column = header.indexOf('Code');
  if (column < 0) throw new Error(`${relativePath} has no Code column`);
  return rows.map((row) => row[column]);
}

function csvFields(line: string): string[] {
  // A field is quoted ("a, b" with "" for a quote) or runs to the next comma; codelists have no multi-line fields.
  return [...line.matchAll(/(?:^|,)(?:"((?:[^"]|"")*)"|([^,]*))/g)].map((m) => (m[1] !== undefined ? m[1].replace(/""/g, '"') : m[2]));
}
