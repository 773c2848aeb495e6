/**
 * The seeded convergence fuzz (issue 19): several stock providers edit one board through the real
 * server (a child process on a temp LevelDB), with disconnects, offline spells and kill -9s of the
 * server, and at the end every client holds the same document, every record passes the schema
 * gate, and nothing the server had acknowledged as stored is gone.
 *
 * A run is a sequence of steps. In a step every client makes up to three edits, all in one
 * synchronous stretch, so no message is delivered meanwhile and the clients' edits are truly
 * concurrent; some clients probe (ask the server to acknowledge what they hold); some go offline
 * (and keep editing there), blip (reconnect at once) or come back; on a kill step the server is
 * killed with the step's edits unread, in flight or partly stored (KILL_MODES), a fresh client
 * checks that the restarted server holds everything acknowledged before anyone can re-send it,
 * and the clients are pointed at the new port. Then the online clients settle: each has sent everything it holds, holds everything the
 * others hold, and all are identical. Every choice comes from one PRNG and is made only when the
 * documents have settled, so a seed makes the same edits on every run; only what a kill catches in
 * flight varies, and the clients re-send that.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import * as Y from 'yjs';
import { getMetaMap, getShapesMap, readAllShapes, readSchemaVersion } from '../../shared/doc.ts';
import { SCHEMA_VERSION } from '../../shared/schema.ts';
import { AckedClient } from './acked-client.ts';
import { startChildServer, type ChildServer } from './child-server.ts';
import { connectClient, poll, seededRandom } from './client.ts';
import { makeTempDir } from './server.ts';
import { EDIT_KINDS, Picker, randomEdit, type EditKind } from './shape-edits.ts';

export interface ConvergenceOptions {
  seed: number;
  /** Clients editing the board (default 4). */
  clients?: number;
  /** Steps of the run (default 30). */
  steps?: number;
  /** kill -9s of the server during the run, at steps the seed picks (default 2); one more ends every run. */
  kills?: number;
  /** Extra server flags, such as ['--write-interval-ms', '20']. */
  serverArgs?: string[];
  /** Longest wait for any one condition, ms (default 20,000). */
  timeoutMs?: number;
  /** Receives each line of the run's trace as it happens. */
  onTrace?: (line: string) => void;
}

export interface ConvergenceResult {
  seed: number;
  steps: number;
  edits: Record<EditKind, number>;
  /** kill -9s, the final one included. */
  kills: number;
  /** Clients that went offline for at least one step, and reconnects in the same step. */
  offlineSpells: number;
  blips: number;
  /** Probes the server answered, each one an acknowledgement checked after the next kill. */
  acks: number;
  /** Shapes on the board at the end. */
  shapes: number;
  /** Times a server compacted the room's log (past 500 entries, so only in long runs). */
  compactions: number;
  /** A hash of the final board's content: two runs of one seed end with the same. */
  digest: string;
  /** Close codes the clients saw, with how often (1006 and 1005 are kills and local closes). */
  closeCodes: Record<number, number>;
  /** Warnings and errors the server processes logged, each with how often. */
  serverComplaints: Record<string, number>;
  elapsedMs: number;
}

/** A run that did not converge, lost something acknowledged or broke the schema. */
export class ConvergenceError extends Error {
  readonly code = 'CONVERGENCE_FAILED';

  constructor(
    readonly seed: number,
    readonly step: number | null,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = 'ConvergenceError';
  }
}

/** A seed as the tests and the benchmark print it: 0x plus eight hex digits. */
export function formatSeed(seed: number): string {
  return `0x${(seed >>> 0).toString(16).padStart(8, '0')}`;
}

const DEFAULTS = { clients: 4, steps: 30, kills: 2, timeoutMs: 20_000 };
/**
 * When a kill step's kill -9 lands: on a server frozen (SIGSTOP) before the step's edits, so none
 * of them is stored; right after the edits, racing their write; or after the first edit was
 * relayed, so it lands between writes.
 */
const KILL_MODES = ['frozen', 'in flight', 'after a relay'] as const;
type KillMode = (typeof KILL_MODES)[number];
const KILL_MODE_WORDS: Record<KillMode | 'at the end', string> = {
  frozen: 'of the frozen server, the edits unread',
  'in flight': 'with the edits in flight',
  'after a relay': 'once an edit was relayed',
  'at the end': 'at the end',
};

/** What a fresh client of a restarted server got. */
interface StoredBoard {
  snapshot: Y.Snapshot;
  content: string;
}

/** Servers log at debug level, where compactions are logged with this message (server/room/compactor.ts). */
const SERVER_LOG_ARGS = ['--log-level', 'debug'];
const COMPACTED_MESSAGE = '"msg":"compacted room log"';

/** How likely, per client and step, each thing is. */
const CHANCE = {
  /** An online client probes, once after its edits and once after the step settled. */
  probe: 0.3,
  /** An online client goes offline for an offline spell … */
  goOffline: 0.08,
  /** … or drops its socket and reconnects at once. */
  blip: 0.05,
  /** An offline client comes back. */
  comeBack: 0.35,
};

/** Lines of the trace a failure message ends with. */
const TRACE_TAIL = 30;

/** Runs one seed; resolves with what it did, or rejects with a ConvergenceError naming the seed. */
export async function runConvergence(options: ConvergenceOptions): Promise<ConvergenceResult> {
  const run = new ConvergenceRun(options);
  try {
    return await run.execute();
  } catch (error) {
    throw run.asFailure(error);
  } finally {
    await run.close();
  }
}

/**
 * What `have` lacks of `want`: structs past its state vector and deletions it has not made, in
 * words; null if it holds all of it.
 */
export function describeMissing(have: Y.Snapshot, want: Y.Snapshot): string | null {
  const gaps: string[] = [];
  for (const [client, clock] of want.sv) {
    const got = have.sv.get(client) ?? 0;
    if (got < clock) gaps.push(`client ${client} clocks ${got}..${clock - 1}`);
  }
  if (!Y.equalDeleteSets(have.ds, Y.mergeDeleteSets([have.ds, want.ds]))) {
    let count = 0;
    const first: string[] = [];
    want.ds.clients.forEach((items, client) => {
      for (const { clock, len } of items) {
        for (let c = clock; c < clock + len; c++) {
          if (Y.isDeleted(have.ds, Y.createID(client, c))) continue;
          count++;
          if (first.length < 5) first.push(`${client}:${c}`);
        }
      }
    });
    gaps.push(`${count} deletions (${first.join(', ')}${count > first.length ? ', …' : ''})`);
  }
  return gaps.length === 0 ? null : gaps.join('; ');
}

/** JSON with object keys sorted: two docs integrate map keys in different orders. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) =>
    v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) : v,
  );
}

/** The board's content as canonical JSON: what two identical documents show alike. */
function contentOf(doc: Y.Doc): string {
  return canonicalJson({ meta: getMetaMap(doc).toJSON(), shapes: getShapesMap(doc).toJSON() });
}

/** Records of `doc` the schema gate refuses, in words; null if none. */
function schemaProblems(doc: Y.Doc): string | null {
  const problems: string[] = [];
  readAllShapes(doc, (problem) => problems.push(`${problem.id}: ${problem.reason}`));
  return problems.length === 0 ? null : problems.join('; ');
}

/** `promise`, or a rejection naming `what` once `ms` have passed. */
function within<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms: ${what}`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * The warnings and errors a server logged, one line each; with `plain`, also its lines that are
 * not JSON log entries (a crash's stack trace, its start-up banner).
 */
function serverComplaints(server: ChildServer, plain = false): string[] {
  const out: string[] = [];
  for (const line of server.lines) {
    let entry: { level?: number; msg?: string; err?: { message?: string } };
    try {
      entry = JSON.parse(line) as typeof entry;
    } catch {
      if (plain) out.push(line);
      continue;
    }
    if ((entry.level ?? 0) >= 40) out.push(`${entry.msg ?? ''}${entry.err?.message ? `: ${entry.err.message}` : ''}`);
  }
  return out;
}

class ConvergenceRun {
  private readonly seed: number;
  private readonly clientCount: number;
  private readonly steps: number;
  private readonly kills: number;
  private readonly serverArgs: string[];
  private readonly timeoutMs: number;
  private readonly onTrace: ((line: string) => void) | undefined;
  private readonly pick: Picker;
  private readonly room: string;
  private readonly started = performance.now();
  private readonly trace: string[] = [];
  private readonly servers: ChildServer[] = [];
  private readonly clients: AckedClient[] = [];
  /** Clients meant to be connected; the others are on an offline spell. */
  private readonly online = new Set<AckedClient>();
  private readonly created = new Map<AckedClient, number>();
  private readonly edits = Object.fromEntries(EDIT_KINDS.map((kind) => [kind, 0])) as Record<EditKind, number>;
  private dataDir: string | null = null;
  private step: number | null = null;
  private killCount = 0;
  private offlineSpells = 0;
  private blips = 0;

  constructor(options: ConvergenceOptions) {
    this.seed = options.seed >>> 0;
    this.clientCount = options.clients ?? DEFAULTS.clients;
    this.steps = options.steps ?? DEFAULTS.steps;
    this.kills = Math.min(options.kills ?? DEFAULTS.kills, this.steps);
    this.serverArgs = [...SERVER_LOG_ARGS, ...(options.serverArgs ?? [])];
    this.timeoutMs = options.timeoutMs ?? DEFAULTS.timeoutMs;
    this.onTrace = options.onTrace;
    this.pick = new Picker(seededRandom(this.seed));
    this.room = `fuzz-${formatSeed(this.seed)}`;
  }

  private get server(): ChildServer {
    const server = this.servers[this.servers.length - 1];
    if (!server) throw new Error('no server started');
    return server;
  }

  async execute(): Promise<ConvergenceResult> {
    this.dataDir = await makeTempDir('easel-fuzz-');
    this.servers.push(await startChildServer(this.dataDir, this.serverArgs));
    const ids = new Set<number>();
    while (ids.size < this.clientCount) ids.add(this.pick.int(1, 0x7fffffff));
    for (const clientId of ids) {
      const client = new AckedClient({ name: `c${this.clients.length}`, syncUrl: this.server.syncUrl, room: this.room, clientId });
      this.clients.push(client);
      this.online.add(client);
      this.created.set(client, 0);
    }
    await this.settle([]);

    const killSteps = new Set<number>();
    while (killSteps.size < this.kills) killSteps.add(this.pick.int(1, this.steps));
    for (let step = 1; step <= this.steps; step++) {
      this.step = step;
      await this.runStep(killSteps.has(step));
    }
    this.step = null;
    return this.finish();
  }

  private log(line: string): void {
    const entry = this.step === null ? line : `step ${this.step}: ${line}`;
    this.trace.push(entry);
    this.onTrace?.(entry);
  }

  private async runStep(kill: boolean): Promise<void> {
    // Kills go through the modes in turn, from where the seed says: a few seeds cover them all.
    const killMode = kill ? KILL_MODES[(this.seed + this.killCount) % KILL_MODES.length]! : null;
    if (killMode === 'frozen') await this.freezeServer();
    // Edits, all before any message can arrive: concurrent across clients.
    for (const client of this.clients) {
      for (let n = this.pick.int(0, 3); n > 0; n--) {
        const edit = randomEdit(client.doc, this.pick, () => {
          const count = this.created.get(client)! + 1;
          this.created.set(client, count);
          return `${client.name}-${count}`;
        });
        this.edits[edit.kind]++;
        this.log(`${client.name}${this.online.has(client) ? '' : ' (offline)'} ${edit.kind} ${edit.id} ${edit.detail}`.trimEnd());
      }
    }
    // Probes sent right after edits: their answers must wait for those edits' write.
    for (const client of this.clients) if (this.pick.chance(CHANCE.probe) && this.online.has(client)) void client.probe();

    // What a client that leaves had sent: the others must still get it from the server.
    const leftBehind: Uint8Array[] = [];
    for (const client of this.clients) {
      const roll = this.pick.random();
      if (this.online.has(client)) {
        // Not on a kill step: what a leaving client sent may die with the server, and nobody
        // would re-send it until it is back.
        if (roll < CHANCE.goOffline && killMode === null) {
          leftBehind.push(Y.encodeStateAsUpdate(client.doc));
          client.provider.disconnect();
          this.online.delete(client);
          this.offlineSpells++;
          this.log(`${client.name} goes offline`);
        } else if (roll >= CHANCE.goOffline && roll < CHANCE.goOffline + CHANCE.blip) {
          client.provider.disconnect();
          client.provider.connect();
          this.blips++;
          this.log(`${client.name} reconnects at once`);
        }
      } else if (roll < CHANCE.comeBack) {
        client.provider.connect();
        this.online.add(client);
        this.log(`${client.name} comes back online`);
      }
    }
    if (killMode !== null) await this.crashAndRestart(killMode);

    await this.settle(leftBehind);
    for (const client of this.clients) {
      const problems = schemaProblems(client.doc);
      if (problems) throw new Error(`${client.name} holds records the schema gate refuses: ${problems}`);
    }
    for (const client of this.clients) if (this.pick.chance(CHANCE.probe) && this.online.has(client)) void client.probe();
  }

  /**
   * SIGSTOP of the server, waiting until it is stopped: a signal can take milliseconds to land
   * (long enough here for a server to store hundreds of updates), and the edits of a frozen step
   * must reach the socket and never the store.
   */
  private async freezeServer(): Promise<void> {
    const { child } = this.server;
    child.kill('SIGSTOP');
    this.log('server frozen (SIGSTOP)');
    const stat = `/proc/${child.pid}/stat`;
    // Without /proc (not Linux) the step still runs, only with a race like 'in flight'.
    if (!existsSync(stat)) return;
    // The state is the field after the parenthesised command name; T: stopped.
    await poll(async () => /\)\s+T/.test(await readFile(stat, 'utf8')), 'the server to stop after SIGSTOP', this.timeoutMs);
  }

  /**
   * Waits until `check` returns null, re-checking after any client activity; on timeout fails
   * with the last thing `check` said was still wrong.
   */
  private until(check: () => string | null, what: string): Promise<void> {
    return new Promise((resolve, reject) => {
      let last: string | null = null;
      let scheduled = false;
      const removers: Array<() => void> = [];
      const finish = (error?: Error): void => {
        clearTimeout(timer);
        for (const remove of removers) remove();
        if (error) reject(error);
        else resolve();
      };
      const probe = (): void => {
        scheduled = false;
        try {
          last = check();
        } catch (error) {
          finish(error as Error);
          return;
        }
        if (last === null) finish();
      };
      const schedule = (): void => {
        if (scheduled) return;
        scheduled = true;
        setImmediate(probe);
      };
      const timer = setTimeout(() => finish(new Error(`timed out after ${this.timeoutMs} ms: ${what}: ${last ?? 'never checked'}`)), this.timeoutMs);
      for (const client of this.clients) removers.push(client.onActivity(schedule));
      schedule();
    });
  }

  /**
   * Waits until every online client has sent all it holds, holds everything the online clients
   * and `leftBehind` hold, and all of them are identical.
   */
  private async settle(leftBehind: readonly Uint8Array[]): Promise<void> {
    const online = this.clients.filter((client) => this.online.has(client));
    const union = new Y.Doc();
    for (const client of online) Y.applyUpdate(union, Y.encodeStateAsUpdate(client.doc));
    for (const update of leftBehind) Y.applyUpdate(union, update);
    const target = Y.snapshot(union);
    union.destroy();
    await this.until(() => {
      for (const client of online) {
        if (!client.ready) return `${client.name} is not connected and synced (close codes so far: ${JSON.stringify(Object.fromEntries(client.closeCodes))})`;
      }
      const snapshots = online.map((client) => Y.snapshot(client.doc));
      for (const [i, client] of online.entries()) {
        const missing = describeMissing(snapshots[i]!, target);
        if (missing) return `${client.name} lacks ${missing}`;
      }
      // The server may add to all of them (its schema version, written again after a crash).
      for (let i = 1; i < online.length; i++) {
        if (!Y.equalSnapshots(snapshots[0]!, snapshots[i]!)) return `${online[0]!.name} and ${online[i]!.name} differ`;
      }
      return null;
    }, `settling ${online.map((client) => client.name).join(', ') || 'no clients'}`);
  }

  /**
   * kill -9 of the server, a restart on the same data folder, and a check that it holds every
   * acknowledged snapshot before any client could re-send what it lost.
   */
  private async crashAndRestart(mode: KillMode | 'at the end'): Promise<StoredBoard> {
    if (mode === 'after a relay') {
      // A relayed edit is stored: the kill then lands after a write, with later ones in flight.
      // If nothing is relayed (one client online, or no edits), it lands all the same.
      await new Promise<void>((resolve) => {
        const removers: Array<() => void> = [];
        const done = (): void => {
          clearTimeout(timer);
          for (const remove of removers) remove();
          resolve();
        };
        const timer = setTimeout(done, 2000);
        for (const client of this.clients) {
          const onUpdate = (_update: Uint8Array, origin: unknown): void => {
            if (origin === client.provider) done();
          };
          client.doc.on('update', onUpdate);
          removers.push(() => client.doc.off('update', onUpdate));
        }
      });
    }
    const old = this.server;
    this.killCount++;
    this.log(`kill -9 #${this.killCount} ${KILL_MODE_WORDS[mode]}`);
    old.child.kill('SIGKILL');
    await within(old.exited, this.timeoutMs, 'the killed server to exit');
    // Each provider must have seen its socket die before it is pointed at the new server.
    await this.until(() => {
      const open = this.clients.filter((client) => client.provider.wsconnected);
      return open.length === 0 ? null : `${open.map((client) => client.name).join(', ')} still connected`;
    }, 'clients to notice the kill');
    this.servers.push(await startChildServer(this.dataDir!, this.serverArgs));
    // The clients still try the old port, so none can re-send what the kill lost before this
    // check (unless the OS gives the new server the old port, which only makes it weaker).
    const stored = await this.checkStored(`after kill -9 #${this.killCount}`);
    for (const client of this.clients) client.repoint(this.server.syncUrl);
    return stored;
  }

  /** A fresh client of the current server holds every acknowledged snapshot; returns its doc's content. */
  private async checkStored(label: string): Promise<StoredBoard> {
    const fresh = connectClient(this.server.syncUrl, this.room);
    try {
      await within(fresh.synced, this.timeoutMs, `${label}: a fresh client to sync`);
      const snapshot = Y.snapshot(fresh.doc);
      for (const client of this.clients) {
        if (client.acked === null) continue;
        const missing = describeMissing(snapshot, client.acked);
        if (missing) throw new Error(`${label}: the server lost what it had acknowledged to ${client.name}: ${missing}`);
      }
      const problems = schemaProblems(fresh.doc);
      if (problems) throw new Error(`${label}: the stored board holds records the schema gate refuses: ${problems}`);
      this.log(`${label}: the restarted server holds everything acknowledged`);
      return { snapshot, content: contentOf(fresh.doc) };
    } finally {
      fresh.destroy();
    }
  }

  /** Everyone back online and settled, every client's edits acknowledged, then the final checks. */
  private async finish(): Promise<ConvergenceResult> {
    for (const client of this.clients) {
      if (this.online.has(client)) continue;
      client.provider.connect();
      this.online.add(client);
      this.log(`${client.name} comes back online for the end`);
    }
    await this.settle([]);
    const answered = await within(Promise.all(this.clients.map((client) => client.probe())), this.timeoutMs, 'the final probes');
    const unanswered = this.clients.filter((_client, i) => !answered[i]);
    if (unanswered.length > 0) throw new Error(`final probes of ${unanswered.map((client) => client.name).join(', ')} were not answered`);

    const [first, ...rest] = this.clients;
    const snapshot = Y.snapshot(first!.doc);
    const content = contentOf(first!.doc);
    for (const client of rest) {
      if (!Y.equalSnapshots(snapshot, Y.snapshot(client.doc))) throw new Error(`${first!.name} and ${client.name} hold different documents`);
      if (contentOf(client.doc) !== content) throw new Error(`${first!.name} and ${client.name} show different content`);
    }
    for (const client of this.clients) {
      const problems = schemaProblems(client.doc);
      if (problems) throw new Error(`${client.name} holds records the schema gate refuses: ${problems}`);
      if (readSchemaVersion(client.doc) !== SCHEMA_VERSION) throw new Error(`${client.name} has schema version ${readSchemaVersion(client.doc)}`);
    }

    const stored = await this.crashAndRestart('at the end');
    if (!Y.equalSnapshots(snapshot, stored.snapshot)) {
      throw new Error(`a fresh client after the last restart holds a different document: ${describeMissing(stored.snapshot, snapshot) ?? 'it holds more than the clients'}`);
    }
    if (stored.content !== content) throw new Error('a fresh client after the last restart shows different content');

    const closeCodes: Record<number, number> = {};
    for (const client of this.clients) for (const [code, count] of client.closeCodes) closeCodes[code] = (closeCodes[code] ?? 0) + count;
    const serverComplaintCounts: Record<string, number> = {};
    for (const line of this.servers.flatMap((server) => serverComplaints(server))) serverComplaintCounts[line] = (serverComplaintCounts[line] ?? 0) + 1;
    return {
      seed: this.seed,
      steps: this.steps,
      edits: { ...this.edits },
      kills: this.killCount,
      offlineSpells: this.offlineSpells,
      blips: this.blips,
      acks: this.clients.reduce((sum, client) => sum + client.acks, 0),
      shapes: getShapesMap(first!.doc).size,
      compactions: this.servers.reduce((sum, server) => sum + server.lines.filter((line) => line.includes(COMPACTED_MESSAGE)).length, 0),
      digest: createHash('sha256').update(content).digest('hex').slice(0, 12),
      closeCodes,
      serverComplaints: serverComplaintCounts,
      elapsedMs: Math.round(performance.now() - this.started),
    };
  }

  /** A failure as a ConvergenceError naming the seed and step, with the trace's tail and the server's complaints. */
  asFailure(error: unknown): ConvergenceError {
    const message = error instanceof Error ? error.message : String(error);
    const where = this.step === null ? '' : `, step ${this.step} of ${this.steps}`;
    const complaints = this.servers.flatMap((server, i) => serverComplaints(server, true).map((line) => `  server #${i + 1}: ${line}`));
    const text = [
      `seed ${formatSeed(this.seed)}${where}: ${message}`,
      `last of the trace:`,
      ...this.trace.slice(-TRACE_TAIL).map((line) => `  ${line}`),
      ...(complaints.length > 0 ? ['server warnings, errors and plain output:', ...complaints.slice(-20)] : []),
    ].join('\n');
    return new ConvergenceError(this.seed, this.step, text, { cause: error });
  }

  async close(): Promise<void> {
    for (const client of this.clients) client.destroy();
    for (const server of this.servers) {
      if (server.child.exitCode === null && server.child.signalCode === null) server.child.kill('SIGKILL');
      await server.exited;
    }
    if (this.dataDir) await rm(this.dataDir, { recursive: true, force: true });
  }
}
