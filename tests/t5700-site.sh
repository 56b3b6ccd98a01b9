#!/bin/sh
# Site mode on the local Slurm: one scheduler run by root reads a shared
# DAGs folder, and each DAG's jobs run as the owner of its file. Files that
# others can write, and root's own files, are refused.
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t5700_

if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP site mode needs root"
	exit 0
fi
for u in t5700a t5700b; do
	id "$u" >/dev/null 2>&1 || useradd -M -s /bin/sh "$u"
done
uid_a=$(id -u t5700a)
uid_b=$(id -u t5700b)

chmod 755 "$UPDRAFT_HOME"
chmod 1777 "$UPDRAFT_HOME/dags"
printf 'site_mode = true;\npoll_interval = 1;\n' > "$UPDRAFT_HOME/updraft.conf"
dag() {
	printf '%s\n' 'schedule = "none";' 'defaults = { time = "5"; mem = "10M"; };' \
	    'tasks = ({ id = "who"; command = "echo uid=$(id -u) home=$HOME"; });' \
	    > "$UPDRAFT_HOME/dags/$1.dag"
	chown "$2" "$UPDRAFT_HOME/dags/$1.dag"
	chmod "$3" "$UPDRAFT_HOME/dags/$1.dag"
}
dag t5700_a t5700a 644
dag t5700_b t5700b 644
dag t5700_open t5700a 666
dag t5700_root root 644

out=$(updraft check 2>&1 >/dev/null)
expect_eq "a file others can write, and root's, are refused" "$out" \
"$UPDRAFT_HOME/dags/t5700_open.dag: refused in site mode: it is writable by group or others (chmod go-w '$UPDRAFT_HOME/dags/t5700_open.dag')
$UPDRAFT_HOME/dags/t5700_root.dag: refused in site mode: it is owned by root (set allow_root_dags = true to run root's DAGs)"

updraft unpause t5700_a >/dev/null
updraft unpause t5700_b >/dev/null
run_a=$(updraft trigger t5700_a)
run_b=$(updraft trigger t5700_b)
run_until_done 60 t5700_a t5700_b || fail "both runs finished"
expect_eq "a's job ran as a" "$(updraft logs t5700_a "$run_a" who | grep '^uid=')" \
    "uid=$uid_a home=$(getent passwd t5700a | cut -d: -f6)"
expect_eq "b's job ran as b" "$(updraft logs t5700_b "$run_b" who | grep '^uid=')" \
    "uid=$uid_b home=$(getent passwd t5700b | cut -d: -f6)"
expect_eq "both succeeded (their markers count)" \
    "$(updraft runs t5700_a --json | json_field state) $(updraft runs t5700_b --json | json_field state)" \
    "success success"
expect_eq "the refused DAGs are listed broken" \
    "$(updraft list --json | /usr/bin/python3 -c '
import json, sys
print(" ".join(d["dag_id"] + ":" + d["state"] for d in json.load(sys.stdin)))')" \
    "t5700_a:active t5700_b:active t5700_open:broken t5700_root:broken"

done_testing
