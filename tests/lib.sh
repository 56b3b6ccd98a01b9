# Shared by the shell tests: a private UPDRAFT_HOME, checks, Slurm helpers.
# Each test sources this file, sets what it needs, and calls `done_testing`.

set -u

: "${UPDRAFT_BIN:=$(cd "$(dirname "$0")/.." && pwd)/updraft}"
: "${TEST_SRCDIR:=$(cd "$(dirname "$0")" && pwd)}"
TEST_NAME=$(basename "$0" .sh)

UPDRAFT_HOME=$(mktemp -d "${TMPDIR:-/tmp}/updraft-$TEST_NAME.XXXXXX")
export UPDRAFT_HOME
unset UPDRAFT_CONFIG
mkdir -p "$UPDRAFT_HOME/dags"
export NO_COLOR=1

test_passed=0
test_failed=0
test_todo=0
scheduler_pid=

cleanup() {
	if [ -n "$scheduler_pid" ]; then
		kill "$scheduler_pid" 2>/dev/null
		wait "$scheduler_pid" 2>/dev/null
	fi
	if [ -n "${TEST_JOB_PREFIX:-}" ] && command -v squeue >/dev/null; then
		# The same test may run beside us from another worktree: job
		# names end with a token of the home, read off one of our own
		# job ids, so we cancel only ours.
		squeue -h -t all -o '%i %j' 2>/dev/null > "$UPDRAFT_HOME/.queue"
		token=$(sqlite3 "$UPDRAFT_HOME/updraft.db" 'SELECT job_id FROM task_instance WHERE job_id IS NOT NULL' 2>/dev/null |
		    awk 'NR == FNR { ours[$1] = 1; next } ($1 in ours) { sub(/.*__/, "", $2); print $2; exit }' - "$UPDRAFT_HOME/.queue")
		squeue -h -o '%i %j' 2>/dev/null | while read -r id name; do
			case "$name" in
			"$TEST_JOB_PREFIX"*"__$token") [ -n "$token" ] && scancel "$id" 2>/dev/null ;;
			esac
		done
	fi
	# KEEP_HOME=1 keeps it to look at after a failure.
	if [ -n "${KEEP_HOME:-}" ]; then
		echo "# kept $UPDRAFT_HOME"
	else
		rm -rf "$UPDRAFT_HOME"
	fi
}
trap cleanup EXIT

updraft() {
	"$UPDRAFT_BIN" "$@"
}

test_count() {
	echo $((test_passed + test_failed + test_todo))
}

pass() {
	test_passed=$((test_passed + 1))
	echo "ok $(test_count) - $1"
}

fail() {
	test_failed=$((test_failed + 1))
	echo "not ok $(test_count) - $1"
}

# fail_todo WHAT REASON: a known failure, TAP's TODO: the harness counts it
# as XFAIL, and as XPASS (a failure) once the same check passes.
fail_todo() {
	test_todo=$((test_todo + 1))
	echo "not ok $(test_count) - $1 # TODO $2"
}

# expect_eq WHAT GOT WANT
expect_eq() {
	if [ "$2" = "$3" ]; then
		pass "$1"
	else
		fail "$1"
		printf '# --- want\n%s\n# --- got\n%s\n' "$3" "$2" | sed 's/^/#   /'
	fi
}

# expect_status WHAT WANT_STATUS COMMAND...: the exit status of COMMAND.
expect_status() {
	what=$1 want=$2
	shift 2
	"$@" >/dev/null 2>&1
	expect_eq "$what (exit status)" "$?" "$want"
}

# wait_for TIMEOUT_S DESCRIPTION COMMAND...: run COMMAND (a function of
# the test, in this shell, so what it sets stays set) every 0.2 s until it
# succeeds; after TIMEOUT_S seconds, fail "timed out after Ns waiting for
# DESCRIPTION" and return 1.
wait_for() {
	wait_timeout=$1 wait_what=$2
	shift 2
	wait_deadline=$(( $(date +%s) + wait_timeout ))
	until "$@"; do
		if [ "$(date +%s)" -ge "$wait_deadline" ]; then
			fail "timed out after ${wait_timeout}s waiting for $wait_what"
			return 1
		fi
		sleep 0.2
	done
}

# test_golden NAME FILE [WHAT]: FILE must equal tests/golden/NAME.txt;
# the check is named WHAT. UPDATE_GOLDEN=1 writes FILE there instead:
# regenerate with `UPDATE_GOLDEN=1 make check TESTS=tests/tNNNN-x.sh`
# and review the diff.
test_golden() {
	golden_file=$TEST_SRCDIR/golden/$1.txt
	golden_what=${3:-"output as in tests/golden/$1.txt"}
	if [ -n "${UPDATE_GOLDEN:-}" ]; then
		cp "$2" "$golden_file"
		pass "$golden_what (golden file written)"
	elif diff -u "$golden_file" "$2" > "$UPDRAFT_HOME/.golden.diff" 2>&1; then
		pass "$golden_what"
	else
		fail "$golden_what"
		echo "# tests/golden/$1.txt differs (UPDATE_GOLDEN=1 rewrites it):"
		sed 's/^/#   /' "$UPDRAFT_HOME/.golden.diff"
	fi
}

# slow_test: a slow test (chaos, a minute of signals, a cluster of its own)
# runs once, in the plain build: scripts/test sets UPDRAFT_SKIP_SLOW=1 for
# the ASan build and distcheck, where it would only cost time again.
slow_test() {
	if [ "${UPDRAFT_SKIP_SLOW:-}" = 1 ]; then
		echo "1..0 # SKIP slow: it runs once, in the plain build"
		exit 0
	fi
}

# Skip, or in CI fail, when there is no Slurm to talk to (outside CI a
# developer without Slurm still runs every other test).
need_slurm() {
	if [ -z "${SLURM_CONF:-}" ] || ! sinfo -h >/dev/null 2>&1; then
		if [ "${CI:-}" = true ]; then
			echo "Bail out! no Slurm reachable in CI (SLURM_CONF='${SLURM_CONF:-}')"
			exit 1
		fi
		# TAP's skip: the whole file, with the reason.
		echo "1..0 # SKIP no Slurm reachable: run scripts/slurm-local up"
		exit 0
	fi
	[ "${1:-}" = alone ] || lock_slurm -s
}

# need_accounting: a cluster that keeps accounting in slurmdbd
# (slurm-local up --accounting) at SLURM_CONF, else skip; scripts/test's
# accounting stage sets UPDRAFT_NEED_ACCOUNTING=1, where a skip is a failure.
need_accounting() {
	need_slurm
	if ! scontrol show config 2>/dev/null |
	    grep -q '^AccountingStorageType *= accounting_storage/slurmdbd'; then
		if [ "${UPDRAFT_NEED_ACCOUNTING:-}" = 1 ]; then
			echo "Bail out! no accounting at SLURM_CONF='$SLURM_CONF'"
			exit 1
		fi
		echo "1..0 # SKIP no accounting: run scripts/slurm-local up --accounting"
		exit 0
	fi
}

# The local Slurm's folder and its script, for tests that upset it.
slurm_dir() {
	dirname "$(dirname "$SLURM_CONF")"
}
slurm_local() {
	"$TEST_SRCDIR/../scripts/slurm-local" "$1" "$(slurm_dir)" 2>&1
}

# Tests that stop the controller or change its settings must run alone:
# every Slurm test holds a shared lock on the cluster for its whole life,
# and those hold it exclusively (flock(1), fd 9, released at exit).
lock_slurm() {
	exec 9>>"$(slurm_dir)/tests.lock"
	flock "$1" 9
}

# private_slurm_up "PORTS" [ARGS...]: a cluster of the test's own, of the
# shared one's release, in $UPDRAFT_HOME/slurm, on the first of PORTS that
# is free (SLURM_LOCAL_EXTRA as the test set it; ARGS for up: --nodes 3).
# Its environment is taken on; it is stopped at exit, before cleanup (it
# lives in the home), and cleanup then looks at the shared cluster again.
# private_slurm ACTION...: scripts/slurm-local ACTION on it.
private_slurm() {
	# shellcheck disable=SC2086  # private_release is an option and its value
	"$TEST_SRCDIR/../scripts/slurm-local" $private_release "$@" \
	    "$UPDRAFT_HOME/slurm" 2>>"$UPDRAFT_HOME/slurm-local.log"
}
private_slurm_up() {
	ports=$1
	shift
	private_release=
	if [ -f "$(slurm_dir)/etc/slurm-release" ]; then
		private_release="--slurm-version $(cat "$(slurm_dir)/etc/slurm-release")"
	fi
	private_env=
	for SLURM_LOCAL_PORT in $ports; do
		export SLURM_LOCAL_PORT
		if private_env=$(private_slurm up "$@"); then
			break
		fi
		private_env=
	done
	if [ -z "$private_env" ]; then
		echo "Bail out! no private Slurm started:"
		sed 's/^/# /' "$UPDRAFT_HOME/slurm-local.log"
		exit 1
	fi
	shared_conf=$SLURM_CONF
	trap 'private_slurm down >/dev/null; SLURM_CONF=$shared_conf; cleanup' EXIT
	eval "$private_env"
}

# need_slurm_alone: need_slurm, with the cluster to ourselves.
need_slurm_alone() {
	need_slurm alone
	lock_slurm -x
}

# complete_words WORD...: what etc/updraft.bash-completion offers for the
# last WORD, as bash would call it (COMP_WORDS, COMP_CWORD), one a line,
# sorted.
complete_words() {
	PATH=$(dirname "$UPDRAFT_BIN"):$PATH bash --norc -c '
. "$1"
shift
COMP_WORDS=("$@")
COMP_CWORD=$(($# - 1))
COMP_LINE="$*"
COMP_POINT=${#COMP_LINE}
_updraft
printf "%s\n" "${COMPREPLY[@]}" | sort' complete \
	    "$TEST_SRCDIR/../etc/updraft.bash-completion" "$@"
}

# fetch_train_dag ID: a daily DAG file of two tasks, fetch then train, in
# the test's home (for tests on fixed data that never run it).
fetch_train_dag() {
	cat > "$UPDRAFT_HOME/dags/$1.dag" <<'EOF'
schedule = "@daily";
start_date = "2026-11-01";
defaults = { time = "1"; mem = "10M"; };
tasks = (
  { id = "fetch"; command = "true"; },
  { id = "train"; after = ["fetch"]; command = "true"; }
);
EOF
}

# make_db DAG: create the database with the DAG files recorded, as the
# scheduler's first pass would (a verb that only reads creates none), by
# pausing DAG, which a new DAG already is.
make_db() {
	"$UPDRAFT_BIN" pause "$1" >/dev/null
}

# A JSON field of every element of an array on stdin, one per line.
json_field() {
	/usr/bin/python3 -c '
import json, sys
for o in json.load(sys.stdin):
    v = o[sys.argv[1]]
    print("null" if v is None else v)' "$1"
}

# Start the scheduler in the background, its pid in scheduler_pid. The
# child drops the EXIT trap (killed before it execs, it must not clean up)
# and the Slurm lock's descriptor (it must not outlive the test holding it).
start_scheduler() {
	(trap - EXIT; exec 9>&-; exec "$UPDRAFT_BIN" scheduler) \
	    >> "$UPDRAFT_HOME/scheduler.log" 2>&1 &
	scheduler_pid=$!
}

# Run the scheduler in the background until no run or backfill is queued or
# running in the named DAGs, or until a timeout (seconds); 1 on timeout.
run_until_done() {
	timeout=$1
	shift
	grep -qs '^poll_interval' "$UPDRAFT_HOME/updraft.conf" ||
	    printf 'poll_interval = 1;\n' >> "$UPDRAFT_HOME/updraft.conf"
	start_scheduler
	deadline=$(( $(date +%s) + timeout ))
	while [ "$(date +%s)" -lt "$deadline" ]; do
		sleep 1
		busy=0
		for dag in "$@"; do
			states=$("$UPDRAFT_BIN" runs "$dag" --json 2>/dev/null |
			    json_field state)
			states=$states$("$UPDRAFT_BIN" backfills "$dag" --json \
			    2>/dev/null | json_field state)
			case "$states" in
			""|*queued*|*running*) busy=1 ;;
			esac
		done
		if [ "$busy" = 0 ]; then
			kill "$scheduler_pid"
			wait "$scheduler_pid"
			scheduler_pid=
			return 0
		fi
	done
	echo "# timed out after ${timeout}s; scheduler log:"
	sed 's/^/#   /' "$UPDRAFT_HOME/scheduler.log"
	kill "$scheduler_pid"
	wait "$scheduler_pid"
	scheduler_pid=
	return 1
}

done_testing() {
	echo "1..$(test_count)"
	echo "# $test_passed passed, $test_failed failed"
	[ "$test_failed" = 0 ]
}

# Site tests (t57xx): real users, created here with useradd, under
# `updraft site`. need_site_users skips unless we are root with useradd.
need_site_users() {
	if [ "$(id -u)" != 0 ] || ! command -v useradd >/dev/null; then
		echo "1..0 # SKIP updraft site needs root and useradd: it creates users"
		exit 0
	fi
	chmod 755 "$UPDRAFT_HOME"
	# Readable by the test users: a copy of the Slurm configuration, and
	# the site's configuration (poll_interval and site_env).
	mkdir -p "$UPDRAFT_HOME/etc" "$UPDRAFT_HOME/home"
	cp "$(dirname "$SLURM_CONF")"/*.conf "$UPDRAFT_HOME/etc/"
	chmod 755 "$UPDRAFT_HOME/etc" "$UPDRAFT_HOME/home"
	chmod 644 "$UPDRAFT_HOME"/etc/*.conf
	site_slurm_conf=$UPDRAFT_HOME/etc/slurm.conf
	site_conf=$UPDRAFT_HOME/etc/updraft.conf
	site_group=u$$g
	site_users=
	site_pid=
	groupadd "$site_group" || exit 1
	# The sanitizers' settings reach the ASan build's schedulers too.
	printf 'site_group = "%s";\nsite_env = ["SLURM_CONF", "%s", "%s", "%s"];\npoll_interval = 1;\n' \
	    "$site_group" LSAN_OPTIONS UBSAN_OPTIONS ASAN_OPTIONS > "$site_conf"
	chmod 644 "$site_conf"
	trap 'site_cleanup; cleanup' EXIT
}

# site_user NAME [useradd options]: a user with a home under the test's
# folder and ~/updraft/dags; prints nothing. The name gets our pid.
site_user() {
	site_u=$1$$
	shift
	useradd -M -d "$UPDRAFT_HOME/home/$site_u" -s /bin/sh "$@" "$site_u" ||
	    exit 1
	site_users="$site_users $site_u"
	mkdir -p "$UPDRAFT_HOME/home/$site_u/updraft/dags"
	chown -R "$site_u:$(id -g "$site_u")" "$UPDRAFT_HOME/home/$site_u"
	chmod 755 "$UPDRAFT_HOME/home/$site_u"
}

# as USER COMMAND...: run updraft as USER, in a login's clean environment.
as() {
	as_u=$1
	shift
	runuser -u "$as_u" -- env -i HOME="$UPDRAFT_HOME/home/$as_u" \
	    USER="$as_u" PATH=/usr/bin:/bin NO_COLOR=1 \
	    ${LSAN_OPTIONS:+"LSAN_OPTIONS=$LSAN_OPTIONS"} \
	    ${UBSAN_OPTIONS:+"UBSAN_OPTIONS=$UBSAN_OPTIONS"} \
	    SLURM_CONF="$site_slurm_conf" "$UPDRAFT_BIN" -c "$site_conf" "$@"
}

# as_sh USER SCRIPT: a shell command as USER, in their home.
as_sh() {
	runuser -u "$1" -- sh -c "cd && $2"
}

# Start `updraft site` in the background, its log in $UPDRAFT_HOME/site.log.
start_site() {
	(trap - EXIT; exec 9>&-; SLURM_CONF=$site_slurm_conf exec \
	    "$UPDRAFT_BIN" -c "$site_conf" site) >> "$UPDRAFT_HOME/site.log" 2>&1 &
	site_pid=$!
}

stop_site() {
	[ -n "$site_pid" ] || return 0
	kill "$site_pid" 2>/dev/null
	wait "$site_pid" 2>/dev/null
	site_pid=
}

site_cleanup() {
	stop_site
	for u in $site_users; do
		scancel -u "$u" 2>/dev/null
		userdel -f "$u" 2>/dev/null
	done
	groupdel "$site_group" 2>/dev/null
}
