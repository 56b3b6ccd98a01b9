#!/bin/sh
# What a DAG file gives a job, on the local Slurm: templates, env, workdir
# and modules (with Lmod and a modulefile of our own).
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t1100_

day=$(date -u -d "$(date -u +%Y-%m-%d) -1 days" +%Y-%m-%d)
today=$(date -u +%Y-%m-%d)
nodash=$(printf '%s' "$day" | tr -d -)
moddir=$UPDRAFT_HOME/modulefiles
mkdir -p "$moddir/t1100mod" "$UPDRAFT_HOME/dags/sub/$nodash"
printf 'setenv("T1100_MODVAR", "loaded by lmod")\n' > "$moddir/t1100mod/1.0.lua"

# Quoted here-document: nothing below is expanded by this shell.
cat > "$UPDRAFT_HOME/dags/t1100_run.dag" <<'DAG'
schedule = "@daily";
start_date = "@DAY@";
env = { SHARED = "top"; TOPONLY = "top {{ ds }}"; MODULEPATH = "@MODDIR@"; };
defaults = { time = "5"; mem = "50M"; };
tasks = (
  { id = "tpl";
    command = "echo tpl {{ds}} {{ ds_nodash }} {{ ts }} {{logical_date}} {{ data_interval_start }} {{ data_interval_end }} {{ run_id }} {{ dag_id }} {{ task_id }} {{ try_number }}"; },
  { id = "envs";
    env = { TRICKY = "it's a \"quoted\" value,  two spaces; $(echo no) `no` $HOME \\ end {{ ds }}";
            SHARED = "task"; };
    command = "printf 'TRICKY=[%s]\\n' \"$TRICKY\"; echo \"SHARED=$SHARED TOPONLY=$TOPONLY\""; },
  { id = "wd"; workdir = "sub/{{ ds_nodash }}"; command = "echo wd=$(pwd)"; },
  { id = "nowd"; workdir = "missing/{{ ds }}"; command = "echo never"; },
  { id = "mods"; modules = ["t1100mod/1.0"];
    command = "echo \"MODVAR=$T1100_MODVAR\""; },
  { id = "badmod"; modules = ["t1100mod/1.0", "nosuch/9.9"];
    command = "echo never"; },
  { id = "opts"; exclusive = true; nice = 5; comment = "t1100 a comment";
    signal = "B:USR1@30"; mail_type = "FAIL,END"; ntasks_per_node = 1;
    command = "scontrol show job $SLURM_JOB_ID"; },
  { id = "gpuopts"; gpus_per_node = 1; mem_per_gpu = "60M"; cpus_per_gpu = 1;
    command = "scontrol show job $SLURM_JOB_ID"; }
);
DAG
sed -i -e "s|@DAY@|$day|" -e "s|@MODDIR@|$moddir|" \
    "$UPDRAFT_HOME/dags/t1100_run.dag"

out=$(updraft check 2>&1)
expect_eq "the DAG checks" "$out" "$UPDRAFT_HOME/dags/t1100_run.dag: ok"
updraft unpause t1100_run >/dev/null
run_until_done 180 t1100_run || fail "the run finished in time"

run="scheduled__${day}T00:00:00+00:00"
tjson=$(updraft tasks t1100_run "$run" --json)
expect_eq "task states" \
    "$(printf '%s' "$tjson" | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    print(t["task_id"], t["state"], t["exit_code"])')" \
    "tpl success 0
envs success 0
wd success 0
nowd failed 1
mods success 0
badmod failed 1
opts success 0
gpuopts success 0"

log() { updraft logs t1100_run "$run" "$1"; }

expect_eq "templates expand in the command" \
    "$(log tpl | grep '^tpl ')" \
    "tpl $day $nodash ${day}T00:00:00+00:00 ${day}T00:00:00+00:00 ${day}T00:00:00+00:00 ${today}T00:00:00+00:00 $run t1100_run tpl 1"

# shellcheck disable=SC2016  # the $ are the value's own
expect_eq "an env value reaches the job intact, templates expanded" \
    "$(log envs | grep '^TRICKY=')" \
    'TRICKY=[it'"'"'s a "quoted" value,  two spaces; $(echo no) `no` $HOME \ end '"$day]"
expect_eq "a task's env beats the DAG's, per key" \
    "$(log envs | grep '^SHARED=')" "SHARED=task TOPONLY=top $day"

expect_eq "workdir: relative to the DAG file, templates expanded" \
    "$(log wd | grep '^wd=')" "wd=$UPDRAFT_HOME/dags/sub/$nodash"
expect_eq "a missing workdir fails the job, saying so" \
    "$(log nowd | grep '^updraft: cannot change')" \
    "updraft: cannot change to workdir $UPDRAFT_HOME/dags/missing/$day"

expect_eq "a module's environment reaches the command" \
    "$(log mods | grep '^MODVAR=')" "MODVAR=loaded by lmod"
badlog=$(log badmod)
case "$badlog" in
*'module(s) are unknown'*'"nosuch/9.9"'*) pass "a failing module load: its own message" ;;
*) fail "a failing module load: its own message"; printf '%s\n' "$badlog" | sed 's/^/#   /' ;;
esac
expect_eq "a failing module load: ours, and no command run" \
    "$(printf '%s\n' "$badlog" | grep -e '^updraft: cannot load' -e '^never')" \
    "updraft: cannot load module nosuch/9.9 (exit status 1)"

# The newer sbatch options, as the controller saw them.
opts=$(log opts)
expect_eq "exclusive, nice, comment, mail_type, ntasks_per_node reach Slurm" \
    "$(printf '%s\n' "$opts" | grep -o -e 'Nice=[^ ]*' -e 'Comment=.*[^ ]' \
        -e 'MailType=[^ ]*' -e 'OverSubscribe=[^ ]*' -e 'NtasksPerN:B:S:C=[0-9]*')" \
    "Nice=5
NtasksPerN:B:S:C=1
OverSubscribe=NO
Comment=t1100 a comment
MailType=END,FAIL"
# 23.11 on reports "gres:gpu" as "gres/gpu": either spelling holds.
expect_eq "gpus_per_node, mem_per_gpu, cpus_per_gpu reach Slurm" \
    "$(log gpuopts | grep -o -e 'CpusPerTres=.*' -e 'MemPerTres=.*' -e 'TresPerNode=.*' |
    sed 's|=gres/|=gres:|')" \
    "CpusPerTres=gres:gpu:1
MemPerTres=gres:gpu:60
TresPerNode=gres:gpu:1"

# Without a module system: run the job's own wrapper (as Slurm keeps it)
# where Lmod's start-up files are hidden, in a mount namespace of its own.
job=$(printf '%s' "$tjson" | /usr/bin/python3 -c '
import json, sys
print([t for t in json.load(sys.stdin) if t["task_id"] == "mods"][0]["job_id"])')
wrapper=$UPDRAFT_HOME/wrapper.sh
if scontrol write batch_script "$job" "$wrapper" >/dev/null 2>&1 &&
    unshare -m true 2>/dev/null; then
	out=$(unshare -m /bin/sh -c '
	    for f in /etc/profile.d/lmod.sh /usr/share/lmod/lmod/init/bash; do
	        [ -e "$f" ] && mount --bind /dev/null "$f"
	    done
	    exec env -i PATH=/usr/bin:/bin UPDRAFT_COMMAND="echo never" \
	        UPDRAFT_MODULES="cuda/12.2
python/3.11" /bin/bash "$1"' sh "$wrapper" 2>&1)
	expect_eq "no module system: the job says so and exits 127" \
	    "$(printf '%s\n' "$out" | grep -v '^updraft: .* try ')" \
	    "updraft: modules requested (cuda/12.2 python/3.11) but no module system found (module: command not found)
updraft: exit status 127"
else
	echo "ok $((test_passed + test_failed + 1)) # skip no module system: needs scontrol write batch_script and unshare"
	test_passed=$((test_passed + 1))
fi

done_testing
