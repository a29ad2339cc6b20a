/**
 * Builds tar archives in memory for the image scanner tests (tar-stream's pack, as the
 * integration tests do for crafted archives).
 */
import { createHash } from 'node:crypto';
import { pack, type Header } from 'tar-stream';

export interface TarEntry {
  name: string;
  type?: Header['type'];
  mode?: number;
  uid?: number;
  content?: string | Buffer;
  linkname?: string;
}

export async function tarOf(entries: TarEntry[]): Promise<Buffer> {
  const archive = pack();
  for (const entry of entries) {
    const type = entry.type ?? 'file';
    // A file entry without a body would wait for one to be written.
    const content = typeof entry.content === 'string' ? Buffer.from(entry.content) : (entry.content ?? (type === 'file' ? Buffer.alloc(0) : undefined));
    const header = {
      name: entry.name,
      type,
      mode: entry.mode ?? (entry.type === 'directory' ? 0o755 : 0o644),
      uid: entry.uid ?? 0,
      gid: 0,
      ...(entry.linkname ? { linkname: entry.linkname } : {}),
    };
    if (content) archive.entry({ ...header, size: content.length }, content);
    else archive.entry(header);
  }
  archive.finalize();
  const chunks: Buffer[] = [];
  for await (const chunk of archive as AsyncIterable<Buffer>) chunks.push(chunk);
  return Buffer.concat(chunks);
}

export function sha256Hex(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * A `docker save` archive (legacy layout) of one image made of the given layer tars:
 * `<id>/layer.tar` directories, the config named by its digest, manifest.json.
 */
export async function dockerSaveOf(
  layers: Buffer[],
  options: { tags?: string[]; user?: string; diffIds?: string[]; layerPaths?: string[] } = {},
): Promise<{ archive: Buffer; imageId: string; diffIds: string[] }> {
  const diffIds = options.diffIds ?? layers.map((layer) => `sha256:${sha256Hex(layer)}`);
  const config = JSON.stringify({
    architecture: 'amd64',
    os: 'linux',
    created: '2025-06-01T00:00:00Z',
    config: { User: options.user ?? '', Env: ['PATH=/bin'] },
    rootfs: { type: 'layers', diff_ids: diffIds },
    history: layers.map((_, index) => ({ created: '2025-06-01T00:00:00Z', created_by: `/bin/sh -c #(nop) COPY file:${index} in /` })),
  });
  const configHex = sha256Hex(config);
  const directories = layers.map((layer, index) => sha256Hex(`${index}:${sha256Hex(layer)}`));
  // `docker load` takes a layer at any path the manifest names; `docker save` writes `<id>/layer.tar`.
  const paths = options.layerPaths ?? directories.map((dir) => `${dir}/layer.tar`);
  const manifest = JSON.stringify([{ Config: `${configHex}.json`, RepoTags: options.tags ?? ['test/image:1'], Layers: paths }]);
  const archive = await tarOf([
    // Layers last, as an archive may order them any way: the manifest is read at the end.
    { name: 'manifest.json', content: manifest },
    { name: `${configHex}.json`, content: config },
    ...layers.flatMap((layer, index) => [
      { name: `${(paths[index] as string).split('/').slice(0, -1).join('/') || '.'}/`, type: 'directory' as const },
      { name: (paths[index] as string).replace(/^\.\//, ''), content: layer },
    ]),
  ]);
  return { archive, imageId: `sha256:${configHex}`, diffIds };
}
