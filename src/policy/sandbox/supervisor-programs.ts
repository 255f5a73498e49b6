/**
 * The two supervisor programs (see supervisor.ts for the protocol they speak), kept as plain
 * program text so no build step can rewrite them into something that needs helpers which do
 * not exist inside the sandbox, and run with `-e` so no file has to be visible there.
 *
 * Both run each command as `bash -c` in a fresh session (its own process group) with its own
 * cwd and environment and /dev/null as stdin. When it has exited (and its pipes have closed,
 * or DRAIN seconds later) the supervisor SIGKILLs every other process in the sandbox's PID
 * namespace (`kill(-1)` spares only the caller and the namespace's init), so nothing a command
 * started, not even one that left its group with setsid, outlives it, exactly as when the whole
 * namespace ended with it. `kill(-1)` anywhere but in its own namespace (pid ≤ 2) would reach
 * the whole machine, so it is never sent there. End-of-file on stdin means colleague is gone
 * (or closed the session): everything dies.
 */

/**
 * Perl (perl-base: on every Debian and Ubuntu system) starts in ~5 ms where Node takes ~100,
 * and holds ~5 MB where Node holds ~40. Only modules perl-base ships: POSIX, Config. A Perl
 * without them (some distributions package POSIX apart) execs the Node supervisor instead,
 * given as its arguments: the same process, so still the namespace's second one.
 * The exec-error pipe is close-on-exec (Perl sets that on every descriptor above 2), so an
 * empty read means the shell is running.
 */
export const PERL_SUPERVISOR = String.raw`use strict;
use warnings;
BEGIN {
  unless (eval { require POSIX; require Config; 1 }) {
    exec { $ARGV[0] } $ARGV[0], "-e", $ARGV[1] if @ARGV == 2;
    die "the supervisor needs Perl's POSIX and Config modules, or Node
";
  }
}
my @SIGNAME = split / /, $Config::Config{sig_name};
my $DRAIN = 0.2;
my $shell = -x "/bin/bash" ? "/bin/bash" : "/bin/sh";
my $own = $$ <= 2;
binmode STDIN;
binmode STDOUT;
sub kill_all { kill("KILL", -1) if $own; }
sub quit { kill_all(); POSIX::_exit(0); }
sub put {
  my ($msg) = @_;
  while (length $msg) {
    my $n = syswrite(STDOUT, $msg);
    if (!defined $n) { next if $!{EINTR}; quit(); }
    substr($msg, 0, $n, "");
  }
}
sub put_exit {
  my ($code, $signal, $failure) = @_;
  $failure //= "";
  put("exit " . ($code // "-") . " " . ($signal // "-") . " " . length($failure) . "\n" . $failure);
}
my ($pid, $out, $err, $status, $drain);
sub start {
  my ($cwd, $script, @pairs) = split /\0/, $_[0], -1;
  my %env;
  for (@pairs) { my $i = index($_, "="); $env{substr($_, 0, $i)} = substr($_, $i + 1) if $i > 0; }
  my ($or, $ow, $er, $ew, $xr, $xw);
  unless (pipe($or, $ow) && pipe($er, $ew) && pipe($xr, $xw)) { put_exit(undef, undef, "failed to start: pipe: $!"); return; }
  my $child = fork();
  if (!defined $child) { put_exit(undef, undef, "failed to start: fork: $!"); return; }
  if ($child == 0) {
    POSIX::setsid();
    open(STDIN, "<", "/dev/null");
    open(STDOUT, ">&", $ow);
    open(STDERR, ">&", $ew);
    if (!chdir $cwd) { syswrite($xw, "chdir $cwd: $!"); POSIX::_exit(127); }
    %ENV = %env;
    { no warnings; exec { $shell } $shell, "-c", $script; }
    syswrite($xw, "$shell: $!");
    POSIX::_exit(127);
  }
  close $ow; close $ew; close $xw;
  my $why = "";
  while (!defined sysread($xr, $why, 4096)) { last unless $!{EINTR}; }
  close $xr;
  if (length $why) {
    waitpid($child, 0);
    close $or; close $er;
    put_exit(undef, undef, "failed to start: $why");
    return;
  }
  ($pid, $out, $err, $status, $drain) = ($child, $or, $er, undef, undef);
}
sub finish {
  close $out if $out;
  close $err if $err;
  kill_all();
  my ($code, $signal) = ($status & 127) ? (undef, "SIG" . $SIGNAME[$status & 127]) : ($status >> 8, undef);
  ($pid, $out, $err, $status, $drain) = ();
  put_exit($code, $signal);
}
sub pump {
  my ($fh, $fd) = @_;
  my $n = sysread($fh, my $buf, 65536);
  return 1 if !defined $n && $!{EINTR};
  if ($n) { put("out $fd $n\n$buf"); return 1; }
  close $fh;
  return 0;
}
my $in = "";
put("ready\n");
while (1) {
  my $rin = "";
  vec($rin, fileno(STDIN), 1) = 1;
  vec($rin, fileno($out), 1) = 1 if $out;
  vec($rin, fileno($err), 1) = 1 if $err;
  my $open = $out || $err;
  # While a command runs its exit is polled: a SIGCHLD could land just before select() blocks.
  my $timeout = !$pid ? undef : defined $status ? ($open ? $drain : 0) : ($open ? 0.05 : 0.002);
  my ($n, $left) = select(my $rout = $rin, undef, undef, $timeout);
  if ($n < 0 && !$!{EINTR}) { quit(); }
  if ($n > 0) {
    if (vec($rout, fileno(STDIN), 1)) {
      my $r = sysread(STDIN, $in, 65536, length $in);
      quit() if defined $r && $r == 0;
      while (1) {
        if ($in =~ /\Arun (\d+)\n/) {
          my ($head, $size) = ($+[0], $1);
          last if length($in) < $head + $size;
          my $payload = substr($in, $head, $size);
          substr($in, 0, $head + $size, "");
          start($payload) unless $pid;
        } elsif ($in =~ /\Asignal SIG([A-Z0-9]+)\n/) {
          my ($head, $name) = ($+[0], $1);
          substr($in, 0, $head, "");
          kill($name, -$pid) if $pid;
        } elsif ($in =~ /\n/) {
          substr($in, 0, $+[0], "");
        } else {
          last;
        }
      }
    }
    $out = undef if $out && vec($rout, fileno($out), 1) && !pump($out, 1);
    $err = undef if $err && vec($rout, fileno($err), 1) && !pump($err, 2);
  }
  next unless $pid;
  if (!defined $status) {
    if (waitpid($pid, POSIX::WNOHANG()) == $pid) { $status = $?; $drain = $DRAIN; }
  } elsif (defined $timeout && defined $left) {
    $drain -= $timeout - $left;
  }
  finish() if defined $status && (!($out || $err) || $drain <= 0);
}
`;

/** Node, for systems without Perl: the same protocol, a slower start (the Node binary colleague runs on). */
export const NODE_SUPERVISOR = String.raw`"use strict";
const { spawn } = require("node:child_process");
const DRAIN_MS = 200;
const shell = require("node:fs").existsSync("/bin/bash") ? "/bin/bash" : "/bin/sh";
const put = (head, body) => process.stdout.write(body && body.length ? Buffer.concat([Buffer.from(head + "\n"), body]) : head + "\n");
const putExit = (code, signal, failure) => {
  const text = Buffer.from(failure || "");
  put("exit " + (code ?? "-") + " " + (signal ?? "-") + " " + text.length, text);
};
const own = process.pid <= 2;
const killAll = () => {
  if (!own) return;
  try { process.kill(-1, "SIGKILL"); } catch {}
};
let child;
const start = (payload) => {
  const [cwd, script, ...pairs] = payload.toString("utf8").split("\0");
  const env = {};
  for (const pair of pairs) {
    const i = pair.indexOf("=");
    if (i > 0) env[pair.slice(0, i)] = pair.slice(i + 1);
  }
  let settled = false;
  let running;
  const finish = (code, signal, failure) => {
    if (settled) return;
    settled = true;
    if (running) { running.stdout?.destroy(); running.stderr?.destroy(); }
    killAll();
    child = undefined;
    putExit(code, signal, failure);
  };
  try {
    running = spawn(shell, ["-c", script], { cwd, env, stdio: ["ignore", "pipe", "pipe"], detached: true });
  } catch (error) {
    finish(null, null, "failed to start: " + error.message);
    return;
  }
  child = running;
  running.stdout.on("data", (chunk) => put("out 1 " + chunk.length, chunk));
  running.stderr.on("data", (chunk) => put("out 2 " + chunk.length, chunk));
  running.on("error", (error) => finish(null, null, "failed to start: " + error.message));
  running.on("close", (code, signal) => finish(code, signal));
  running.on("exit", (code, signal) => setTimeout(() => finish(code, signal), DRAIN_MS).unref());
};
let pending = Buffer.alloc(0);
const quit = () => { killAll(); process.exit(0); };
process.stdin.on("data", (chunk) => {
  pending = Buffer.concat([pending, chunk]);
  for (let nl = pending.indexOf(10); nl >= 0; nl = pending.indexOf(10)) {
    const head = pending.toString("latin1", 0, nl);
    const run = /^run (\d+)$/.exec(head);
    if (run) {
      const end = nl + 1 + Number(run[1]);
      if (pending.length < end) return;
      const payload = pending.subarray(nl + 1, end);
      pending = pending.subarray(end);
      if (!child) start(payload);
      continue;
    }
    pending = pending.subarray(nl + 1);
    const signal = /^signal (SIG[A-Z0-9]+)$/.exec(head);
    if (signal && child && child.pid !== undefined) try { process.kill(-child.pid, signal[1]); } catch {}
  }
});
process.stdin.on("end", quit);
process.stdout.on("error", quit);
put("ready");
`;
