// Jest's own order (a failed file first, then the longest by recorded time) with one change for
// files it has no time for: instead of the largest file first, the files whose header says
// `@long-running <seconds>` (about how long the file takes alone), longest first, then the rest
// by size. Several suites run side by side (ADR 0035); on a clean clone Jest knows no times, and a
// short file that runs whole fault scenarios (consumer-crash is 20 lines and takes minutes) would
// otherwise start last and finish alone.
const { readFileSync } = require('node:fs');
const Sequencer = require('@jest/test-sequencer').default;

const MARK = /@long-running (\d+)/;

function declaredSeconds(test) {
  const found = MARK.exec(readFileSync(test.path, 'utf8').slice(0, 4000));
  return found ? Number(found[1]) : 0;
}

class LongRunningFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const untimed = sorted.filter((test) => test.duration == null);
    const seconds = new Map(untimed.map((test) => [test, declaredSeconds(test)]));
    // Array.prototype.sort is stable: unmarked files keep Jest's largest-first order.
    const reordered = [...untimed].sort((a, b) => seconds.get(b) - seconds.get(a));
    // The untimed files keep their slots (after any that failed last time), in the new order.
    let next = 0;
    return sorted.map((test) => (test.duration == null ? reordered[next++] : test));
  }
}

module.exports = LongRunningFirst;
