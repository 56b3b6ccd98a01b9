#!/bin/sh
# A controller that is full is not an outage: on a private cluster of the
# same release whose MaxJobCount is 2, jobs refused for it are submitted
# again at a later pass; no task fails, nothing says Slurm is lost.
# (22.05 to 26.05.1 refuse with EAGAIN, 26.05.2 on with ESLURM_MAX_JOB_COUNT.)
. "$(dirname "$0")/lib.sh"
slow_test
need_slurm
TEST_JOB_PREFIX=t5610_
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP a private Slurm needs root (scripts/slurm-local)"
	exit 0
fi

# The release the tests run against: Debian's, or one built from source.
release=
if [ -f "$(slurm_dir)/etc/slurm-release" ]; then
	release="--slurm-version $(cat "$(slurm_dir)/etc/slurm-release")"
fi
private=$UPDRAFT_HOME/slurm
SLURM_LOCAL_EXTRA='MaxJobCount=2
MinJobAge=2'
export SLURM_LOCAL_EXTRA

# Ports beside every other cluster; the same test may run in another tree.
env=
for port in 6900 6910 6920 6930 6940 6950; do
	SLURM_LOCAL_PORT=$port
	export SLURM_LOCAL_PORT
	# shellcheck disable=SC2086  # release is an option and its value
	if env=$("$TEST_SRCDIR/../scripts/slurm-local" $release up "$private" \
	    2>>"$UPDRAFT_HOME/slurm-local.log"); then
		break
	fi
	env=
done
if [ -z "$env" ]; then
	echo "Bail out! no private Slurm started:"
	sed 's/^/# /' "$UPDRAFT_HOME/slurm-local.log"
	exit 1
fi
private_down() {
	# shellcheck disable=SC2086
	"$TEST_SRCDIR/../scripts/slurm-local" $release down "$private" \
	    >/dev/null 2>&1
}
trap 'private_down; cleanup' EXIT
eval "$env"
expect_eq "the private cluster holds two jobs at most" \
    "$(scontrol show config | sed -n 's/^MaxJobCount *= *//p')" 2

cat > "$UPDRAFT_HOME/dags/t5610_full.dag" <<DAG
schedule = "none";
defaults = { time = "5"; mem = "10M"; };
tasks = (
  { id = "a"; command = "sleep 1"; }, { id = "b"; command = "sleep 1"; },
  { id = "c"; command = "sleep 1"; }, { id = "d"; command = "sleep 1"; }
);
DAG
printf 'poll_interval = 1;\n' > "$UPDRAFT_HOME/updraft.conf"
updraft unpause t5610_full >/dev/null
run=$(updraft trigger t5610_full)
# Completed jobs leave the controller's table only at its purges (about a
# minute apart), so four jobs through a table of two take a few minutes.
run_until_done 400 t5610_full || fail "the run finished in time"
expect_eq "every task ran once, and succeeded" \
    "$(updraft tasks t5610_full "$run" --json | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    print(t["task_id"], t["state"], t["try_number"])')" \
"a success 1
b success 1
c success 1
d success 1"
expect_eq "the scheduler waited for room" \
    "$(grep -c 'trying again at the next pass' "$UPDRAFT_HOME/scheduler.log" |
    awk '{ print ($1 > 0) }')" 1
expect_eq "no outage was reported" \
    "$(grep -c 'keeping every state' "$UPDRAFT_HOME/scheduler.log")" 0

done_testing
