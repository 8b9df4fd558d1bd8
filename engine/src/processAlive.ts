/**
 * Whether a process with this id runs (EPERM: it does, as another user). Our own id counts as alive. Temporary
 * files and folders carry their writer's pid, so that only those of dead runs are cleaned up.
 */
export function processIsAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
