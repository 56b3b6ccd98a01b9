#!/bin/sh
# Ticks per second of `updraft dates` against croniter, on the same ranges.
#
# Each row times the whole `updraft dates ... --utc` command, process start
# included, and croniter's get_next loop alone (Python's start and import
# not counted) over [FROM, TO); both must give the same ticks. Times are
# the best of BENCH_RUNS runs (default 3) on the monotonic clock. Run it
# through `make bench`; it exits 1 if the two disagree.
. "$(dirname "$0")/lib.sh"

: "${BENCH_RUNS:=3}"

if ! /usr/bin/python3 -c 'import croniter' 2>/dev/null; then
	echo "bench-dates: no python3-croniter: run scripts/install-deps" >&2
	exit 1
fi

/usr/bin/python3 - "$UPDRAFT_BIN" "$BENCH_RUNS" <<'PY'
import os
import subprocess
import sys
import time
from datetime import datetime, timedelta

from croniter import croniter

updraft, runs = sys.argv[1], int(sys.argv[2])
CASES = [
    # expression, range, from, to
    ("*/5 * * * *", "1 year", "2026-01-01T00:00:00+00:00",
     "2027-01-01T00:00:00+00:00"),
    ("0 3 * * 1-5", "100 years", "2000-01-01T00:00:00+00:00",
     "2100-01-01T00:00:00+00:00"),
    ("@hourly", "10 years", "2020-01-01T00:00:00+00:00",
     "2030-01-01T00:00:00+00:00"),
    ("0 0 13 * fri", "400 years", "2000-01-01T00:00:00+00:00",
     "2400-01-01T00:00:00+00:00"),
    ("*/15 9-17 * * mon-fri", "10 years", "2020-01-01T00:00:00+00:00",
     "2030-01-01T00:00:00+00:00"),
]


def best(f):
    """The shortest of runs wall times of f(), and its last result."""
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        out = f()
        times.append(time.perf_counter() - t0)
    return min(times), out


def run_updraft(expr, t1, t2):
    p = subprocess.run([updraft, "dates", expr, "--from", t1, "--to", t2,
                        "--utc"], stdout=subprocess.PIPE, check=True)
    return p.stdout.decode().splitlines()


def run_croniter(expr, t1, t2):
    t1 = datetime.fromisoformat(t1)
    t2 = datetime.fromisoformat(t2)
    # get_next is strictly after; [t1, t2) includes t1 itself.
    it = croniter(expr, t1 - timedelta(seconds=1))
    ticks = []
    while True:
        t = it.get_next(datetime)
        if t >= t2:
            return ticks
        ticks.append(t)


status = 0
ratios = []
fmt = "%-22s %-10s %8s %10s %12s %10s %12s %6s"
print(fmt % ("expression", "range", "ticks", "updraft s", "updraft t/s",
             "croniter s", "croniter t/s", "ratio"))
for expr, span, t1, t2 in CASES:
    tu, ours = best(lambda: run_updraft(expr, t1, t2))
    tc, theirs = best(lambda: run_croniter(expr, t1, t2))
    theirs = [t.isoformat() for t in theirs]
    if ours != theirs:
        print("bench-dates: '%s': updraft gives %d ticks, croniter %d, "
              "or they differ" % (expr, len(ours), len(theirs)),
              file=sys.stderr)
        status = 1
    n = len(ours)
    ratios.append(tc / tu)
    print("%-22s %-10s %8d %10.3f %12.0f %10.3f %12.0f %5.0fx" %
          (expr, span, n, tu, n / tu, tc, n / tc, tc / tu))
print("ratio: croniter's time over updraft's for the same ticks; "
      "lowest %.0fx (goal: 50x)" % min(ratios))
cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo")
            if l.startswith("model name")), "unknown CPU")
print("machine: %d CPUs, %s; %s" % (os.cpu_count(), cpu,
                                    time.strftime("%Y-%m-%d")))
sys.exit(status)
PY
