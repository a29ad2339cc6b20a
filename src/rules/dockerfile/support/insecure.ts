/**
 * Settings that turn off verification, written as environment variables or into the
 * configuration files of the tools that read them.
 */

export interface Setting {
  /** What to call it in a message: `NODE_TLS_REJECT_UNAUTHORIZED=0`. */
  label: string;
}

/** Environment variables that disable TLS certificate verification when set to these values. */
const TLS_VARIABLES: Readonly<Record<string, (value: string) => boolean>> = {
  NODE_TLS_REJECT_UNAUTHORIZED: (value) => value.trim() === '0',
  PYTHONHTTPSVERIFY: (value) => value.trim() === '0',
  GIT_SSL_NO_VERIFY: (value) => !/^(|0|false|no)$/i.test(value.trim()),
  NPM_CONFIG_STRICT_SSL: (value) => /^(false|0|no)$/i.test(value.trim()),
  YARN_ENABLE_STRICT_SSL: (value) => /^(false|0)$/i.test(value.trim()),
  PIP_TRUSTED_HOST: (value) => value.trim() !== '',
  GOINSECURE: (value) => value.trim() !== '',
  CURL_INSECURE: (value) => !/^(|0|false|no)$/i.test(value.trim()),
};

/** Environment variables that disable package or module signature/checksum verification. */
const SIGNATURE_VARIABLES: Readonly<Record<string, (value: string) => boolean>> = {
  GOSUMDB: (value) => value.trim() === 'off',
  GONOSUMCHECK: (value) => !/^(|0|false)$/i.test(value.trim()),
  GOFLAGS: (value) => /(^|\s)-insecure\b/.test(value),
};

function check(table: Readonly<Record<string, (value: string) => boolean>>, name: string, value: string): Setting | undefined {
  const test = table[name.toUpperCase()];
  return test && test(value) ? { label: `${name}=${value}` } : undefined;
}

export function tlsVariable(name: string, value: string): Setting | undefined {
  return check(TLS_VARIABLES, name, value);
}

export function signatureVariable(name: string, value: string): Setting | undefined {
  return check(SIGNATURE_VARIABLES, name, value);
}

/** Configuration files and the line that disables TLS verification in them. */
const TLS_FILES: readonly { file: RegExp; line: RegExp; label: string }[] = [
  { file: /(^|\/)\.curlrc$/, line: /^\s*(-k|--insecure|insecure)\s*$/m, label: 'insecure in .curlrc' },
  { file: /(^|\/)\.?wgetrc$/, line: /^\s*check[_-]certificate\s*=\s*off\b/im, label: 'check_certificate = off in wgetrc' },
  { file: /(^|\/)\.npmrc$/, line: /^\s*strict-ssl\s*=\s*false\b/im, label: 'strict-ssl=false in .npmrc' },
  { file: /(^|\/)\.yarnrc(\.yml)?$/, line: /^\s*(strict-ssl\s+false|enableStrictSsl:\s*false)\b/im, label: 'strict SSL off in .yarnrc' },
  { file: /(^|\/)pip\.(conf|ini)$/, line: /^\s*trusted-host\s*=/im, label: 'trusted-host in pip configuration' },
  { file: /(^|\/)\.gitconfig$|(^|\/)gitconfig$/, line: /^\s*sslverify\s*=\s*false\b/im, label: 'sslVerify = false in git configuration' },
  { file: /\.repo$|(^|\/)(yum|dnf)\.conf$/, line: /^\s*sslverify\s*=\s*(0|false|no)\b/im, label: 'sslverify=0 in a repository configuration' },
];

/** Configuration files and the line that disables signature checks in them. */
const SIGNATURE_FILES: readonly { file: RegExp; line: RegExp; label: string }[] = [
  { file: /\.repo$|(^|\/)(yum|dnf)\.conf$/, line: /^\s*(repo_)?gpgcheck\s*=\s*(0|false|no)\b/im, label: 'gpgcheck=0 in a repository configuration' },
  { file: /sources\.list(\.d\/.*)?$|\.list$|\.sources$/, line: /^\s*deb(-src)?\s+\[[^\]]*\b(trusted|allow-insecure|allow-weak|allow-downgrade-to-insecure)=yes\b/im, label: '[trusted=yes] in an APT source' },
  { file: /\.sources$/, line: /^\s*Trusted:\s*yes\b/im, label: 'Trusted: yes in an APT source' },
  { file: /(^|\/)apt\.conf(\.d\/.*)?$/, line: /AllowUnauthenticated\s*"?\s*(true|1|yes)|AllowInsecureRepositories\s*"?\s*(true|1|yes)/i, label: 'unauthenticated packages allowed in APT configuration' },
];

function fileSetting(table: readonly { file: RegExp; line: RegExp; label: string }[], file: string, content: string): Setting | undefined {
  const found = table.find((entry) => entry.file.test(file) && entry.line.test(content));
  return found ? { label: found.label } : undefined;
}

export function tlsFileSetting(file: string, content: string): Setting | undefined {
  return fileSetting(TLS_FILES, file, content);
}

export function signatureFileSetting(file: string, content: string): Setting | undefined {
  return fileSetting(SIGNATURE_FILES, file, content);
}
