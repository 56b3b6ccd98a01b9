#!/bin/sh
# Issue 15, finding 4, as the attack: the scheduler runs spool requests
# with its own rights, so anyone who could drop a file in its spool used
# to run verbs as its user. Now only a regular file of the scheduler's
# own uid, mode 0600, naming a verb that writes and then only that verb's
# arguments, is run. Everything else is set aside as ID.refused with a
# log line, and a FIFO does not block the pass.
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t9500_

for d in ok owned mode fifo link; do
	cat > "$UPDRAFT_HOME/dags/t9500_$d.dag" <<'DAG'
schedule = "none";
start_date = "2026-01-01";
tasks = ( { id = "a"; command = "true"; } );
DAG
done
printf 'db_locks = "untrusted";\n' > "$UPDRAFT_HOME/updraft.conf"
spool=$UPDRAFT_HOME/spool
db=$UPDRAFT_HOME/updraft.db
me=$(id -un)
other=nobody

# The writer: a request of our own, mode 0600 whatever the umask.
out=$( (umask 022; updraft unpause t9500_ok) 2>&1)
expect_eq "no scheduler: the request waits" "$?" 0
req=$(ls "$spool")
expect_eq "the request is written 0600" "$(stat -c %a "$spool/$req")" 600
expect_eq "the spool folder is 0700" "$(stat -c %a "$spool")" 700

# A request as the writer writes it, for the verb and arguments given.
request() {
	{
		printf 'updraft-request 1\nuser %d:%s\nargc %d\n' \
		    "${#me}" "$me" "$#"
		for a in "$@"; do
			printf '%d:%s\n' "${#a}" "$a"
		done
	}
}

# 1. Owned by another user (mode 0600): not run.
request unpause t9500_owned > "$spool/1-a-1-owned.req"
chmod 600 "$spool/1-a-1-owned.req"
chown "$other" "$spool/1-a-1-owned.req"
# 2. Ours, but mode 0644: not run.
request unpause t9500_mode > "$spool/1-a-2-mode.req"
chmod 644 "$spool/1-a-2-mode.req"
# 3. A FIFO named .req: neither opened for long nor run.
mkfifo -m 600 "$spool/1-a-3-fifo.req"
# 4. Options before the verb: -c with a command channel that would run a
# program as the scheduler's user.
cat > "$UPDRAFT_HOME/evil.conf" <<CONF
channels = { evil = { type = "command"; argv = [ "/bin/sh", "-c", "touch $UPDRAFT_HOME/pwned" ]; }; };
CONF
request -c "$UPDRAFT_HOME/evil.conf" notify test evil > "$spool/1-a-0-opt.req"
chmod 600 "$spool/1-a-0-opt.req"
# 5. A link to a good request elsewhere: not followed.
request unpause t9500_link > "$UPDRAFT_HOME/elsewhere"
chmod 600 "$UPDRAFT_HOME/elsewhere"
ln -s "$UPDRAFT_HOME/elsewhere" "$spool/1-a-5-link.req"
# 6. A verb that does not write (the scheduler itself).
request scheduler --once > "$spool/1-a-6-read.req"
chmod 600 "$spool/1-a-6-read.req"

timeout 60 "$UPDRAFT_BIN" scheduler --once > "$UPDRAFT_HOME/pass.log" 2>&1
expect_eq "the pass is not blocked by the FIFO and ends" "$?" 0

paused() {
	sqlite3 "$db" "SELECT paused FROM dag WHERE dag_id = 't9500_$1'"
}
expect_eq "our own request ran" "$(paused ok)" 0
for d in owned mode fifo link; do
	expect_eq "$d: not run (the DAG stays paused)" "$(paused "$d")" 1
done
expect_eq "-c FILE before the verb: no program ran" \
    "$(test -e "$UPDRAFT_HOME/pwned" && echo ran || echo none)" none

uid=$(id -u "$other")
log_has() {
	expect_eq "log: $1" "$(grep -cF -- "$2" "$UPDRAFT_HOME/pass.log")" 1
}
log_has "another user's file" "spool: 1-a-1-owned: refused (owned by uid $uid, not the scheduler's $(id -u)): set aside as '$spool/1-a-1-owned.refused'"
log_has "mode 0644" "spool: 1-a-2-mode: refused (mode 0644, not 0600): set aside as '$spool/1-a-2-mode.refused'"
log_has "a FIFO" "spool: 1-a-3-fifo: refused (not a regular file): set aside as '$spool/1-a-3-fifo.refused'"
log_has "-c before the verb" "spool: 1-a-0-opt: refused ('-c' is not a verb that writes): set aside as '$spool/1-a-0-opt.refused'"
log_has "a link" "spool: 1-a-5-link: refused (not a regular file): set aside as '$spool/1-a-5-link.refused'"
log_has "a verb that reads" "spool: 1-a-6-read: refused ('scheduler' is not a verb that writes): set aside as '$spool/1-a-6-read.refused'"
expect_eq "only our own request ran" \
    "$(grep -c 'spool: .*: updraft ' "$UPDRAFT_HOME/pass.log")" 1

expect_eq "what is left: answers, and the refused set aside" \
    "$(cd "$spool" && ls | grep -v "^${req%.req}")" \
    "1-a-0-opt.done
1-a-0-opt.err
1-a-0-opt.refused
1-a-1-owned.done
1-a-1-owned.err
1-a-1-owned.refused
1-a-2-mode.done
1-a-2-mode.err
1-a-2-mode.refused
1-a-3-fifo.done
1-a-3-fifo.err
1-a-3-fifo.refused
1-a-5-link.done
1-a-5-link.err
1-a-5-link.refused
1-a-6-read.done
1-a-6-read.err
1-a-6-read.refused"
expect_eq "a refused request answers exit status 2" \
    "$(cat "$spool/1-a-2-mode.done")" 2
expect_eq "and why" "$(cat "$spool/1-a-2-mode.err")" \
    "updraft: the scheduler refused this request: mode 0644, not 0600"
expect_eq "the FIFO was moved, not read" \
    "$(stat -c %F "$spool/1-a-3-fifo.refused")" fifo

# The next pass does not look at what was set aside.
timeout 60 "$UPDRAFT_BIN" scheduler --once > "$UPDRAFT_HOME/pass2.log" 2>&1
expect_eq "a second pass: nothing refused again" \
    "$(grep -c 'refused' "$UPDRAFT_HOME/pass2.log")" 0

done_testing
