import { describe, expect, it } from 'vitest';
import { REDACTED, redactSecrets, shownCommand } from '../../src/rules/shared/redact.js';
import { bestCpuMs } from '../helpers/cpu.js';

const SECRET = 'hunter2';

describe('redactSecrets', () => {
  const cases: [string, string][] = [
    ['mysqld --password=hunter2 --user=mysql', 'mysqld --password=*** --user=mysql'],
    ['app --password hunter2 -v', 'app --password *** -v'],
    ['app -token=hunter2', 'app -token=***'],
    ['app --pass hunter2', 'app --pass ***'],
    ['mysql -phunter2 -h db', 'mysql -p*** -h db'],
    ['mysql -p"hunter2" -h db', 'mysql -p*** -h db'],
    ['/usr/bin/mysqladmin -p hunter2 ping', '/usr/bin/mysqladmin -p *** ping'],
    ['mongosh -u root -p hunter2 --quiet', 'mongosh -u root -p *** --quiet'],
    ['redis-cli -a hunter2 ping', 'redis-cli -a *** ping'],
    ['sqlcmd -S db -U sa -P hunter2', 'sqlcmd -S db -U sa -P ***'],
    ['sshpass -p hunter2 ssh host', 'sshpass -p *** ssh host'],
    ["sh -c 'PGPASSWORD=hunter2 pg_isready -h db'", "sh -c 'PGPASSWORD=*** pg_isready -h db'"],
    ['env MYSQL_ROOT_PASSWORD=hunter2 TOKEN=hunter2 run', 'env MYSQL_ROOT_PASSWORD=*** TOKEN=*** run'],
    ["PGPASSWORD='hunter2 and more' psql", 'PGPASSWORD=*** psql'],
    ['docker run --env=API_KEY=hunter2 -e DB_PASS="a hunter2 c" x', 'docker run --env=API_KEY=*** -e DB_PASS=*** x'],
    ['psql postgres://app:hunter2@db:5432/app', 'psql postgres://app:***@db:5432/app'],
    ['redis://:hunter2@cache:6379', 'redis://:***@cache:6379'],
    ["psql 'host=db password=hunter2 user=x'", "psql 'host=db password=*** user=x'"],
    ['curl -u admin:hunter2 http://x', 'curl -u admin:*** http://x'],
    ['curl -uadmin:hunter2 http://x', 'curl -uadmin:*** http://x'],
    ['curl --user=admin:hunter2 http://x', 'curl --user=admin:*** http://x'],
    ['curl -H "Authorization: Bearer hunter2" http://x', 'curl -H "Authorization: Bearer ***" http://x'],
    ['wget --header "X-Api-Key: hunter2" http://x', 'wget --header "X-Api-Key: ***" http://x'],
    ["sh -c 'mysqladmin ping -phunter2' && echo ok", "sh -c 'mysqladmin ping -p***' && echo ok"],
    [`echo ghp_${'a1B2'.repeat(9)} done`, 'echo *** done'],
    ['-----BEGIN RSA PRIVATE KEY-----\nMIIhunter2\n-----END RSA PRIVATE KEY----- rest', '*** rest'],
  ];
  it.each(cases)('%s', (text, expected) => {
    expect(redactSecrets(text)).toBe(expected);
  });

  it('leaves commands without secrets as they are', () => {
    const harmless = [
      'nginx -g daemon off;',
      'app --password-file /run/secrets/db --token-ttl 5 -p 8080',
      'curl -f http://localhost/health || exit 1',
      'postgres -c max_connections=100',
      'mysql -p',
      'mysql -p -h db',
      'https://example.com/a:b/c',
    ];
    for (const text of harmless) expect(redactSecrets(text)).toBe(text);
  });

  it('never lets the secret through, however it is quoted', () => {
    const variants = [`--password="${SECRET}"`, `--password '${SECRET}'`, `PASSWORD=${SECRET}'x'`, `"TOKEN=${SECRET}"`, `--db-password=${SECRET};next`];
    for (const text of variants) {
      const redacted = redactSecrets(text);
      expect(redacted).not.toContain(SECRET);
      expect(redacted).toContain(REDACTED);
    }
  });

  it('takes time linear in the length of the text', () => {
    const unit = "A=1 --password x 'PGPASSWORD=y' mysql -pz \"b ";
    const time = (copies: number): number => {
      const text = unit.repeat(copies);
      return bestCpuMs(() => redactSecrets(text), 7);
    };
    time(1000);
    const small = time(5000);
    const large = time(20000);
    expect(large / Math.max(small, 0.5)).toBeLessThan(8);
  });
});

describe('shownCommand', () => {
  it('redacts before it cuts, and puts the command on one line', () => {
    const token = `ghp_${'a1B2'.repeat(9)}`;
    const shown = shownCommand(`${'x'.repeat(60)}\n ${token}`, 80);
    expect(shown).not.toContain('ghp_');
    expect(shown).not.toContain('\n');
    expect(shown.length).toBeLessThanOrEqual(80);
    expect(shownCommand('y'.repeat(300), 80)).toBe(`${'y'.repeat(77)}...`);
  });
});
