/**
 * The limits that keep one client from taking the server down for everyone: per-connection token
 * buckets, per-IP connection counts, the per-IP rate of new connections and of uploaded bytes
 * (the asset endpoint). (The awareness state
 * size is checked where states are decoded, in awareness-store.ts.) Each refusal names its close
 * code; the caller closes only the offending connection.
 */
import type { IncomingMessage } from 'node:http';
import { CLOSE_CODE } from '../shared/protocol.ts';
import { LimitError } from './errors.ts';

/**
 * A token bucket: `ratePerSecond` tokens flow in, up to `capacity` (the burst). A rate of 0
 * disables the bucket (take always succeeds).
 */
export class TokenBucket {
  private tokens: number;
  private last: number;

  constructor(
    private readonly ratePerSecond: number,
    private readonly capacity: number,
    private readonly now: () => number = () => performance.now(),
  ) {
    this.tokens = capacity;
    this.last = now();
  }

  /** Takes `amount` tokens if the bucket holds them; false (and takes nothing) otherwise. */
  take(amount: number): boolean {
    if (this.ratePerSecond <= 0) return true;
    this.refill();
    if (this.tokens < amount) return false;
    this.tokens -= amount;
    return true;
  }

  /** How long until `amount` tokens could be taken, in ms: 0 now, Infinity never (more than the bucket holds). */
  msUntil(amount: number): number {
    if (this.ratePerSecond <= 0) return 0;
    if (amount > this.capacity) return Infinity;
    this.refill();
    return Math.max(0, ((amount - this.tokens) / this.ratePerSecond) * 1000);
  }

  private refill(): void {
    const now = this.now();
    this.tokens = Math.min(this.capacity, this.tokens + ((now - this.last) / 1000) * this.ratePerSecond);
    this.last = now;
  }
}

export interface RateLimitOptions {
  /** Messages per second per connection (0: unlimited). */
  rateMessages: number;
  /** Bytes per second per connection (0: unlimited). */
  rateBytes: number;
  /** How many seconds' worth of the rate a connection may spend at once. */
  rateBurstSeconds: number;
  /** The largest message: the byte bucket always holds at least one of it. */
  maxMessageBytes: number;
}

/** A connection's message and byte buckets; `admit` throws LimitError(rateLimited) when over. */
export function createRateLimiter(options: RateLimitOptions): { admit(bytes: number): void } {
  const messages = new TokenBucket(options.rateMessages, Math.max(1, options.rateMessages * options.rateBurstSeconds));
  const bytes = new TokenBucket(options.rateBytes, Math.max(options.maxMessageBytes, options.rateBytes * options.rateBurstSeconds));
  return {
    admit(size) {
      if (!messages.take(1)) throw new LimitError(CLOSE_CODE.rateLimited, `more than ${options.rateMessages} messages/s`);
      if (!bytes.take(size)) throw new LimitError(CLOSE_CODE.rateLimited, `more than ${options.rateBytes} bytes/s`);
    },
  };
}

/** Open connections per client address. */
export interface IpCounter {
  /** Counts a connection from `ip`; false (and counts nothing) if `ip` is at the limit. */
  acquire(ip: string): boolean;
  release(ip: string): void;
  /** Addresses with at least one connection (for leak checks). */
  readonly size: number;
}

/** An IpCounter allowing `max` connections per address (0: unlimited). */
export function createIpCounter(max: number): IpCounter {
  const counts = new Map<string, number>();
  return {
    acquire(ip) {
      const count = counts.get(ip) ?? 0;
      if (max > 0 && count >= max) return false;
      counts.set(ip, count + 1);
      return true;
    },
    release(ip) {
      const count = counts.get(ip) ?? 0;
      if (count <= 1) counts.delete(ip);
      else counts.set(ip, count - 1);
    },
    get size() {
      return counts.size;
    },
  };
}

/** New connections per client address. */
export interface ConnectionRate {
  /** Counts a new connection from `ip`; false (and counts nothing) if `ip` has spent its burst. */
  admit(ip: string): boolean;
  /** Addresses with a bucket that is not full again yet (for leak checks). */
  readonly size: number;
}

/** Anything counted per client address (new connections, uploaded bytes) against a rate. */
export interface AddressRate {
  /**
   * Takes `amount` from `ip`'s bucket: 0 if it held that much, else (taking nothing) how many ms
   * until it will, Infinity if `amount` is more than the bucket ever holds.
   */
  take(ip: string, amount: number): number;
  /** Addresses with a bucket that is not full again yet (for leak checks). */
  readonly size: number;
}

/**
 * An AddressRate: a token bucket of `burst` per address, refilled at `ratePerSecond` (0:
 * unlimited). A bucket is dropped once it would be full again, so an address that stopped
 * coming costs nothing; the sweep runs at most once per refill time, from take.
 */
export function createAddressRate(ratePerSecond: number, burst: number, now: () => number = () => performance.now()): AddressRate {
  const buckets = new Map<string, { bucket: TokenBucket; lastTakeAt: number }>();
  const refillMs = ratePerSecond > 0 ? (burst / ratePerSecond) * 1000 : 0;
  let lastSweepAt = now();
  return {
    take(ip, amount) {
      if (ratePerSecond <= 0) return 0;
      const at = now();
      if (at - lastSweepAt >= refillMs) {
        lastSweepAt = at;
        for (const [address, { lastTakeAt }] of buckets) if (at - lastTakeAt >= refillMs) buckets.delete(address);
      }
      let entry = buckets.get(ip);
      if (!entry) {
        entry = { bucket: new TokenBucket(ratePerSecond, burst, now), lastTakeAt: at };
        buckets.set(ip, entry);
      }
      if (!entry.bucket.take(amount)) return Math.max(1, entry.bucket.msUntil(amount));
      entry.lastTakeAt = at;
      return 0;
    },
    get size() {
      return buckets.size;
    },
  };
}

/** A ConnectionRate: an AddressRate counting one per new connection. */
export function createConnectionRate(ratePerSecond: number, burst: number, now: () => number = () => performance.now()): ConnectionRate {
  const rate = createAddressRate(ratePerSecond, burst, now);
  return {
    admit: (ip) => rate.take(ip, 1) === 0,
    get size() {
      return rate.size;
    },
  };
}

/**
 * The client's address. Behind a reverse proxy every socket comes from the proxy, so with
 * `trustProxy` the last X-Forwarded-For entry (the one our proxy appended) is used instead.
 */
export function clientAddress(req: IncomingMessage, trustProxy: boolean): string {
  if (trustProxy) {
    const header = req.headers['x-forwarded-for'];
    const value = Array.isArray(header) ? header.join(',') : header;
    const last = value?.split(',').pop()?.trim();
    if (last) return last;
  }
  return req.socket.remoteAddress ?? 'unknown';
}
