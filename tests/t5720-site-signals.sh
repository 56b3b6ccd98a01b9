#!/bin/sh
# updraft site's signals: SIGHUP reads the group again (a user who joins
# gets a scheduler, one who leaves has theirs stopped), a scheduler that
# ends is started again after 1 s, then 2 s (backoff), SIGTERM stops all.
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t5720_
need_site_users

site_user ann -G "$site_group"
ann=$site_u
site_user ben
ben=$site_u
log=$UPDRAFT_HOME/site.log

started() {	# started USER N: USER's scheduler was started N times
	[ "$(grep -c "started the scheduler of '$1'" "$log")" -ge "$2" ]
}
sched_pid() {	# the pid of USER's last scheduler
	sed -n "s/.*started the scheduler of '$1' (uid [0-9]*, pid \([0-9]*\)).*/\1/p" \
	    "$log" | tail -1
}
sched_up() {	# sched_up USER N: USER's schedulers logged N starts
	[ "$(grep -c 'scheduler started' \
	    "$UPDRAFT_HOME/home/$1/updraft/scheduler.log" 2>/dev/null)" -ge "$2" ]
}
sched_gone() {
	! kill -0 "$1" 2>/dev/null
}

start_site
wait_for 20 "ann's scheduler" started "$ann" 1
usermod -aG "$site_group" "$ben"
kill -HUP "$site_pid"
wait_for 20 "ben's scheduler after SIGHUP" started "$ben" 1
wait_for 20 "ben's scheduler to run" sched_up "$ben" 1
kill "$(sched_pid "$ben")"
wait_for 20 "ben's scheduler started again" started "$ben" 2
wait_for 20 "ben's second scheduler to run" sched_up "$ben" 2
kill "$(sched_pid "$ben")"
wait_for 20 "ben's scheduler started a third time" started "$ben" 3
wait_for 20 "ben's third scheduler to run" sched_up "$ben" 3
gpasswd -d "$ben" "$site_group" >/dev/null
kill -HUP "$site_pid"
wait_for 20 "ben's scheduler to stop" grep -q "'$ben' left group" "$log"
wait_for 20 "ben's last scheduler to end" sched_gone "$(sched_pid "$ben")"
ann_pid=$(sched_pid "$ann")
stop_site
expect_eq "SIGTERM stopped ann's scheduler too" \
    "$(kill -0 "$ann_pid" 2>/dev/null && echo running || echo gone)" gone
expect_eq "the supervisor's log" \
    "$(sed -E 's/pid [0-9]+/pid N/; s/uid [0-9]+/uid N/; s/after [0-9]+s/after Ns/' "$log")" \
    "updraft: site: started (pid N, group '$site_group', 1 member)
updraft: site: started the scheduler of '$ann' (uid N, pid N)
updraft: site: '$ben' joined group '$site_group'
updraft: site: started the scheduler of '$ben' (uid N, pid N)
updraft: site: the scheduler of '$ben' (pid N) exited with status 0 after Ns; starting it again in 1s
updraft: site: started the scheduler of '$ben' (uid N, pid N)
updraft: site: the scheduler of '$ben' (pid N) exited with status 0 after Ns; starting it again in 2s
updraft: site: started the scheduler of '$ben' (uid N, pid N)
updraft: site: '$ben' left group '$site_group': stopping their scheduler
updraft: site: the scheduler of '$ben' (pid N) exited with status 0
updraft: site: stopping 1 scheduler
updraft: site: the scheduler of '$ann' (pid N) exited with status 0
updraft: site: stopped"

done_testing
