#!/bin/sh
# The files of etc/ as installed: every systemd unit passes
# `systemd-analyze verify` with nothing to say, and the crontab line runs
# under /bin/sh in cron's bare environment on a home that does not exist.
. "$(dirname "$0")/lib.sh"
TEST_JOB_PREFIX=t9310_
etc=$TEST_SRCDIR/../etc
bindir=$(cd "$(dirname "$UPDRAFT_BIN")" && pwd)
T=$UPDRAFT_HOME/t

# gen FILE.in: FILE as make installs it, with updraft in the build folder.
gen() {
	sed "s|@bindir@|$bindir|g" "$1"
}

# Units: every etc/*.service.in (and etc/*.service kept as is), verified
# with the man pages they name found in man/.
if command -v systemd-analyze >/dev/null 2>&1; then
	mkdir -p "$T/units" "$T/man/man1" "$T/man/man5"
	for page in "$TEST_SRCDIR"/../man/*.[15]; do
		ln -s "$page" "$T/man/man${page##*.}/"
	done
	units=
	for f in "$etc"/*.service.in "$etc"/*.service; do
		[ -f "$f" ] || continue
		# A unit made from its .in already (a tarball may carry both).
		case $f in *.service) [ -f "$f.in" ] && continue ;; esac
		u=$(basename "$f" .in)
		gen "$f" > "$T/units/$u"
		units="$units $u"
	done
	expect_eq "units found" "$(echo "$units" | grep -c updraft.service)" 1
	for u in $units; do
		expect_eq "systemd-analyze verify $u: clean" \
		    "$(cd "$T/units" && MANPATH=$T/man systemd-analyze verify \
		    "$u" 2>&1; echo "exit $?")" "exit 0"
	done
	# The start limit where systemd reads it; the old place is refused.
	expect_eq "updraft.service: StartLimit* in [Unit]" \
	    "$(awk '/^\[/ { s = $0 } /^StartLimit/ { print s, $0 }' \
	    "$T/units/updraft.service")" \
	    "[Unit] StartLimitIntervalSec=600
[Unit] StartLimitBurst=5"
	awk '/^StartLimit/ { next } { print } /^RestartSec/ {
	    print "StartLimitIntervalSec=600" }' "$T/units/updraft.service" \
	    > "$T/units/misplaced.service"
	expect_eq "verify sees a start limit in [Service]" \
	    "$(cd "$T/units" && MANPATH=$T/man systemd-analyze verify \
	    misplaced.service 2>&1 | grep -c "Unknown key 'StartLimitIntervalSec' in section \[Service\]")" 1
elif [ "${CI:-}" = true ]; then
	fail "systemd-analyze is missing: scripts/install-deps installs systemd"
else
	test_passed=$((test_passed + 1))
	echo "ok $(test_count) # SKIP no systemd-analyze: run scripts/install-deps (package systemd)"
fi

# The crontab line, run as cron runs it: /bin/sh -c, HOME, a short PATH.
line=$(gen "$etc/updraft.cron.in" | grep -v '^#' | grep -v '^[A-Z_]*=' |
    grep .)
cmd=$(printf '%s\n' "$line" | sed 's/^[^ 	]*[ 	]*[^ 	]*[ 	]*[^ 	]*[ 	]*[^ 	]*[ 	]*[^ 	]*[ 	]*//')
expect_eq "one line, every minute" \
    "$(printf '%s\n' "$line" | awk -F'\t' '{ print NR, $1 }')" "1 * * * * *"
crontab_run() {
	env -i HOME="$1" LOGNAME=root SHELL=/bin/sh PATH=/usr/bin:/bin \
	    SLURM_CONF=/nonexistent ${2:+UPDRAFT_HOME="$2"} /bin/sh -c "$cmd"
}
mkdir "$T/home"
expect_eq "a fresh home: the line runs" \
    "$(crontab_run "$T/home" 2>&1; echo "exit $?")" "exit 0"
expect_eq "it made ~/updraft, private, and logged there" \
    "$(stat -c %a "$T/home/updraft"; cat "$T/home/updraft/scheduler.log")" \
    "700
updraft: cannot read dags folder '$T/home/updraft/dags': No such file or directory"
expect_eq "a second pass appends" \
    "$(crontab_run "$T/home" 2>&1; wc -l < "$T/home/updraft/scheduler.log")" 2
expect_eq "UPDRAFT_HOME elsewhere: the log goes there" \
    "$(crontab_run "$T/home" "$T/state" 2>&1; echo "exit $?"
    cat "$T/state/scheduler.log")" \
    "exit 0
updraft: cannot read dags folder '$T/state/dags': No such file or directory"

done_testing
