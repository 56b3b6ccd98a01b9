#!/bin/sh
# updraft site on the local Slurm, with real users made here by useradd:
# root starts each member's own scheduler as that member. Two users' DAGs
# of one id both run, each job as its owner; the attacks of issue 15's
# findings 5 (a DAGs folder others can write), 6 (squatting a DAG id) and
# 12 (a user's read verb on their own state) now fail for the attacker.
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t5700_
need_site_users

site_user alice -G "$site_group"	# a listed member
alice=$site_u
site_user bob -g "$site_group"		# the group is bob's primary one
bob=$site_u
site_user carol				# not a member
carol=$site_u

# The same DAG id in alice's and bob's own DAGs folders.
for u in "$alice" "$bob" "$carol"; do
	as_sh "$u" 'cat > updraft/dags/t5700_etl.dag' <<'EOF'
schedule = "none";
defaults = { time = "5"; mem = "10M"; };
tasks = ({ id = "who"; command = "echo uid=$(id -u) home=$HOME path=$PATH"; });
EOF
	as "$u" unpause t5700_etl >/dev/null || fail "$u unpauses their DAG"
done
run_a=$(as "$alice" trigger t5700_etl)
run_b=$(as "$bob" trigger t5700_etl)
as "$carol" trigger t5700_etl >/dev/null

start_site
states() {
	a=$(as "$alice" runs t5700_etl --json | json_field state)
	b=$(as "$bob" runs t5700_etl --json | json_field state)
	[ "$a $b" = "success success" ]
}
wait_for 90 "both users' runs to succeed" states
stop_site

expect_eq "alice's job ran as alice, in a login's environment" \
    "$(as "$alice" logs t5700_etl "$run_a" who | grep '^uid=')" \
    "uid=$(id -u "$alice") home=$UPDRAFT_HOME/home/$alice path=/usr/local/bin:/usr/bin:/bin"
expect_eq "bob's job ran as bob" \
    "$(as "$bob" logs t5700_etl "$run_b" who | grep '^uid=')" \
    "uid=$(id -u "$bob") home=$UPDRAFT_HOME/home/$bob path=/usr/local/bin:/usr/bin:/bin"
expect_eq "carol is not a member: nothing ran hers" \
    "$(as "$carol" runs t5700_etl --json | json_field state)" queued
expect_eq "each state belongs to its user" \
    "$(stat -c %U "$UPDRAFT_HOME/home/$alice/updraft/updraft.db") $(stat -c %U "$UPDRAFT_HOME/home/$bob/updraft/updraft.db")" \
    "$alice $bob"
expect_eq "the supervisor says whom it started and stopped" \
    "$(sed -E 's/pid [0-9]+/pid N/; s/uid [0-9]+/uid N/' "$UPDRAFT_HOME/site.log" | sort)" \
    "$(printf '%s\n' \
    "updraft: site: started (pid N, group '$site_group', 2 members)" \
    "updraft: site: started the scheduler of '$alice' (uid N, pid N)" \
    "updraft: site: started the scheduler of '$bob' (uid N, pid N)" \
    "updraft: site: stopped" \
    "updraft: site: stopping 2 schedulers" \
    "updraft: site: the scheduler of '$alice' (pid N) exited with status 0" \
    "updraft: site: the scheduler of '$bob' (pid N) exited with status 0" | sort)"
grep -q 'scheduler started' "$UPDRAFT_HOME/home/$alice/updraft/scheduler.log" ||
    fail "alice's scheduler logs to ~/updraft/scheduler.log"

# Finding 12: a read verb of a user on their own state, not "attempt to
# write a readonly database".
out=$(as "$alice" list 2>&1)
expect_eq "alice lists her own DAGs" "$(echo "$out" | awk 'NR > 1 { print $1, $2 }')" \
    "t5700_etl active"
expect_eq "... with nothing on stderr" "$(as "$alice" list 2>&1 >/dev/null)" ""

# Finding 6: bob squats the id 'etl' (and leaves runs behind): alice's DAG
# of that id is untouched, and only alice's own run is hers.
as "$bob" trigger t5700_etl >/dev/null
expect_eq "bob's runs never show in alice's DAG" \
    "$(as "$alice" runs t5700_etl --json | json_field run_id)" "$run_a"
expect_eq "alice's DAG is not broken by bob's of the same id" \
    "$(as "$alice" list --json | json_field load_error)" null

# Finding 5: alice opens her DAGs folder to others; bob drops a DAG and a
# module the job would import. Her scheduler refuses the folder.
chmod 777 "$UPDRAFT_HOME/home/$alice/updraft/dags"
as_sh "$bob" "printf '%s\n' 'schedule = \"@once\";' 'start_date = \"2020-01-01\";' \
    'tasks = ({ id = \"x\"; command = \"id -u > /tmp/t5700-owned\"; });' \
    > '$UPDRAFT_HOME/home/$alice/updraft/dags/t5700_evil.dag' &&
    echo 'import os' > '$UPDRAFT_HOME/home/$alice/updraft/dags/json.py'"
: > "$UPDRAFT_HOME/home/$alice/updraft/scheduler.log"
SLURM_CONF=$site_slurm_conf "$UPDRAFT_BIN" -c "$site_conf" site --once \
    2>"$UPDRAFT_HOME/once.err"
expect_eq "site --once: one pass each, quietly" "$(cat "$UPDRAFT_HOME/once.err")" ""
d=$UPDRAFT_HOME/home/$alice/updraft/dags
expect_eq "alice's scheduler refuses a DAGs folder others can write" \
    "$(cat "$UPDRAFT_HOME/home/$alice/updraft/scheduler.log")" \
    "updraft: dags folder '$d' refused: others can write '$d' (mode 0777): chmod go-w '$d'"
expect_eq "bob's DAG is not alice's" \
    "$(as "$alice" trigger t5700_evil 2>&1)" \
    "updraft: cannot find dag 't5700_evil'; did you mean 't5700_etl'?"
expect_eq "alice's DAGs are still only her own" \
    "$(as "$alice" list --json | json_field dag_id)" "t5700_etl"

# Root never runs a scheduler, nor a non-root user the supervisor.
expect_eq "a user cannot start the supervisor" \
    "$(runuser -u "$carol" -- "$UPDRAFT_BIN" -c "$site_conf" site 2>&1)" \
    "updraft: site: only root can start other users' schedulers; run 'updraft scheduler' as yourself"

done_testing
