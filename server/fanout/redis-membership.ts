/**
 * Whether a process must read a room's log back from Redis.
 *
 * A process that is alone with a room wrote every log entry since it loaded it, so reading the
 * stream back would only hand it its own writes (the whole of a follower's work on a room-affine
 * cluster or a single process). Each process therefore registers in the room's `procs` hash
 * (process id → expiry on Redis' clock) whenever it loads, appends or heartbeats, atomically with
 * that command, and learns how many other live processes are there and the room's epoch: the id
 * of the newest join notice, which a registration writes to the room's presence stream whenever
 * the process was not registered (first load, or back after its entry expired).
 *
 * The rules that keep a solo process from missing another's entry:
 * - it is solo only after an append that saw nobody else, at an epoch no join notice has passed;
 * - while solo, an append that sees anyone else, or a different epoch, makes it shared again from
 *   its last safe log id (entries after it are read, its own skipped), as does a join notice from
 *   another process, which it reads on the presence stream it always follows;
 * - another process can only write after registering, and registering when not registered
 *   always moves the epoch and writes a notice. So any foreign entry after the safe id is
 *   preceded by a change the solo process sees at its next append or on the presence stream.
 * Going back from shared to solo waits until the log has been read up to that solo append.
 */

/** Compares two stream ids "ms-seq": negative, 0 or positive. */
export function compareIds(a: string, b: string): number {
  const [am = 0, as = 0] = a.split('-').map(Number);
  const [bm = 0, bs = 0] = b.split('-').map(Number);
  return am !== bm ? am - bm : as - bs;
}

/** One room's read positions and whether its log must be followed. */
export class RoomFollowState {
  /** Every log entry up to this id is in this process's doc (read, or written by it). */
  logId: string;
  /** Presence entries up to this id have been read. */
  awId: string;
  /** Another process has (or may have) the room loaded: read the log stream. */
  shared: boolean;
  /** While solo: the epoch under which nobody else was registered. */
  private epoch: string;
  /** The newest join notice of another process seen on the presence stream. */
  private joinSeen = '0-0';
  /** While shared: an own append made with nobody else there; solo once the log is read up to it. */
  private soloAt: { id: string; epoch: string } | null = null;

  constructor(loaded: { logId: string; awId: string; others: number; epoch: string }) {
    this.logId = loaded.logId;
    this.awId = loaded.awId;
    this.shared = loaded.others > 0;
    this.epoch = loaded.epoch;
  }

  /**
   * The outcome of a registration: `others` live processes besides this one at `epoch`, and the
   * id of the entry appended with it if it was an append. Returns true if the room has just
   * become shared, so the follower must start reading its log.
   */
  registered(others: number, epoch: string, appendedId?: string): boolean {
    const alone = others === 0;
    if (!this.shared) {
      if (alone && epoch === this.epoch) {
        // Nobody registered since the last safe id, so nobody else wrote after it either.
        if (appendedId !== undefined) this.logId = appendedId;
        return false;
      }
      this.shared = true;
      this.soloAt = alone && appendedId !== undefined ? { id: appendedId, epoch } : null;
      this.trySolo();
      return this.shared;
    }
    if (!alone) this.soloAt = null;
    else if (appendedId !== undefined) this.soloAt = { id: appendedId, epoch };
    this.trySolo();
    return false;
  }

  /** The follower read log entries up to `id`. */
  readLog(id: string): void {
    this.logId = id;
    this.trySolo();
  }

  /** The follower read another process's join notice `id`. Returns true if the room has just become shared. */
  joined(id: string): boolean {
    if (compareIds(id, this.joinSeen) > 0) this.joinSeen = id;
    if (this.shared || compareIds(id, this.epoch) <= 0) return false;
    this.shared = true;
    this.soloAt = null;
    return true;
  }

  private trySolo(): void {
    const soloAt = this.soloAt;
    if (!soloAt || compareIds(this.logId, soloAt.id) < 0) return;
    this.soloAt = null;
    // A notice after that append's epoch means someone joined since: stay shared.
    if (compareIds(this.joinSeen, soloAt.epoch) > 0) return;
    this.shared = false;
    this.epoch = soloAt.epoch;
  }
}
