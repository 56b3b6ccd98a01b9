#!/bin/sh
# Controller load does not grow with idle users: under `updraft site`, a
# user whose 20 DAGs have nothing due sends slurmctld no RPC at all, by
# --once passes or by the supervisor's long-running scheduler. Counted by
# slurmctld itself: sdiag's RPCs per user. The same count grows once the
# user has a job (the check can fail).
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t5710_
need_site_users

site_user idle -G "$site_group"
u=$site_u

# The RPCs slurmctld has served user $1 (sdiag, since its last reset).
rpcs() {
	sdiag | awk -v u="$1" '/statistics by user/ { on = 1; next }
	    on && /^$/ { on = 0 }
	    on && $1 == u { sub(/.*count:/, ""); n = $1 }
	    END { print n + 0 }'
}

start=$(date -u -d '+2 days' +%Y-%m-%d)
i=0
while [ "$i" -lt 20 ]; do
	printf '%s\n' 'schedule = "@daily";' "start_date = \"$start\";" \
	    'defaults = { time = "5"; mem = "10M"; };' \
	    'tasks = ({ id = "a"; command = "true"; }, { id = "b"; after = ["a"]; command = "true"; });' |
	    as_sh "$u" "cat > updraft/dags/t5710_d$i.dag"
	i=$((i + 1))
done
i=0
while [ "$i" -lt 20 ]; do
	as "$u" unpause "t5710_d$i" >/dev/null
	i=$((i + 1))
done

site_once() {
	SLURM_CONF=$site_slurm_conf "$UPDRAFT_BIN" -c "$site_conf" site --once
}
site_once 2>/dev/null	# the first pass may check new DAGs' partitions
before=$(rpcs "$u")
site_once && site_once && site_once
expect_eq "three passes of an idle user: no RPC" "$(rpcs "$u")" "$before"
expect_eq "the passes saw the 20 DAGs, unpaused" \
    "$(as "$u" list --json | json_field paused | sort | uniq -c | awk '{ print $1, $2 }')" \
    "20 False"

start_site
wait_for 20 "the user's scheduler to start" \
    grep -q 'scheduler started' "$UPDRAFT_HOME/home/$u/updraft/scheduler.log"
sleep 3
expect_eq "the supervisor's scheduler of an idle user: no RPC" "$(rpcs "$u")" "$before"

# With something to do, the RPCs come (and the counts above could fail).
printf '%s\n' 'schedule = "none";' 'defaults = { time = "5"; mem = "10M"; };' \
    'tasks = ({ id = "a"; command = "true"; });' |
    as_sh "$u" 'cat > updraft/dags/t5710_now.dag'
as "$u" unpause t5710_now >/dev/null
as "$u" trigger t5710_now >/dev/null
done_run() {
	[ "$(as "$u" runs t5710_now --json | json_field state)" = success ]
}
wait_for 60 "the triggered run to succeed" done_run
busy=$(rpcs "$u")
if [ "$busy" -gt "$before" ]; then
	pass "a user with a job sends RPCs ($((busy - before)))"
else
	fail "a user with a job sends RPCs"
fi
stop_site

done_testing
