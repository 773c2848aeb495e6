/**
 * Preloaded into a server under test (NODE_OPTIONS=--import, since --cpu-prof is not allowed
 * there) when the benchmark runs with --cpu-prof: profiles the whole process and writes a
 * .cpuprofile (open it in Chrome DevTools or speedscope) into BENCH_CPU_PROFILE_DIR at exit.
 */
import { Session } from 'node:inspector';
import { writeFileSync } from 'node:fs';
import path from 'node:path';

const dir = process.env.BENCH_CPU_PROFILE_DIR;
if (dir) {
  const session = new Session();
  session.connect();
  session.post('Profiler.enable');
  session.post('Profiler.start');
  process.on('exit', () => {
    // A same-thread inspector session answers synchronously, so this runs to the end in 'exit'.
    session.post('Profiler.stop', (error, result) => {
      if (error) return;
      writeFileSync(path.join(dir, `${path.basename(process.argv[1] ?? 'node', path.extname(process.argv[1] ?? ''))}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  });
  // A server without a SIGTERM handler of its own (the reference) would die without 'exit'.
  process.on('SIGTERM', () => {
    if (process.listenerCount('SIGTERM') === 1) process.exit(143);
  });
}
