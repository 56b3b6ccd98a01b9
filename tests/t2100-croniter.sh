#!/bin/sh
# Our cron ticks against croniter's, on thousands of random expressions.
#
# /usr/bin/python3 draws 5-field expressions (lists, ranges, steps, names,
# "*", both day fields) and starts in 1990-2060 from a fixed seed, asks
# croniter (python3-croniter) for the next ticks in UTC, and asks
# tests/unit/cron-ticks, one process for every case, for ours.
. "$(dirname "$0")/lib.sh"

: "${CRON_TICKS:=$(dirname "$UPDRAFT_BIN")/tests/unit/cron-ticks}"
: "${CRONITER_CASES:=3000}"
: "${CRONITER_SEED:=2100}"	# the same cases every run unless asked

if ! /usr/bin/python3 -c 'import croniter' 2>/dev/null; then
	if [ "${CI:-}" = true ]; then
		echo "Bail out! no python3-croniter in CI"
		exit 1
	fi
	echo "1..0 # SKIP no python3-croniter: run scripts/install-deps"
	exit 0
fi

# The Python side prints one line per check: ok|not ok, TAB, what; then
# "#" lines of detail.
/usr/bin/python3 - "$CRON_TICKS" "$CRONITER_CASES" "$CRONITER_SEED" \
    > "$UPDRAFT_HOME/results" 2>&1 <<'EOF'
import random
import subprocess
import sys
from datetime import datetime, timedelta, timezone

from croniter import croniter

cron_ticks, ncases, seed = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
NTICKS = 20
rng = random.Random(seed)

MONTHS = "jan feb mar apr may jun jul aug sep oct nov dec".split()
DAYS = "sun mon tue wed thu fri sat".split()
# name, min, max, names (for min, min+1, ...)
FIELDS = [("minute", 0, 59, None), ("hour", 0, 23, None),
          ("dom", 1, 31, None), ("month", 1, 12, MONTHS),
          ("dow", 0, 7, DAYS)]
# How often a field is a lone "*": day fields mostly are, as in real use.
STAR = {"minute": 0.15, "hour": 0.3, "dom": 0.55, "month": 0.6, "dow": 0.6}


def value(lo, hi, first, names):
    """A number in [lo, hi], or its name in any case where it has one."""
    v = rng.randint(lo, hi)
    if names and v - first < len(names) and rng.random() < 0.4:
        name = names[v - first]
        return v, rng.choice([name, name.upper(), name.capitalize()])
    return v, str(v)


def item(lo, hi, names):
    """One list item: *, */s, a, a-b, a-b/s or a/s."""
    kind = rng.choice(["*/s", "a", "a", "a-b", "a-b", "a-b/s", "a/s"] * 3
                      + ["*"])
    step = str(rng.choice([rng.randint(1, 6), rng.randint(1, hi + 2)]))
    if kind == "*":
        return "*"
    if kind == "*/s":
        return "*/" + step
    a, ta = value(lo, hi, lo, names)
    if kind == "a":
        return ta
    if kind == "a/s":
        return ta + "/" + step
    b, tb = value(a, hi, lo, names)
    return ta + "-" + tb + ("/" + step if kind == "a-b/s" else "")


def field(name, lo, hi, names):
    if rng.random() < STAR[name]:
        return "*"
    return ",".join(item(lo, hi, names) for _ in range(rng.choice([1, 1, 2, 3])))


def expand(text, lo, hi, names):
    """The values a field names, read the way cron reads it."""
    out = set()
    for it in text.split(","):
        span, _, step = it.partition("/")
        step = int(step) if step else 1
        if span == "*":
            a, b = lo, hi
        else:
            ends = [names.index(p.lower()) + lo
                    if names and p.lower() in names else int(p)
                    for p in span.split("-")]
            a = ends[0]
            b = ends[1] if len(ends) == 2 else (hi if "/" in it else a)
        out.update(range(a, b + 1, step))
    return out


class Cron:
    """An expression as sets, and a plain day-by-day search for its ticks."""

    def __init__(self, fields):
        self.minute = expand(fields[0], 0, 59, None)
        self.hour = expand(fields[1], 0, 23, None)
        self.dom = expand(fields[2], 1, 31, None)
        self.month = expand(fields[3], 1, 12, MONTHS)
        self.dow = {d % 7 for d in expand(fields[4], 0, 7, DAYS)}
        self.dom_restricted = self.dom != set(range(1, 32))
        self.dow_restricted = self.dow != set(range(7))

    def day(self, d):
        if d.month not in self.month:
            return False
        in_dom = d.day in self.dom
        in_dow = (d.weekday() + 1) % 7 in self.dow     # Sunday 0
        if self.dom_restricted and self.dow_restricted:
            return in_dom or in_dow    # cron's OR rule
        return in_dom and in_dow

    def ticks(self, after, n):
        out = []
        d = after.replace(hour=0, minute=0, second=0)
        times = sorted((h, m) for h in self.hour for m in self.minute)
        for _ in range(366 * 400):
            if self.day(d):
                for h, m in times:
                    t = d.replace(hour=h, minute=m)
                    if t > after:
                        out.append(t.isoformat())
                        if len(out) == n:
                            return " ".join(out)
            d += timedelta(days=1)
        return " ".join(out) if out else "error: none in 400 years"


def feb_days(y):
    return 29 if y % 4 == 0 and (y % 100 != 0 or y % 400 == 0) else 28


def excluded(cron, start, ticks):
    """
    Why croniter's answer cannot be trusted here, or None. Each reason is
    a bug of croniter 1.3.5 (Debian 12); a case is left out only when it
    has the form and croniter's answer differs from a plain search's:

    - From a day in February whose next day in the day-of-month list is
      past the month's end plus one (30 or 31; 31 in a leap year),
      croniter adds the difference in days and lands beyond March 1st,
      skipping the days it should fire on ("*/10" skips March 1st):
      taichino/croniter#178, fixed upstream in pallets-eco/croniter#178.
      Left out only when the ticks cross the end of such a February.

    - Both day fields restricted where no month given has the day of the
      month ("0 0 30 2 tue"): cron's OR rule makes that the weekdays of
      those months; croniter looks for the day of the month and gives up
      with CroniterBadDateError. (Without a weekday we reject it too.)
    """
    if cron.dom_restricted and cron.dow_restricted and not any(
            d <= [31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][m - 1]
            for m in cron.month for d in cron.dom):
        return "croniter gives up on weekdays OR an impossible day"
    if 2 in cron.month and cron.dom_restricted:
        last = ticks.split()[-1] if not ticks.startswith("error") else None
        end = datetime.fromisoformat(last) if last else start
        for y in range(start.year, end.year + 1):
            feb_end = datetime(y, 3, 1, tzinfo=timezone.utc)
            if start < feb_end <= end and max(cron.dom) >= feb_days(y) + 2:
                return "croniter skips the 1st of March (croniter#178)"
    return None


def croniter_ticks(expr, start):
    try:
        it = croniter(expr, start)
        return " ".join(it.get_next(datetime).isoformat()
                        for _ in range(NTICKS))
    except Exception as e:        # CroniterBadDateError and kin
        return "error: " + type(e).__name__


lo_t = datetime(1990, 1, 1, tzinfo=timezone.utc)
span = int((datetime(2060, 1, 1, tzinfo=timezone.utc) - lo_t).total_seconds())
cases = []
while len(cases) < ncases:
    fields = [field(*f) for f in FIELDS]
    start = lo_t + timedelta(seconds=rng.randrange(span))
    if rng.random() < 0.5:
        start = start.replace(second=0)        # on a minute: strictly after
    cases.append((" ".join(fields), start, Cron(fields)))
# Forms worth having every time, whatever the seed draws.
PRESETS = {"@hourly": "0 * * * *", "@weekly": "0 0 * * 0",
           "@monthly": "0 0 1 * *", "@yearly": "0 0 1 1 *"}
for expr, start in [("0 0 30 2 *", "2026-01-01"),
                    ("0 0 30,31 2,4 *", "2026-01-01"),
                    ("0 0 30 2 tue", "2026-01-01"),
                    ("0 0 */10 * *", "2021-02-15"),
                    ("0 0 1,31 * *", "2032-02-15"),
                    ("*/12,30-31/12 * * * *", "2026-01-01T00:05"),
                    ("0 0 */12,30-31/12 * *", "2026-01-01"),
                    ("0 0 *,13 * fri", "2026-01-01"),
                    ("@hourly", "2026-01-01T00:30"),
                    ("@weekly", "2026-01-01"),
                    ("@monthly", "2026-01-01"),
                    ("@yearly", "2026-01-01")]:
    cases.append((expr, datetime.fromisoformat(start).replace(
        tzinfo=timezone.utc), Cron(PRESETS.get(expr, expr).split())))

stdin = "".join("%s\t%s\t%d\n" % (e, s.strftime("%Y-%m-%dT%H:%M:%SZ"), NTICKS)
                for e, s, _ in cases)
ours = subprocess.run([cron_ticks], input=stdin, capture_output=True,
                      text=True)
lines = ours.stdout.split("\n")[:-1]
ok = ours.returncode == 0 and len(lines) == len(cases)
print("%s\tcron-ticks answers each of %d cases" % ("ok" if ok else "not ok",
                                                   len(cases)))
if not ok:
    print("# exit %d, %d lines: %s" % (ours.returncode, len(lines),
                                       ours.stderr.strip()))
    sys.exit(0)


def agree(want, got):
    """croniter's impossible date is our parse error: both say never."""
    if want.startswith("error:"):
        return got.startswith("error:")
    return want == got


def check(what, rows):
    """One check over rows of (expr, start, want, got)."""
    bad = [r for r in rows if not agree(r[2], r[3])]
    print("%s\t%s (%d cases)" % ("not ok" if bad else "ok", what, len(rows)))
    for e, s, w, g in bad[:5]:
        print("# '%s' after %s" % (e, s.isoformat()))
        print("#   want:    %s" % w[:200])
        print("#   updraft: %s" % g[:200])
    if len(bad) > 5:
        print("# ... and %d more" % (len(bad) - 5))


rows, both, left_out = [], [], []
for (expr, start, cron), got in zip(cases, lines):
    want = croniter_ticks(expr, start)
    row = (expr, start, want, got)
    # Left out only where croniter is wrong: it differs from a plain search.
    why = excluded(cron, start, want) or excluded(cron, start, got)
    if why and not agree(cron.ticks(start, NTICKS), want):
        left_out.append((why, expr, start, cron.ticks(start, NTICKS), got))
        continue
    rows.append(row)
    if cron.dom_restricted and cron.dow_restricted:
        both.append(row)

for why in sorted({w for w, *_ in left_out}):
    print("# left out %d cases: %s" %
          (sum(1 for w, *_ in left_out if w == why), why))
enough = len(rows) >= len(cases) * 9 // 10
print("%s\tat least 90%% of the cases are compared (%d of %d)" %
      ("ok" if enough else "not ok", len(rows), len(cases)))
check("the next %d ticks agree with croniter" % NTICKS, rows)
check("both day fields restricted: day of month OR day of week", both)
check("no ticks, where croniter finds none",
      [r for r in rows if r[2].startswith("error:")])
check("cases left out agree with a plain day-by-day search",
      [(e, s, w, g) for _, e, s, w, g in left_out])

# The comparison can fail: one perturbed tick must be caught.
e, s, w, g = next(r for r in rows if not r[2].startswith("error:"))
w2 = w.replace(":00+00:00", ":01+00:00", 1)
print("%s\ta perturbed tick is caught" %
      ("ok" if not agree(w2, g) and agree(w, g) else "not ok"))
EOF

while IFS= read -r line; do
	case "$line" in
	"ok	"*) pass "${line#ok	}" ;;
	"not ok	"*) fail "${line#not ok	}" ;;
	*) echo "$line" ;;
	esac
done < "$UPDRAFT_HOME/results"
[ $((test_passed + test_failed)) -gt 0 ] || fail "the comparison ran"

done_testing
