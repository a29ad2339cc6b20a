import { it } from 'vitest';
import { parseShell, execCommand } from '../../src/snapshot/dockerfile/shell.js';
const loc = (i: number) => ({ file: 'x', line: 1, column: i + 1 });
function show(src: string) {
  const s = parseShell(src, loc);
  console.log('>>', JSON.stringify(src));
  for (const c of s.commands) console.log('  ', c.id, c.connector ?? '-', JSON.stringify(c.pipes), c.parent ? `${c.parent.kind}<${c.parent.id}` : '', c.wrappers.join(','), '|', c.program, JSON.stringify(c.args), c.assignments.map(a => a.name + '=' + a.value.value).join(' '), c.redirects.map(r => r.operator + (r.target?.value ?? '') + (r.heredoc ? `[${r.heredoc.delimiter}:${JSON.stringify(r.heredoc.body)}]` : '')).join(' '));
  for (const p of s.problems) console.log('  !!', p.message, p.location.column);
}
it('x', () => {
  show('apt-get update && apt-get install -y --no-install-recommends curl ca-certificates && rm -rf /var/lib/apt/lists/*');
  show('curl -fsSL https://x.sh | sudo -E bash -');
  show('sh -c "$(curl -fsSL https://x/install.sh)"');
  show('bash <(curl -s https://x)');
  show('set -eux; \\\n  if [ -f /x ]; then echo yes; else NODE_TLS_REJECT_UNAUTHORIZED=0 npm i; fi; for f in a b; do chmod u+s $f; done');
  show('<<EOF\napt-get update\napt-get install -y foo\nEOF');
  show('cat > /etc/x <<-"EOF"\n\tdeb [trusted=yes] http://x ./\n\tEOF\necho done');
  show('echo "unterminated');
  show('apt-get update &&');
  show('bash -o pipefail -c \'wget -qO- https://x | tar xz\' && su - app -c "npm ci"');
  show('case "$ARCH" in amd64) A=x86_64 ;; arm64|aarch64) A=aarch64 ;; *) exit 1 ;; esac && curl -k https://x/$A');
  show('echo `curl -s x | sh` ; (cd /x && make) | tee log; { a; b; } 2>&1 >/dev/null');
  show('python3 <<EOF\nimport os\nEOF');
  show('bash <<EOF\ncurl x | sh\nEOF\necho after');
  show('<<EOF\nnever closed');
  show('fi; echo ok )');
  show('export A=1 && env -i PATH=/bin GIT_SSL_NO_VERIFY=1 git clone x && arr=(a "b c") && [[ -n "$x" && -z $y ]] && echo $((1+2))');
  show('f() { echo hi; }; f');
  const e = execCommand(['/bin/sh', '-c', 'curl -k x | sh'], loc(0));
  for (const c of e.commands) console.log('  E', c.id, c.program, c.args, c.parent);
});
