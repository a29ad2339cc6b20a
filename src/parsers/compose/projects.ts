/**
 * Compose projects, from the Compose files of a snapshot: each file parsed with positions,
 * interpolated from its directory's `.env`, validated against the Compose specification,
 * `extends` resolved, override files merged onto their base, and the services listed.
 *
 * Pure and memoised per `snapshot.files`: rules and the workload mapping share one analysis.
 *
 * Projects: every Compose file is a project of its own, except `compose.override.y*ml` and
 * `docker-compose.override.y*ml`, which `docker compose` applies on top of the base file of
 * the same directory (`compose.y*ml`, else `docker-compose.y*ml`), and which are merged here
 * the same way. `mergeComposeFiles` merges any list of files in `-f` order.
 *
 * Variables come from the `.env` collected beside the first file of the project only, never
 * from the auditing process's environment, so every machine gives the same findings.
 */
import { posix } from 'node:path';
import type { SourceFile, SourceFiles } from '../../snapshot/files.js';
import type { Snapshot } from '../../snapshot/types.js';
import { parseDotEnv } from './interpolate.js';
import { extendService, mergeDocuments, normaliseService } from './merge.js';
import { isVersion1, unknownVersion1Keys, withoutLegacyKeys, wrapVersion1 } from './legacy.js';
import { validateCompose, type SchemaViolation } from './schema.js';
import { entryOf, parseComposeTree, textOf, valueOf, type ComposeMap, type ComposeNode, type Position } from './tree.js';

export type { ComposeEntry, ComposeMap, ComposeNode, ComposeScalar, ComposeSeq, Position } from './tree.js';
export { COMPOSE_LIMITS, entryOf, textOf, toPlain, valueAt, valueOf } from './tree.js';
export { listOrDict } from './merge.js';

/**
 * Something wrong with a Compose file, found while reading it. `kind` says which compose rule
 * reports it, `code` is that rule's message id, `data` fills the message.
 */
export interface ComposeProblem {
  kind: 'file' | 'schema' | 'variable' | 'extends' | 'reference' | 'legacy';
  code: string;
  location: Position;
  data: Record<string, string | number>;
}

export interface ComposeService {
  name: string;
  /** The service as Compose runs it: files merged, `extends` applied, short forms kept as written. */
  node: ComposeMap;
  /** Where the service's key is written (in the first file of the project that defines it). */
  location: Position;
  /** Profiles the service belongs to; empty when it always starts. */
  profiles: string[];
}

export interface ComposeProject {
  /** `name:` of the file, else the directory's name, as `docker compose` derives it. */
  name: string;
  /** Directory of the first file: relative paths and the `.env` are taken from there. */
  directory: string;
  /** The files merged into this project, in order. */
  files: string[];
  /** The merged document; undefined when no file of the project could be read. */
  root?: ComposeMap;
  services: ComposeService[];
  /** Variables read from the project's `.env` (values never leave the snapshot layer in findings). */
  variables: ReadonlyMap<string, string>;
}

export interface ComposeFileAnalysis {
  path: string;
  /**
   * Undefined when the file was skipped, refused, or its content is not a mapping. A version 1
   * file's services are under a synthetic `services:` here, as in a current file.
   */
  root?: ComposeMap;
  /** Set when the file is in the version 1 format (services at the top level). */
  format?: 'v1';
  problems: ComposeProblem[];
}

export interface ComposeAnalysis {
  /** Every Compose file of the snapshot, in collection order. */
  files: ComposeFileAnalysis[];
  projects: ComposeProject[];
  /** Every problem, of files and of projects. */
  problems: ComposeProblem[];
}

const BASE_NAMES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];
const OVERRIDE_NAMES = ['compose.override.yaml', 'compose.override.yml', 'docker-compose.override.yaml', 'docker-compose.override.yml'];

function directoryOf(path: string): string {
  return posix.dirname(path.replace(/\\/g, '/'));
}

const envByFiles = new WeakMap<readonly SourceFile[], Map<string, Map<string, string>>>();

/** The `.env` collected in a directory, parsed (once per file list). */
function variablesFor(directory: string, files: readonly SourceFile[]): Map<string, string> {
  let byDirectory = envByFiles.get(files);
  if (!byDirectory) {
    byDirectory = new Map();
    for (const file of files) {
      if (file.kind === 'env' && file.content !== undefined && !byDirectory.has(directoryOf(file.path))) {
        byDirectory.set(directoryOf(file.path), parseDotEnv(file.content));
      }
    }
    envByFiles.set(files, byDirectory);
  }
  return byDirectory.get(directory) ?? new Map();
}

function analyseFile(file: SourceFile, variables: ReadonlyMap<string, string>): ComposeFileAnalysis {
  const start: Position = { file: file.path, line: 1, column: 1 };
  if (file.content === undefined) {
    return { path: file.path, problems: [{ kind: 'file', code: 'skipped', location: start, data: { reason: file.skipped ?? 'not read' } }] };
  }
  const tree = parseComposeTree(file.path, file.content, (name) => variables.get(name));
  const problems: ComposeProblem[] = tree.problems.map((problem) => ({ kind: 'file', code: problem.code, location: problem.location, data: problem.data }));
  const failed = new Set<string>();
  for (const issue of tree.interpolation) {
    failed.add(`${issue.location.line}:${issue.location.column}`);
    problems.push({
      kind: 'variable',
      code: issue.kind,
      location: issue.location,
      data: { variable: issue.variable, detail: issue.detail ?? '', ...(issue.kind === 'required' ? { state: issue.empty ? 'empty' : 'not set' } : {}) },
    });
  }
  const legacy = tree.root !== undefined && isVersion1(tree.root);
  const root = tree.root && legacy ? wrapVersion1(tree.root) : tree.root;
  if (root) {
    const skip = (node: ComposeNode): boolean => failed.has(`${node.pos.line}:${node.pos.column}`);
    if (legacy) problems.push({ kind: 'legacy', code: 'version1', location: root.pos, data: { services: plural(servicesOf(root)?.entries.size ?? 0, 'service') } });
    for (const violation of legacy ? validateVersion1(root, skip) : validateCompose(root, skip)) {
      problems.push({ kind: 'schema', code: 'violation', location: violation.location, data: { path: violation.path, problem: violation.message } });
    }
  }
  return { path: file.path, ...(root ? { root } : {}), ...(legacy ? { format: 'v1' as const } : {}), problems };
}

/**
 * A version 1 file against what that format allowed: every service key one v1 knew, and the
 * keys both formats share against the Compose specification (paths named without the
 * synthetic `services.`).
 */
function validateVersion1(wrapped: ComposeMap, skip: (node: ComposeNode) => boolean): SchemaViolation[] {
  const unknown: SchemaViolation[] = unknownVersion1Keys(wrapped).map(({ service, key, pos }) => ({
    location: pos,
    path: `${service}.${key}`,
    message: `${service} has the key ${key}, which the version 1 Compose format does not know`,
  }));
  const known = new Set(unknown.map((violation) => `${violation.location.line}:${violation.location.column}`));
  const shared = validateCompose(withoutLegacyKeys(wrapped), skip)
    .filter((violation) => !known.has(`${violation.location.line}:${violation.location.column}`))
    .map((violation) => ({ ...violation, path: violation.path.replace(/^services\./, ''), message: violation.message.replace(/^services\./, '') }));
  return [...unknown, ...shared].sort((a, b) => a.location.line - b.location.line || a.location.column - b.location.column);
}

/** `1 service`, `2 services`. */
function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** Project names as Compose normalises them: lower case, letters, digits, `-` and `_`. */
function projectName(root: ComposeMap | undefined, directory: string): string {
  const declared = textOf(valueOf(root, 'name'));
  const raw = declared || posix.basename(directory === '.' ? 'default' : directory);
  return raw.toLowerCase().replace(/[^a-z0-9_-]/g, '') || 'default';
}

interface ExtendsContext {
  files: readonly SourceFile[];
  variables: ReadonlyMap<string, string>;
  problems: ComposeProblem[];
  /** Parsed extends targets, by path. */
  parsed: Map<string, ComposeMap | undefined>;
}

const readableIndexes = new WeakMap<readonly SourceFile[], Map<string, SourceFile>>();

/** The read file at a normalised path, through an index built once per file list. */
function readableFileAt(files: readonly SourceFile[], path: string): SourceFile | undefined {
  let index = readableIndexes.get(files);
  if (index === undefined) {
    index = new Map();
    for (const file of files) {
      const normalised = posix.normalize(file.path);
      if (file.content !== undefined && !index.has(normalised)) index.set(normalised, file);
    }
    readableIndexes.set(files, index);
  }
  return index.get(path);
}

function servicesOf(root: ComposeMap | undefined): ComposeMap | undefined {
  const services = valueOf(root, 'services');
  return services?.kind === 'map' ? services : undefined;
}

function targetRoot(path: string, context: ExtendsContext): ComposeMap | undefined {
  if (context.parsed.has(path)) return context.parsed.get(path);
  const file = readableFileAt(context.files, path);
  const parsed = file?.content === undefined ? undefined : parseComposeTree(file.path, file.content, (name) => context.variables.get(name)).root;
  const root = parsed && isVersion1(parsed) ? wrapVersion1(parsed) : parsed;
  context.parsed.set(path, root);
  return root;
}

/** A service of `root` (in `file`) with its `extends` chain applied. */
function resolveService(file: string, root: ComposeMap, name: string, context: ExtendsContext, chain: string[]): ComposeMap | undefined {
  const node = servicesOf(root)?.entries.get(name)?.value;
  if (node?.kind !== 'map') return node?.kind === 'scalar' && node.value === null ? emptyService(node) : undefined;
  const extendsNode = valueOf(node, 'extends');
  if (!extendsNode) return node;
  const targetService = extendsNode.kind === 'scalar' ? textOf(extendsNode) : textOf(valueOf(extendsNode, 'service'));
  const targetFileText = textOf(valueOf(extendsNode, 'file'));
  const targetFile = targetFileText ? posix.normalize(posix.join(directoryOf(file), targetFileText)) : posix.normalize(file);
  const identity = `${targetFile}#${targetService}`;
  const location = entryOf(node, 'extends')?.keyPos ?? extendsNode.pos;
  const withoutExtends = extendService(emptyService(node), node, name);
  if (chain.includes(identity)) {
    const here = posix.normalize(file);
    // The loop, starting and ending at this service: a -> b -> a.
    const loop = chain.slice(chain.indexOf(identity));
    const self = loop.indexOf(`${here}#${name}`);
    const rotated = self === -1 ? loop : [...loop.slice(self), ...loop.slice(0, self)];
    const steps = [...rotated, rotated[0] ?? identity].map((step) => {
      const [stepFile = '', stepService = ''] = step.split('#');
      return stepFile === here ? stepService : `${stepService} (${stepFile})`;
    });
    context.problems.push({ kind: 'extends', code: 'cycle', location, data: { service: name, chain: steps.join(' -> ') } });
    return withoutExtends;
  }
  const target = targetFileText ? targetRoot(targetFile, context) : root;
  if (target === undefined) {
    context.problems.push({ kind: 'extends', code: 'fileNotAvailable', location, data: { service: name, file: targetFileText, target: targetService } });
    return withoutExtends;
  }
  const base = resolveService(targetFileText ? targetFile : file, target, targetService, context, [...chain, identity]);
  if (base === undefined) {
    context.problems.push({ kind: 'extends', code: 'serviceMissing', location, data: { service: name, target: targetService, file: targetFileText || file } });
    return withoutExtends;
  }
  return extendService(base, node, name);
}

function emptyService(at: ComposeNode): ComposeMap {
  return { kind: 'map', entries: new Map(), pos: at.pos, size: 1 };
}

function applyExtends(file: string, root: ComposeMap, context: ExtendsContext): ComposeMap {
  const services = servicesOf(root);
  if (!services) return root;
  const entries = new Map(services.entries);
  for (const [name, entry] of services.entries) {
    if (valueOf(entry.value, 'extends') === undefined) continue;
    const resolved = resolveService(file, root, name, context, [`${posix.normalize(file)}#${name}`]);
    if (resolved) entries.set(name, { ...entry, value: resolved });
  }
  const servicesEntry = root.entries.get('services');
  if (!servicesEntry) return root;
  return { ...root, entries: new Map(root.entries).set('services', { ...servicesEntry, value: { ...services, entries } }) };
}

const SERVICE_REFERENCES: { key: string; code: string; section: string }[] = [
  { key: 'networks', code: 'undefinedNetwork', section: 'networks' },
  { key: 'secrets', code: 'undefinedSecret', section: 'secrets' },
  { key: 'configs', code: 'undefinedConfig', section: 'configs' },
];

/** Names a service uses from `key` (`networks`, `secrets`, `configs`), with their positions. */
function usedNames(service: ComposeMap, key: string): { name: string; pos: Position }[] {
  const value = valueOf(service, key);
  if (value?.kind === 'map') return [...value.entries.values()].map((entry) => ({ name: entry.key, pos: entry.keyPos }));
  if (value?.kind !== 'seq') return [];
  return value.items.flatMap((item) => {
    const name = item.kind === 'map' ? textOf(valueOf(item, 'source')) : textOf(item);
    return name ? [{ name, pos: item.pos }] : [];
  });
}

/** Named volumes a service mounts (short `name:/path` or long `type: volume`). */
function usedVolumes(service: ComposeMap): { name: string; pos: Position }[] {
  const value = valueOf(service, 'volumes');
  if (value?.kind !== 'seq') return [];
  return value.items.flatMap((item) => {
    if (item.kind === 'map') {
      const type = textOf(valueOf(item, 'type'));
      const source = textOf(valueOf(item, 'source'));
      return type === 'volume' && source ? [{ name: source, pos: item.pos }] : [];
    }
    const parts = textOf(item).split(':');
    const source = parts.length > 1 ? (parts[0] ?? '') : '';
    return source && !/^[./~$]/.test(source) && !/^[A-Za-z]$/.test(source) ? [{ name: source, pos: item.pos }] : [];
  });
}

/** Other services a service names (depends_on, links, `service:` namespace and volume sharing). */
function usedServices(service: ComposeMap): { name: string; pos: Position; key: string }[] {
  const used: { name: string; pos: Position; key: string }[] = [];
  const dependsOn = valueOf(service, 'depends_on');
  if (dependsOn?.kind === 'map') for (const entry of dependsOn.entries.values()) used.push({ name: entry.key, pos: entry.keyPos, key: 'depends_on' });
  if (dependsOn?.kind === 'seq') for (const item of dependsOn.items) used.push({ name: textOf(item), pos: item.pos, key: 'depends_on' });
  const links = valueOf(service, 'links');
  if (links?.kind === 'seq') for (const item of links.items) used.push({ name: textOf(item).split(':')[0] ?? '', pos: item.pos, key: 'links' });
  for (const key of ['network_mode', 'pid', 'ipc']) {
    const value = valueOf(service, key);
    const text = textOf(value);
    if (value && text.startsWith('service:')) used.push({ name: text.slice('service:'.length), pos: value.pos, key });
  }
  const volumesFrom = valueOf(service, 'volumes_from');
  if (volumesFrom?.kind === 'seq') {
    for (const item of volumesFrom.items) {
      const text = textOf(item);
      if (!text.startsWith('container:')) used.push({ name: text.replace(/^service:/, '').split(':')[0] ?? '', pos: item.pos, key: 'volumes_from' });
    }
  }
  return used.filter((item) => item.name !== '');
}

function checkReferences(root: ComposeMap, problems: ComposeProblem[]): void {
  const services = servicesOf(root);
  if (!services) return;
  const declared = (section: string): Set<string> => {
    const value = valueOf(root, section);
    return new Set(value?.kind === 'map' ? value.entries.keys() : []);
  };
  const volumes = declared('volumes');
  const sections = SERVICE_REFERENCES.map((reference) => ({ ...reference, known: declared(reference.section) }));
  for (const [name, entry] of services.entries) {
    const service = entry.value;
    if (service.kind !== 'map') continue;
    for (const reference of sections) {
      for (const used of usedNames(service, reference.key)) {
        if (reference.key === 'networks' && used.name === 'default') continue;
        if (!reference.known.has(used.name)) problems.push({ kind: 'reference', code: reference.code, location: used.pos, data: { service: name, name: used.name } });
      }
    }
    for (const used of usedVolumes(service)) {
      if (!volumes.has(used.name)) problems.push({ kind: 'reference', code: 'undefinedVolume', location: used.pos, data: { service: name, name: used.name } });
    }
    for (const used of usedServices(service)) {
      if (!services.entries.has(used.name)) {
        problems.push({ kind: 'reference', code: 'undefinedService', location: used.pos, data: { service: name, name: used.name, key: used.key } });
      }
    }
    if (valueOf(service, 'image') === undefined && valueOf(service, 'build') === undefined && valueOf(service, 'provider') === undefined) {
      problems.push({ kind: 'reference', code: 'noImage', location: entry.keyPos, data: { service: name } });
    }
  }
}

function profilesOf(service: ComposeMap): string[] {
  const profiles = valueOf(service, 'profiles');
  return profiles?.kind === 'seq' ? profiles.items.map(textOf).filter(Boolean) : [];
}

/** Paths an `include:` entry names (`path.yml`, `{path: a.yml}`, `{path: [a.yml, b.yml]}`), with positions. */
function includedPaths(entry: ComposeNode): { path: string; pos: Position }[] {
  if (entry.kind === 'scalar') return textOf(entry) ? [{ path: textOf(entry), pos: entry.pos }] : [];
  const path = valueOf(entry, 'path');
  if (path?.kind === 'seq') return path.items.flatMap((item) => (textOf(item) ? [{ path: textOf(item), pos: item.pos }] : []));
  return path && textOf(path) ? [{ path: textOf(path), pos: path.pos }] : [];
}

/**
 * The file's document with its `include:` files merged under it. Included files are read from
 * the collected files only, interpolated from the `.env` of their own directory.
 */
function applyIncludes(file: string, root: ComposeMap, context: ExtendsContext, seen: readonly string[]): ComposeMap {
  const include = valueOf(root, 'include');
  if (include?.kind !== 'seq') return root;
  let merged: ComposeMap | undefined;
  for (const entry of include.items) {
    for (const { path, pos } of includedPaths(entry)) {
      const target = posix.normalize(posix.join(directoryOf(file), path));
      if (seen.includes(target)) continue;
      const source = readableFileAt(context.files, target);
      const parsed = source?.content === undefined ? undefined : parseComposeTree(source.path, source.content, (name) => variablesFor(directoryOf(source.path), context.files).get(name)).root;
      if (!parsed) {
        context.problems.push({ kind: 'extends', code: 'includeNotAvailable', location: pos, data: { file: path } });
        continue;
      }
      const included = applyIncludes(target, applyExtends(target, parsed, context), context, [...seen, target]);
      merged = merged ? mergeDocuments(merged, included) : included;
    }
  }
  const own: ComposeMap = { ...root, entries: new Map([...root.entries].filter(([key]) => key !== 'include')) };
  return merged ? mergeDocuments(merged, own) : own;
}

/** Builds one project from its already analysed files, merged in order. */
function buildProject(analyses: readonly ComposeFileAnalysis[], files: readonly SourceFile[], problems: ComposeProblem[]): ComposeProject {
  const first = analyses[0]?.path ?? '.';
  const directory = directoryOf(first);
  const variables = variablesFor(directory, files);
  const context: ExtendsContext = { files, variables, problems, parsed: new Map() };
  let root: ComposeMap | undefined;
  const locations = new Map<string, Position>();
  for (const analysis of analyses) {
    if (!analysis.root) continue;
    const extended = applyIncludes(analysis.path, applyExtends(analysis.path, analysis.root, context), context, [posix.normalize(analysis.path)]);
    for (const [name, entry] of servicesOf(extended)?.entries ?? []) if (!locations.has(name)) locations.set(name, entry.keyPos);
    root = root ? mergeDocuments(root, extended) : extended;
  }
  const services: ComposeService[] = [];
  if (root) {
    checkReferences(root, problems);
    for (const [name, entry] of servicesOf(root)?.entries ?? []) {
      const node = entry.value.kind === 'map' ? normaliseService(entry.value) : emptyService(entry.value);
      services.push({ name, node, location: locations.get(name) ?? entry.keyPos, profiles: profilesOf(node) });
    }
  }
  return { name: projectName(root, directory), directory, files: analyses.map((analysis) => analysis.path), ...(root ? { root } : {}), services, variables };
}

/**
 * Merges Compose files in the order given, as `docker compose -f a.yml -f b.yml` does,
 * interpolating from the `.env` beside the first file when it is among `files`.
 */
export function mergeComposeFiles(files: readonly SourceFile[]): { project: ComposeProject; files: ComposeFileAnalysis[]; problems: ComposeProblem[] } {
  const composeFiles = files.filter((file) => file.kind === 'compose');
  const variables = variablesFor(directoryOf(composeFiles[0]?.path ?? '.'), files);
  const analyses = composeFiles.map((file) => analyseFile(file, variables));
  const problems: ComposeProblem[] = analyses.flatMap((analysis) => analysis.problems);
  const project = buildProject(analyses, files, problems);
  return { project, files: analyses, problems };
}

/** Groups the Compose files into projects: each on its own, override files with their base. */
function groupProjects(files: readonly SourceFile[], explicit: readonly string[][] = []): SourceFile[][] {
  // Files named together with -f form one project, merged in the order given.
  const explicitGroups = explicit
    .map((paths) => paths.map((path) => files.find((file) => file.kind === 'compose' && file.path === path)).filter((file): file is SourceFile => file !== undefined))
    .filter((group) => group.length > 0);
  const inExplicit = new Set(explicitGroups.flat());
  const compose = files.filter((file) => file.kind === 'compose' && !inExplicit.has(file));
  const overrides = new Map<SourceFile, SourceFile>();
  const used = new Set<SourceFile>();
  const byDirectory = new Map<string, SourceFile[]>();
  for (const file of compose) {
    const directory = directoryOf(file.path);
    const group = byDirectory.get(directory);
    if (group) group.push(file);
    else byDirectory.set(directory, [file]);
  }
  for (const group of byDirectory.values()) {
    // A base and its override are two files.
    if (group.length < 2) continue;
    const named = (names: string[]): SourceFile | undefined =>
      names.map((name) => group.find((file) => posix.basename(file.path).toLowerCase() === name)).find(Boolean);
    const base = named(BASE_NAMES);
    const override = named(OVERRIDE_NAMES);
    if (base && override) {
      overrides.set(base, override);
      used.add(override);
    }
  }
  return [
    ...explicitGroups,
    ...compose.filter((file) => !used.has(file)).map((file) => [file, ...(overrides.has(file) ? [overrides.get(file) as SourceFile] : [])]),
  ];
}

function analyse(sourceFiles: SourceFiles): ComposeAnalysis {
  const analyses: ComposeFileAnalysis[] = [];
  const projects: ComposeProject[] = [];
  const projectProblems: ComposeProblem[] = [];
  for (const group of groupProjects(sourceFiles.files, sourceFiles.composeProjects)) {
    const variables = variablesFor(directoryOf(group[0]?.path ?? '.'), sourceFiles.files);
    const groupAnalyses = group.map((file) => analyseFile(file, variables));
    analyses.push(...groupAnalyses);
    projects.push(buildProject(groupAnalyses, sourceFiles.files, projectProblems));
  }
  const order = new Map(sourceFiles.files.map((file, index) => [file.path, index]));
  analyses.sort((a, b) => (order.get(a.path) ?? 0) - (order.get(b.path) ?? 0));
  // A file that is its own project and also an `extends` source reports its problems once.
  const seen = new Set<string>();
  const problems = [...analyses.flatMap((analysis) => analysis.problems), ...projectProblems].filter((problem) => {
    const key = `${problem.kind}|${problem.code}|${problem.location.file}|${problem.location.line}|${problem.location.column}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
  return { files: analyses, projects, problems };
}

const memo = new WeakMap<SourceFiles, ComposeAnalysis>();
const EMPTY: ComposeAnalysis = { files: [], projects: [], problems: [] };

/** The Compose analysis of a snapshot's files, computed once per `snapshot.files` object. */
export function composeProjectsOf(snapshot: Snapshot): ComposeAnalysis {
  const files = snapshot.files;
  if (!files) return EMPTY;
  const cached = memo.get(files);
  if (cached) return cached;
  const analysis = analyse(files);
  memo.set(files, analysis);
  return analysis;
}
