#!/bin/sh
# Without accounting the figures are the job wrapper's (GNU time), and
# compare and export say so; no steps are known. check says it could not
# check accounts and QOS.
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t9605_
if scontrol show config 2>/dev/null |
    grep -q '^AccountingStorageType *= accounting_storage/slurmdbd'; then
	echo "1..0 # SKIP this cluster keeps accounting (t9600 covers it)"
	exit 0
fi

cat > "$UPDRAFT_HOME/dags/t9605_wrapper.dag" <<'DAG'
schedule = "none";
defaults = { time = "5"; mem = "100M"; };
tasks = ( { id = "small"; command = "true"; } );
DAG
updraft unpause t9605_wrapper >/dev/null
updraft trigger t9605_wrapper >/dev/null
run_until_done 120 t9605_wrapper || fail "the run finished in time"
expect_eq "the wrapper's figures, marked as such" \
    "$(updraft export t9605_wrapper --json | /usr/bin/python3 -c '
import json, sys
r = json.load(sys.stdin)[0]
print(r["figures"], r["steps"], sorted(k for k in r["metrics"]))')" \
    "{'small': 'wrapper'} {} ['small.job_elapsed_s', 'small.job_gpus', 'small.job_max_rss_kb', 'small.job_system_s', 'small.job_user_s']"
run=$(updraft runs t9605_wrapper --json | json_field run_id)
expect_eq "compare says so" \
    "$(updraft compare t9605_wrapper "$run" "$run" --csv | grep '^figures\.')" \
    "figures.small,0,wrapper,wrapper"

# check says once that accounts and QOS went unchecked.
for n in 1 2; do
	printf 'schedule = "none";\ntasks = ( { id = "a"; account = "proj%s"; qos = "q"; command = "true"; } );\n' \
	    "$n" > "$UPDRAFT_HOME/acct$n.dag"
done
expect_eq "check: accounts and QOS not checked, said once" \
    "$(updraft check "$UPDRAFT_HOME/acct1.dag" "$UPDRAFT_HOME/acct2.dag" 2>&1)" \
"updraft: accounts, associations and QOS not checked: Slurm keeps no accounting in slurmdbd
$UPDRAFT_HOME/acct1.dag: ok
$UPDRAFT_HOME/acct2.dag: ok"

done_testing
