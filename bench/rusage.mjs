// Loaded with `node --import` into a benchmarked process: reports its peak RSS and CPU time on
// file descriptor 3 when it exits.
import { writeSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

if (isMainThread)
  process.on('exit', () => {
    const u = process.resourceUsage();
    try {
      writeSync(
        3,
        JSON.stringify({
          maxRssKiB: u.maxRSS,
          userMs: u.userCPUTime / 1000,
          systemMs: u.systemCPUTime / 1000,
        }),
      );
    } catch {
      // fd 3 not open: run outside the bench harness.
    }
  });
