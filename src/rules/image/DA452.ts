import * as z from '../../zod.js';
import { finalShadow, finalText } from '../../views/image-fs.js';
import type { Verdict } from '../define.js';
import { defineRule } from '../define.js';
import { configuredUser, isLoginShell, parsePasswd } from './support/accounts.js';
import { capped, forEachImageScan } from './support/each-scan.js';

type Messages = 'emptyPassword' | 'extraRoot' | 'duplicateUid' | 'systemShell' | 'userIsRoot' | 'userUnknown' | 'clean' | 'noPasswd';

/** `root`, `0`, or no user at all: DA401 already reports these from the image config. */
function plainlyRoot(user: string): boolean {
  const name = user.split(':')[0] ?? '';
  return name === '' || name === 'root' || name === '0';
}

export default defineRule({
  meta: {
    id: 'DA452',
    alias: 'image-accounts',
    family: 'image',
    title: 'Image accounts have passwords, distinct UIDs and no needless shells',
    severity: 'high',
    rationale:
      'The accounts of an image are the accounts of every container made from it: one without a password lets anything that reaches su or a login service become it, a second UID 0 is root under another name (and a USER naming it runs containers as root), and system accounts with a shell are footholds nobody watches.',
    remediation:
      'Lock unused accounts (passwd -l), give system accounts /usr/sbin/nologin, keep UID 0 for root alone and give each account its own UID; create the application user with useradd -r and switch to it with USER.',
    references: { cis: [], checklist: ['ENV-2'], related: ['4.1'] },
    needs: ['imageContents'],
    messages: {
      emptyPassword: 'accounts without a password (anyone may log in as them): {{users}}',
      extraRoot: 'accounts other than root with UID 0 (root under another name): {{users}}',
      duplicateUid: 'UIDs shared by several accounts: {{uids}}',
      systemShell: 'system accounts (UID below {{firstUserUid}}) with a login shell: {{users}}',
      userIsRoot: 'the image user {{user}} has UID 0 in /etc/passwd: containers run as root',
      userUnknown: 'the image user {{user}} is not in /etc/passwd: containers may not start, or run with a UID no account owns',
      clean: '{{count}} accounts, none without a password, no shared UID or second root, no system account with a shell; image user {{user}}',
      noPasswd: 'no /etc/passwd in the final filesystem: accounts cannot be checked (image user {{user}})',
    },
  },
  options: z.object({
    /** The first UID of ordinary users; accounts below it (root aside) are system accounts. */
    firstUserUid: z._default(z.int().check(z.gte(1)), 1000),
    /** System accounts allowed a login shell. */
    allowedShellAccounts: z._default(z.array(z.string().check(z.minLength(1))), []),
  }),
  check: forEachImageScan((contents, _filesystem, { options }) => {
    const user = configuredUser(contents);
    const shownUser = user === '' ? 'root (none set)' : user;
    const passwd = finalText(contents, 'etc/passwd');
    if (!passwd) return { status: 'info', messageId: 'noPasswd', data: { user: shownUser } };
    const accounts = parsePasswd(passwd.text);
    const shadow = finalShadow(contents) ?? new Map<string, string>();
    const verdicts: Verdict<Messages>[] = [];

    const passwordless = accounts.filter((account) => account.password === '' || (account.password === 'x' && shadow.get(account.name) === 'empty'));
    if (passwordless.length > 0) verdicts.push({ status: 'fail', messageId: 'emptyPassword', data: { users: capped(passwordless.map((account) => account.name)) } });

    const extraRoots = accounts.filter((account) => account.uid === 0 && account.name !== 'root');
    if (extraRoots.length > 0) verdicts.push({ status: 'fail', messageId: 'extraRoot', data: { users: capped(extraRoots.map((account) => account.name)) } });

    const byUid = new Map<number, string[]>();
    for (const account of accounts) byUid.set(account.uid, [...(byUid.get(account.uid) ?? []), account.name]);
    const shared = [...byUid].filter(([uid, names]) => names.length > 1 && uid !== 0);
    if (shared.length > 0) {
      verdicts.push({ status: 'fail', messageId: 'duplicateUid', data: { uids: capped(shared.map(([uid, names]) => `${uid} (${names.join(', ')})`)) }, severity: 'medium' });
    }

    const shells = accounts.filter(
      (account) => account.uid !== 0 && account.uid < options.firstUserUid && isLoginShell(account.shell) && !options.allowedShellAccounts.includes(account.name),
    );
    if (shells.length > 0) {
      verdicts.push({
        status: 'warn',
        messageId: 'systemShell',
        data: { firstUserUid: options.firstUserUid, users: capped(shells.map((account) => `${account.name} (UID ${account.uid}, ${account.shell})`)) },
        severity: 'low',
      });
    }

    if (!plainlyRoot(user)) {
      const name = user.split(':')[0] ?? '';
      const account = /^\d+$/.test(name) ? accounts.find((entry) => entry.uid === Number(name)) : accounts.find((entry) => entry.name === name);
      if (account?.uid === 0) verdicts.push({ status: 'fail', messageId: 'userIsRoot', data: { user } });
      else if (!account && !/^\d+$/.test(name)) verdicts.push({ status: 'warn', messageId: 'userUnknown', data: { user }, severity: 'medium' });
    }
    return verdicts.length > 0 ? verdicts : { status: 'pass', messageId: 'clean', data: { count: accounts.length, user: shownUser } };
  }),
});
