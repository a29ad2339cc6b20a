/**
 * The caps of reading a vulnerability database. A database is a download from the network or a
 * directory somebody else filled: a document of gigabytes, millions of entries or a zip entry
 * that inflates far beyond what it declares must not exhaust the machine. A document over its
 * cap is counted as unreadable; the database cap stops the reading, and what was left unread is
 * counted too. Either makes the vulnerability rule report an `error`.
 */
export interface VulnDbLimits {
  /** Bytes of one JSON document (a file, or a zip entry once inflated). */
  documentBytes: number;
  /** Documents (files and zip entries) read in all. */
  documents: number;
  /** Bytes read in all: JSON files plus zip entries once inflated. */
  databaseBytes: number;
}

export const DEFAULT_VULN_DB_LIMITS: VulnDbLimits = {
  documentBytes: 16 * 1024 ** 2,
  documents: 2_000_000,
  databaseBytes: 8 * 1024 ** 3,
};

/** The flag that sets each cap, for messages. */
export const VULN_DB_LIMIT_FLAGS: Record<keyof VulnDbLimits, string> = {
  documentBytes: '--max-vuln-document-bytes',
  documents: '--max-vuln-documents',
  databaseBytes: '--max-vuln-db-bytes',
};
