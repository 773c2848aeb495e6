/**
 * What other server processes send to a room, apart from the store: their document updates (each
 * stored by its sender before it was published), a catch-up when this process fell behind, and
 * presence. local-fanout.ts: a single process, nothing to follow; redis-fanout.ts: scale-out.
 */

/** Receivers of what other server processes sent to a room. */
export interface RemoteHandlers {
  /**
   * Document updates another process stored, in log order (all that one read returned for the
   * room); they must not be stored or published again.
   */
  updates(updates: readonly Uint8Array[]): void;
  /**
   * The room's stored state, read again because this process fell behind a trimmed log and may
   * have missed entries: apply it, and relay only what the doc did not hold. Never stored again.
   */
  missed(updates: readonly Uint8Array[]): void;
  /** An awareness update a client of another process sent. */
  awareness(update: Uint8Array): void;
}

/** One loaded room's line to the other processes. */
export interface RoomChannel {
  /**
   * Delivers to `handlers` what other processes send to the room from where this process's
   * store loaded it (what came in between is handed over first, in order). Called once the
   * room's doc holds its stored log.
   */
  follow(handlers: RemoteHandlers): void;
  /**
   * Passes a local awareness change on to the other processes. Absent where there are none, so
   * the room does not encode presence for nobody.
   */
  readonly publishAwareness?: (update: Uint8Array) => void;
  /** Stops delivering to the room (it is being unloaded). */
  close(): void;
}

export interface Fanout {
  /** Whether other processes may share a room: presence is encoded for them only then. */
  readonly shared: boolean;
  /** The room's channel; called right after the store opened the room's log. */
  join(room: string): RoomChannel;
  /** Stops following every room; before the store's connections close. */
  close(): Promise<void>;
}
