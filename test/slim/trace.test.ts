import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeString, fdPath, parseTrace, splitArguments } from '../../src/slim/trace.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/slim/${name}`, import.meta.url), 'utf8');

describe('parseTrace on real strace output', () => {
  it('reads a busybox shell script: syscalls, files and how they were used', () => {
    const observation = parseTrace(fixture('script.trace'), { workingDir: '/app' });
    expect(observation.syscalls).toEqual(expect.arrayContaining(['execve', 'openat', 'read', 'write', 'clone', 'wait4', 'exit_group']));
    expect(observation.syscalls).toEqual([...observation.syscalls].sort());
    expect(observation.files.get('/app/run.sh')).toEqual(new Set(['exec', 'read']));
    expect(observation.files.get('/data/input.txt')).toEqual(new Set(['read', 'stat']));
    expect(observation.files.get('/tmp/count')).toEqual(new Set(['write', 'read', 'stat']));
    expect(observation.executed).toEqual(['/app/run.sh', '/proc/self/exe', '/bin/busybox']);
    expect(observation.network).toEqual([]);
    expect(observation.capabilities).toEqual([]);
    expect(observation.unparsedLines).toBe(0);
  });

  it('starts at the program: the first call is its execve, nothing of the tracer before it', () => {
    const first = fixture('script.trace').split('\n')[0] ?? '';
    expect(first).toMatch(/^\d+\s+execve\("\/app\/run.sh"/);
  });

  it('reads a web server stopped mid-call: sockets, relative paths against the working directory, unfinished calls', () => {
    const observation = parseTrace(fixture('httpd.trace'));
    expect(observation.network).toEqual(['inet6 stream']);
    expect(observation.syscalls).toEqual(expect.arrayContaining(['socket', 'bind', 'listen', 'accept', 'sendfile']));
    // `openat(AT_FDCWD</www>, "index.html")`: relative to the directory -y showed.
    expect(observation.files.get('/www/index.html')).toEqual(new Set(['stat', 'read']));
    expect(observation.files.get('/www/httpd.conf')).toEqual(new Set(['read']));
    expect(observation.files.has('/etc/localtime')).toBe(true);
    expect(observation.capabilities).toEqual([]); // port 8080 needs no capability
  });

  it('reads a dynamically linked program: libraries mapped executable, the loader cache', () => {
    const observation = parseTrace(fixture('dynamic.trace'));
    expect(observation.files.get('/lib/x86_64-linux-gnu/libc.so.6')).toEqual(new Set(['read', 'stat', 'mmap']));
    expect(observation.files.get('/etc/ld.so.cache')).toEqual(new Set(['read']));
    expect(observation.executed).toEqual(['/usr/sbin/sshd']);
    expect(observation.syscalls).toEqual(expect.arrayContaining(['mmap', 'clock_nanosleep']));
  });
});

describe('parseTrace on constructed lines', () => {
  it('joins an unfinished call with its resumption, per pid', () => {
    const observation = parseTrace(
      [
        '5     openat(AT_FDCWD</>, "/etc/a", O_RDONLY <unfinished ...>',
        '6     openat(AT_FDCWD</>, "/etc/b", O_WRONLY|O_CREAT, 0644 <unfinished ...>',
        '5     <... openat resumed>) = 3</etc/a>',
        '6     <... openat resumed>) = 4</etc/b>',
      ].join('\n'),
    );
    expect(observation.files.get('/etc/a')).toEqual(new Set(['read']));
    expect(observation.files.get('/etc/b')).toEqual(new Set(['write']));
  });

  it('follows chdir, and children inherit the working directory', () => {
    const observation = parseTrace(
      [
        '5     chdir("/srv") = 0',
        '5     clone(child_stack=NULL, flags=SIGCHLD) = 6',
        '6     stat("data/x", 0x7ffd) = 0',
        '5     chdir("..") = 0',
        '5     open("y", O_RDONLY) = 3</y>',
      ].join('\n'),
    );
    expect(observation.files.has('/srv/data/x')).toBe(true);
    expect(observation.files.has('/y')).toBe(true);
  });

  it('resolves *at calls against their directory descriptor and AT_EMPTY_PATH against the descriptor itself', () => {
    const observation = parseTrace(
      ['7     newfstatat(3</usr/lib>, "libz.so", {st_mode=S_IFREG|0644, ...}, 0) = 0', '7     newfstatat(4</etc/passwd>, "", {st_mode=S_IFREG|0644, ...}, AT_EMPTY_PATH) = 0'].join('\n'),
    );
    expect([...observation.files.keys()]).toEqual(['/etc/passwd', '/usr/lib/libz.so']);
  });

  it('infers capabilities only from privileged calls that succeeded', () => {
    const observation = parseTrace(
      [
        '1     bind(3<socket:[1]>, {sa_family=AF_INET, sin_port=htons(80), sin_addr=inet_addr("0.0.0.0")}, 16) = 0',
        '1     chown("/data", 1000, 1000) = 0',
        '1     setuid(1000) = -1 EPERM (Operation not permitted)',
        '1     socket(AF_PACKET, SOCK_RAW, 768) = 4<socket:[2]>',
        '1     socket(AF_UNIX, SOCK_STREAM|SOCK_CLOEXEC, 0) = 5<socket:[3]>',
        '1     connect(5<socket:[3]>, {sa_family=AF_UNIX, sun_path="/run/app.sock"}, 110) = 0',
      ].join('\n'),
    );
    expect(observation.capabilities).toEqual(['chown', 'net_bind_service', 'net_raw']);
    expect(observation.network).toEqual(['packet raw', 'unix stream']);
    expect(observation.files.get('/run/app.sock')).toEqual(new Set(['write']));
  });

  it('sets aside syscalls named by number, signals, exits and noise', () => {
    const observation = parseTrace(
      ['1     syscall_0x1b6(0, 0) = -1 ENOSYS (Function not implemented)', '1     --- SIGCHLD {si_signo=SIGCHLD} ---', '1     +++ exited with 0 +++', 'strace: something'].join('\n'),
    );
    expect(observation.syscalls).toEqual([]);
    expect(observation.unnamedSyscalls).toEqual(['syscall_0x1b6']);
    expect(observation.unparsedLines).toBe(1);
  });

  it('counts a call the process was stopped inside', () => {
    expect(parseTrace('3     accept(3<socket:[9]>,  <unfinished ...>').syscalls).toEqual(['accept']);
  });
});

describe('helpers', () => {
  it('decodes C string literals', () => {
    expect(decodeString('"a\\x20b\\n\\"q\\"\\101"')).toBe('a b\n"q"A');
    expect(decodeString('"/tmp/x"...')).toBe('/tmp/x');
    expect(decodeString('NULL')).toBeUndefined();
  });

  it('reads the path -y puts on a descriptor', () => {
    expect(fdPath('3</etc/passwd>')).toBe('/etc/passwd');
    expect(fdPath('AT_FDCWD</app>')).toBe('/app');
    expect(fdPath('1<pipe:[12]>')).toBeUndefined();
  });

  it('splits arguments at top-level commas only', () => {
    const { args } = splitArguments('f(3</a,b>, {x=1, y=[2, 3]}, "c,d", O_RDONLY) = 0', 2);
    expect(args).toEqual(['3</a,b>', '{x=1, y=[2, 3]}', '"c,d"', 'O_RDONLY']);
  });
});

describe('capabilities from id changes', () => {
  it('needs none to set the ids a process already has, and setuid/setgid to set others', () => {
    const same = parseTrace(['10    getuid() = 1000', '10    getgid() = 1000', '10    setgid(1000) = 0', '10    setuid(1000) = 0'].join('\n'));
    expect(same.capabilities).toEqual([]);
    const other = parseTrace(['10    getuid() = 0', '10    setgroups(0, NULL) = 0', '10    setresgid(-1, 101, -1) = 0', '10    setresuid(-1, 101, -1) = 0'].join('\n'));
    expect(other.capabilities).toEqual(['setgid', 'setuid']);
  });
});
