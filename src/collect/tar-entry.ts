/** The kind of a tar entry, in the few kinds dockaudit tells apart (layer scans, slim's image index). */
import type { Header } from 'tar-stream';

export type TarEntryType = 'file' | 'directory' | 'symlink' | 'link' | 'other';

export function tarEntryType(type: Header['type']): TarEntryType {
  switch (type) {
    case 'file':
    case 'contiguous-file':
      return 'file';
    case 'directory':
      return 'directory';
    case 'symlink':
      return 'symlink';
    case 'link':
      return 'link';
    default:
      return 'other';
  }
}
