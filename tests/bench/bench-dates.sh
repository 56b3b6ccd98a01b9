#!/bin/sh
# Ticks per second of `updraft dates` against croniter, on the same ranges.
#
# Each row times the whole `updraft dates ... --utc` command, process start
# included, and croniter's get_next loop alone (Python's start and import
# not counted) over [FROM, TO); both must print the same ticks. Best of
# BENCH_RUNS runs (default 3) each. Run through `make bench`.
set -u

: "${UPDRAFT_BIN:=$(cd "$(dirname "$0")/../.." && pwd)/build/updraft}"
: "${BENCH_RUNS:=3}"
work=$(mktemp -d "${TMPDIR:-/tmp}/updraft-bench.XXXXXX")
trap 'rm -rf "$work"' EXIT

if ! /usr/bin/python3 -c 'import croniter' 2>/dev/null; then
	echo "bench-dates: no python3-croniter: run scripts/install-deps" >&2
	exit 1
fi

# Seconds since the epoch, to the nanosecond.
now() {
	date +%s.%N
}

# updraft_time EXPR FROM TO: the best wall time of BENCH_RUNS runs; the
# ticks are left in $work/updraft.
updraft_time() {
	best=
	i=0
	while [ "$i" -lt "$BENCH_RUNS" ]; do
		t0=$(now)
		"$UPDRAFT_BIN" dates "$1" --from "$2" --to "$3" --utc \
		    > "$work/updraft" || exit 1
		t1=$(now)
		best=$(echo "$t0 $t1 ${best:-inf}" | awk '{
		    d = $2 - $1; if ($3 != "inf" && $3 < d) d = $3;
		    printf "%.6f", d }')
		i=$((i + 1))
	done
	echo "$best"
}

# croniter_time EXPR FROM TO: the same for croniter; ticks in $work/croniter.
croniter_time() {
	/usr/bin/python3 - "$1" "$2" "$3" "$BENCH_RUNS" "$work/croniter" <<'PY'
import sys
import time
from datetime import datetime, timedelta, timezone

from croniter import croniter

expr, t1, t2, runs, out = sys.argv[1:]
t1 = datetime.fromisoformat(t1.replace("Z", "+00:00"))
t2 = datetime.fromisoformat(t2.replace("Z", "+00:00"))
best = None
for _ in range(int(runs)):
    start = time.perf_counter()
    # get_next is strictly after; [t1, t2) includes t1 itself.
    it = croniter(expr, t1 - timedelta(seconds=1))
    ticks = []
    while True:
        t = it.get_next(datetime)
        if t >= t2:
            break
        ticks.append(t)
    d = time.perf_counter() - start
    best = d if best is None or d < best else best
with open(out, "w") as f:
    f.writelines(t.isoformat() + "\n" for t in ticks)
print("%.6f" % best)
PY
}

status=0
printf '%-22s %-10s %9s %10s %12s %10s %12s %8s\n' expression range ticks \
    "updraft s" "updraft t/s" "croniter s" "croniter t/s" ratio
while IFS='|' read -r expr label from to; do
	u=$(updraft_time "$expr" "$from" "$to")
	c=$(croniter_time "$expr" "$from" "$to") || exit 1
	n=$(wc -l < "$work/updraft")
	if ! cmp -s "$work/updraft" "$work/croniter"; then
		echo "bench-dates: '$expr': updraft and croniter differ" \
		    "($n and $(wc -l < "$work/croniter") ticks)" >&2
		status=1
	fi
	echo "$expr|$label|$n|$u|$c" | awk -F'|' '{
	    printf "%-22s %-10s %9d %10.3f %12.0f %10.3f %12.0f %7.0fx\n",
	    $1, $2, $3, $4, $3 / $4, $5, $3 / $5, $5 / $4 }'
done <<'CASES'
*/5 * * * *|1 year|2026-01-01T00:00:00Z|2027-01-01T00:00:00Z
0 3 * * 1-5|100 years|2000-01-01T00:00:00Z|2100-01-01T00:00:00Z
@hourly|10 years|2020-01-01T00:00:00Z|2030-01-01T00:00:00Z
0 0 13 * fri|400 years|2000-01-01T00:00:00Z|2400-01-01T00:00:00Z
*/15 9-17 * * mon-fri|10 years|2020-01-01T00:00:00Z|2030-01-01T00:00:00Z
CASES
echo "ratio: croniter's time over updraft's for the same ticks (goal: 50x)"
echo "machine: $(nproc) CPUs, $(sed -n 's/^model name[[:space:]]*: //p' \
    /proc/cpuinfo | head -n 1), $(date -u +%Y-%m-%d)"
exit "$status"
