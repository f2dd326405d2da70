import { type ChildProcess, spawn } from 'node:child_process';
import { RUN_ID_VARIABLE } from '../blender/invocation.js';

/**
 * Nothing the run starts outlives it, even when this process is killed outright (SIGKILL from
 * the OOM killer or a CI system, `kill -9`): no `finally` runs then, and a Blender in its own
 * process group would go on holding the add-on's port (measured: still there 60 s later).
 *
 * The guard is a small shell process beside us, started once, holding the read end of a pipe
 * only we write to. We tell it each process group we start ("+pgid") and stop ("-pgid"), and
 * each run's id. When we die, the kernel closes our end: its `read` sees the end of the file, and
 * it sends SIGTERM to every group still listed, SIGKILL two seconds later, then (Linux) SIGKILL
 * to every process whose environment carries one of the run ids (children that left their group).
 * When we exit normally the same happens to whatever is still listed (nothing, once every
 * teardown has run). Windows has no sh: there the guard does nothing (taskkill at teardown is
 * all there is).
 */
const GUARD_SCRIPT = `
groups=' '
tags=''
while IFS= read -r line; do
  case "$line" in
    +*) groups="$groups\${line#+} " ;;
    -*) groups=$(printf '%s' "$groups" | sed "s/ \${line#-} / /") ;;
    tag\\ *) tags="$tags \${line#tag }" ;;
  esac
done
for g in $groups; do kill -s TERM -- "-$g" 2>/dev/null; done
[ -n "\${groups# }" ] && sleep 2
for g in $groups; do kill -s KILL -- "-$g" 2>/dev/null; done
[ -n "$tags" ] && [ -d /proc/self ] || exit 0
for environ in /proc/[0-9]*/environ; do
  pid=\${environ#/proc/}; pid=\${pid%/environ}
  [ "$pid" = "$$" ] && continue
  for tag in $tags; do
    if tr '\\0' '\\n' < "$environ" 2>/dev/null | grep -q "^${RUN_ID_VARIABLE}=$tag"; then kill -s KILL "$pid" 2>/dev/null; break; fi
  done
done
`;

export class OrphanGuard {
  private child: ChildProcess | undefined;
  private broken = false;

  /** A process group of ours, to end if we die before we stop it. */
  watch(pgid: number): void {
    if (pgid > 0) this.send(`+${pgid}`);
  }

  /** The group has ended (or been stopped and checked): no longer the guard's. */
  forget(pgid: number): void {
    if (pgid > 0) this.send(`-${pgid}`);
  }

  /** A run's id: after the groups, every process still carrying it (or a tag made from it) is killed. */
  tag(runId: string): void {
    if (/^[\w-]+$/.test(runId)) this.send(`tag ${runId}`);
  }

  /** The guard's pid, once started (tests). */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** What our death does to the guard, without dying: its pipe closed (tests). */
  closePipe(): void {
    this.child?.stdin?.end();
  }

  private send(line: string): void {
    if (process.platform === 'win32' || this.broken) return;
    const child = this.start();
    if (!child?.stdin?.writable) return;
    child.stdin.write(`${line}\n`);
  }

  private start(): ChildProcess | undefined {
    if (this.child) return this.child;
    try {
      // Its own group and session: a ^C to our terminal's group must not end it before it has done its job.
      const child = spawn('sh', ['-c', GUARD_SCRIPT], { detached: true, stdio: ['pipe', 'ignore', 'ignore'], env: guardEnvironment() });
      child.on('error', () => (this.broken = true));
      child.stdin?.on('error', () => (this.broken = true));
      // Neither keeps us running: the guard's work starts when we are gone.
      child.unref();
      (child.stdin as unknown as { unref?: () => void } | null)?.unref?.();
      this.child = child;
      return child;
    } catch {
      this.broken = true;
      return undefined;
    }
  }
}

/** Ours, without a run id of its own: the guard must not find itself among a run's processes. */
function guardEnvironment(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  delete env[RUN_ID_VARIABLE];
  return env;
}

/** The one guard of this process: every group a run starts is told to it. */
export const orphanGuard = new OrphanGuard();
