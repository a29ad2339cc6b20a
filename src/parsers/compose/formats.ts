/**
 * The string formats the Compose specification's schema names beyond JSON Schema's own
 * (`duration`, `ports`, `expose`, `subnet_ip_address`). The precompiled validators in
 * `validators.generated.js` call these at run time, and the generator
 * (`scripts/gen-compose-validators.mjs`) registers them with Ajv so it emits those calls.
 */
import type { FormatDefinition } from 'ajv';
import { fullFormats } from 'ajv-formats/dist/formats.js';

/** Go durations as Compose writes them: `30s`, `1m30s`, `1.5h`, `500ms`, `0`. */
const DURATION = /^(?:0|(?:\d+(?:\.\d+)?(?:ns|us|µs|ms|s|m|h))+)$/;
const PORT_RANGE = /^\d+(?:-\d+)?$/;
const EXPOSE = /^\d+(?:-\d+)?(?:\/(?:tcp|udp|sctp))?$/;

function isIp(text: string): boolean {
  const ipv4 = fullFormats.ipv4 as RegExp;
  const ipv6 = fullFormats.ipv6 as RegExp;
  return ipv4.test(text) || ipv6.test(text);
}

function isSubnet(text: string): boolean {
  const [address, bits, extra] = text.split('/');
  if (address === undefined || bits === undefined || extra !== undefined || !/^\d{1,3}$/.test(bits)) return false;
  return isIp(address) && Number(bits) <= (address.includes(':') ? 128 : 32);
}

/** `[ip:][host[-end]:]container[-end][/proto]`, split as Docker splits it; the address must be an IP. */
function isPortMapping(text: string): boolean {
  const [mapping = '', protocol, extra] = text.split('/');
  if (extra !== undefined || (protocol !== undefined && !/^(tcp|udp|sctp)$/i.test(protocol))) return false;
  const parts = mapping.split(':');
  const container = parts.at(-1) ?? '';
  const host = parts.length >= 2 ? (parts.at(-2) ?? '') : '';
  const address = parts.length >= 3 ? parts.slice(0, -2).join(':').replace(/^\[(.*)\]$/, '$1') : '';
  return PORT_RANGE.test(container) && (host === '' || PORT_RANGE.test(host)) && (address === '' || isIp(address));
}

/** Format definitions by the name the schema uses; string-only, like every Compose format. */
export const composeFormats: Record<string, FormatDefinition<string>> = {
  duration: { type: 'string', validate: (text: string) => DURATION.test(text) },
  ports: { type: 'string', validate: isPortMapping },
  expose: { type: 'string', validate: (text: string) => EXPOSE.test(text) },
  subnet_ip_address: { type: 'string', validate: isSubnet },
};
