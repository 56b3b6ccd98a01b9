#!/bin/sh
# sbatch parity: each option set is submitted by sbatch and as an Updraft
# task (its keys, and its script's #SBATCH lines) into a partition that is
# down, so that every job pends and shows its request unchanged by an
# allocation; then `scontrol show job` of the three must agree on every
# request field. The test adds a partition of its own, so it runs alone.
. "$(dirname "$0")/lib.sh"
need_slurm_alone
TEST_JOB_PREFIX=t5900_
P=t5900_held
drop_partition() {
	scancel -p $P 2>/dev/null
	for _ in 1 2 3 4 5 6 7 8 9 10; do
		scontrol show partition $P >/dev/null 2>&1 || return 0
		scontrol delete PartitionName=$P 2>/dev/null && return 0
		sleep 1
	done
}
# A reservation that starts tomorrow, for --reservation (slurm-local's
# node has the feature "local" and the cluster 4 of "updraft_lic").
drop_reservation() {
	scontrol delete ReservationName=t5900_resv >/dev/null 2>&1
}
trap 'cleanup; drop_partition; drop_reservation' EXIT
drop_partition
drop_reservation
scontrol create PartitionName=$P Nodes=localhost State=DOWN ||
    fail "the held partition is made"
scontrol create ReservationName=t5900_resv Users=$(id -un) Nodes=localhost \
    StartTime=now+1day Duration=60 >/dev/null ||
    fail "the reservation is made"

# The request fields of `scontrol show job`; the rest (ids, names, times,
# paths, the submit line) differ by nature.
FIELDS='NumNodes NumCPUs NumTasks CPUs/Task ReqB:S:C:T TRES Socks/Node
NtasksPerN:B:S:C CoreSpec MinCPUsNode MinMemoryNode MinMemoryCPU
MinTmpDiskNode Features OverSubscribe Partition Account QOS TimeLimit Reservation
Licenses Comment MailUser MailType Nice TresPerNode TresPerJob TresPerTask
TresPerSocket MemPerTres CpusPerTres Contiguous'
request() {
	scontrol show job -o "$1" | tr ' ' '\n' | /usr/bin/python3 -c '
import sys
want = sys.argv[1].split()
got = dict(l.rstrip("\n").split("=", 1) for l in sys.stdin if "=" in l)
print(" ".join("%s=%s" % (k, got.get(k, "-")) for k in want))' "$FIELDS"
}

# differ GOT WANT: the fields that differ, one a line: "F: X, sbatch: Y".
differ() {
	/usr/bin/python3 -c '
import sys
got = dict(f.split("=", 1) for f in sys.argv[1].split())
want = dict(f.split("=", 1) for f in sys.argv[2].split())
for k in want:
    if got.get(k) != want[k]:
        print("%s: %s, sbatch: %s" % (k, got.get(k), want[k]))' "$1" "$2"
}

# One option set a line: NAME, then sbatch's options, then "|" and the
# same request as DAG keys. Every set names the partition (Updraft's own
# rule sends a GPU task without one to gpu_partition; sbatch has none).
cases() {
	cat <<'CASES'
ntasks_cpus --ntasks=2 --cpus-per-task=4 | ntasks = 2; cpus_per_task = 4;
short_nc -n 2 -c 2 | ntasks = 2; cpus_per_task = 2;
mem_per_cpu --mem-per-cpu=100 --cpus-per-task=2 | mem_per_cpu = "100M"; cpus_per_task = 2;
nodes --nodes=1 | nodes = 1;
nodes_tpn --nodes=1 --ntasks-per-node=2 | nodes = 1; ntasks_per_node = 2;
time_mem --time=10 --mem=200 | time = "10"; mem = "200M";
time_days -t 1-02:03:00 | time = "1-02:03:00";
gpus --gpus=1 | gpus = 1;
gres --gres=gpu:1 | gres = "gpu:1";
gpn --gpus-per-node=1 --cpus-per-gpu=2 --mem-per-gpu=100 | gpus_per_node = 1; cpus_per_gpu = 2; mem_per_gpu = "100M";
gpt --gpus-per-task=1 --ntasks=2 | gpus_per_task = 1; ntasks = 2;
exclusive --exclusive | exclusive = true;
nice --nice=5 | nice = 5;
signal --signal=B:USR1@60 | signal = "B:USR1@60";
mail --comment=abc --mail-type=END,FAIL --mail-user=a@b.c | comment = "abc"; mail_type = "END,FAIL"; mail_user = "a@b.c";
mail_all --mail-type=ALL,TIME_LIMIT_80 | mail_type = "ALL,TIME_LIMIT_80";
short_ngt -N 1 -G 2 -t 90 | nodes = 1; gpus = 2; time = "90";
time_ms --time=10:30 | time = "10:30";
time_dh --time=2-12 | time = "2-12";
tasks_nodes --ntasks=1 --nodes=1 --ntasks-per-node=1 | ntasks = 1; nodes = 1; ntasks_per_node = 1;
tasks_mem --ntasks=3 --mem-per-cpu=50 | ntasks = 3; mem_per_cpu = "50M";
gpus_cpus --gpus=2 --cpus-per-gpu=3 --mem-per-gpu=1G | gpus = 2; cpus_per_gpu = 3; mem_per_gpu = "1G";
gres_typed --gres=gpu:1 --cpus-per-task=2 | gres = "gpu:1"; cpus_per_task = 2;
account -A proj1 --qos=normal | account = "proj1"; qos = "normal";
short_pq -p t5900_held -q normal | qos = "normal";
constraint -C local | constraint = "local";
short_l -L updraft_lic:2 | licenses = "updraft_lic:2";
reservation --reservation=t5900_resv | reservation = "t5900_resv";
nice_alone --nice | nice = 100;
CASES
}

dag=$UPDRAFT_HOME/dags/t5900_parity.dag
printf 'schedule = "none";\ntasks = (\n' > "$dag"
cases | while IFS='|' read -r left keys; do
	set -- $left
	name=$1
	shift
	script=$UPDRAFT_HOME/$name.sh
	{
		printf '#!/bin/bash'
		for o in "$@"; do
			case "$o" in
			-*) printf '\n#SBATCH %s' "$o" ;;
			*) printf ' %s' "$o" ;;
			esac
		done
		printf '\n#SBATCH --partition=%s\ntrue\n' "$P"
	} > "$script"
	printf '  { id = "%s"; partition = "%s"; %s command = "true"; },\n' \
	    "$name" "$P" "$keys"
	printf '  { id = "%s_sbatch"; script = "%s"; },\n' "$name" "$script"
done >> "$dag"
sed -i '$ s/,$//' "$dag"
printf ');\n' >> "$dag"
printf 'max_submit_per_pass = 1000;\nmax_queued_jobs = 1000;\n' > "$UPDRAFT_HOME/updraft.conf"

expect_eq "check: the DAG of every option set loads" "$(updraft check "$dag" 2>&1)" \
"updraft: accounts, associations and QOS not checked: Slurm keeps no accounting in slurmdbd
$dag: ok"
updraft unpause t5900_parity >/dev/null
run=$(updraft trigger t5900_parity)
updraft scheduler --once 2>/dev/null
updraft tasks t5900_parity "$run" --json | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    print(t["task_id"], t["job_id"])' > "$UPDRAFT_HOME/jobs"

cases | while IFS='|' read -r left keys; do
	set -- $left
	name=$1
	shift
	want_job=$(sbatch --parsable -p $P -J t5900_peer "$@" --wrap true 2>"$UPDRAFT_HOME/sbatch.err") || {
		fail "$name: sbatch takes $*: $(cat "$UPDRAFT_HOME/sbatch.err")"
		continue
	}
	want=$(request "$want_job")
	for form in "" _sbatch; do
		job=$(sed -n "s/^$name$form //p" "$UPDRAFT_HOME/jobs")
		if [ -z "$job" ] || [ "$job" = null ]; then
			fail "$name$form: the task has no job"
			continue
		fi
		got=$(request "$job")
		expect_eq "$name (${form:-_keys}): $* as sbatch sends it" \
		    "$(differ "$got" "$want")" ""
	done
done > "$UPDRAFT_HOME/parity.tap"
cat "$UPDRAFT_HOME/parity.tap"
test_passed=$((test_passed + $(grep -c '^ok' "$UPDRAFT_HOME/parity.tap")))
test_failed=$((test_failed + $(grep -c '^not ok' "$UPDRAFT_HOME/parity.tap")))

# GRES strings sbatch refuses are refused at load, on the task's line.
# Updraft refuses two more on purpose (updraft-dag(5)): a type holding ':'
# and an empty type, which 22.05's sbatch refuses and 24.11's takes, to
# pend for a type no node has.
bad=$UPDRAFT_HOME/bad.dag
for g in gpu:2:a100 gpu:1:2:3 gpu::1 gpu:x:y:z gpu:; do
	if sbatch --parsable -p $P -J t5900_peer --gres=$g --wrap true \
	    >/dev/null 2>&1; then
		case $g in
		gpu:1:2:3|gpu::1)
			pass "sbatch takes --gres=$g; Updraft refuses it on purpose" ;;
		*)	fail "sbatch refuses --gres=$g" ;;
		esac
	else
		pass "sbatch refuses --gres=$g"
	fi
	printf 'schedule = "none";\ntasks = (\n  { id = "g"; partition = "%s"; gres = "%s"; command = "true"; }\n);\n' \
	    $P "$g" > "$bad"
	expect_eq "check refuses gres '$g' on its line" "$(updraft check "$bad" 2>&1)" \
	    "$bad:3: task 'g': bad gres element '$g': expected NAME[:TYPE][:COUNT], e.g. gpu:2 or gpu:a100:2"
done

# Refused on purpose (updraft-dag(5)): a node range, which sbatch takes.
printf '#!/bin/bash\n#SBATCH --nodes=1-2\ntrue\n' > "$UPDRAFT_HOME/range.sh"
printf 'schedule = "none";\ntasks = (\n  { id = "r"; partition = "%s"; script = "%s"; }\n);\n' \
    $P "$UPDRAFT_HOME/range.sh" > "$bad"
expect_eq "a node range: sbatch takes it, Updraft refuses it on purpose" \
    "$(sbatch --parsable -p $P -J t5900_peer --nodes=1-2 --wrap true >/dev/null 2>&1 && echo taken)
$(updraft check "$bad" 2>&1)" \
    "taken
$bad:3: task 'r': script '$UPDRAFT_HOME/range.sh' line 2: bad node count '1-2': ranges are not supported, give one number"

# Updraft's own rule: a task that asks for GPUs and names no partition of
# its own (key or #SBATCH line) goes to gpu_partition, whatever the
# defaults say; with one of its own it stays there.
printf 'gpu_partition = "%s";\nmax_submit_per_pass = 1000;\nmax_queued_jobs = 1000;\n' $P \
    > "$UPDRAFT_HOME/updraft.conf"
printf '#!/bin/bash\n#SBATCH --partition=cpu\n#SBATCH --gpus=1\ntrue\n' \
    > "$UPDRAFT_HOME/own.sh"
cat > "$UPDRAFT_HOME/dags/t5900_route.dag" <<DAG
schedule = "none";
defaults = { partition = "cpu"; time = "1"; mem = "10M"; };
tasks = (
  { id = "routed"; gpus = 1; command = "true"; },
  { id = "routed_gres"; gres = "gpu:1"; command = "true"; },
  { id = "own_key"; gpus = 1; partition = "gpu"; command = "true"; },
  { id = "own_script"; script = "$UPDRAFT_HOME/own.sh"; },
  { id = "cpu_only"; command = "true"; }
);
DAG
updraft unpause t5900_route >/dev/null
run=$(updraft trigger t5900_route)
updraft scheduler --once 2>/dev/null
expect_eq "GPU tasks without a partition of their own go to gpu_partition" \
    "$(updraft tasks t5900_route "$run" --json | /usr/bin/python3 -c '
import json, sys
for t in json.load(sys.stdin):
    print(t["task_id"], t["partition"])')" \
    "routed $P
routed_gres $P
own_key gpu
own_script cpu
cpu_only cpu"
done_testing
