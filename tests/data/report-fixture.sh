# A fixed database for the report's tests (t99xx), written without Slurm:
# sourced after lib.sh. Three DAGs that load and one that does not; runs
# in every state, params, metrics (one key from two tasks), labels, notes
# with markup in them, lineage from t9900_eval to t9900_train, and logs:
# one long and not UTF-8, one a link that must not be followed.

cat > "$UPDRAFT_HOME/dags/t9900_train.dag" <<'EOF'
schedule = "@daily";
start_date = "2026-11-01";
params = { lr = 0.1; epochs = 10; };
defaults = { time = "1"; mem = "10M"; };
tasks = (
  { id = "prep"; command = "true"; },
  { id = "train"; after = ["prep"]; command = "true";
    outputs = { model = "/scratch/models/{{ ds }}.pt"; }; },
  { id = "baseline"; after = ["prep"]; command = "true"; },
  { id = "evaluate"; after = ["train", "baseline"]; command = "true"; },
  { id = "publish"; after = ["evaluate"]; command = "true"; }
);
EOF
cat > "$UPDRAFT_HOME/dags/t9900_eval.dag" <<'EOF'
schedule = "@daily";
start_date = "2026-11-01";
defaults = { time = "1"; mem = "10M"; };
tasks = (
  { id = "score"; command = "true";
    inputs = { model = "t9900_train:train:model"; }; }
);
EOF
cat > "$UPDRAFT_HOME/dags/t9900_hourly.dag" <<'EOF'
schedule = "every 6h";
start_date = "2026-11-05";
defaults = { time = "1"; mem = "10M"; };
tasks = ({ id = "fetch"; command = "true"; });
EOF
printf 'schedule = "@daily";\ntasks = (\n' > "$UPDRAFT_HOME/dags/t9900_broken.dag"
"$UPDRAFT_BIN" list >/dev/null 2>&1

fixture_ts() {
	date -u -d "$1" +%s
}

# fixture_sq TEXT: an SQL string literal.
fixture_sq() {
	printf "'%s'" "$(printf %s "$1" | sed "s/'/''/g")"
}

# fixture_run ID DAG RUN_ID LOGICAL STATE TYPE PARAMS NOTE: started at
# the logical date's end, ended an hour later unless it is still going.
fixture_run() {
	l=$(fixture_ts "$4")
	e=NULL
	case $5 in
	success|failed) e=$((l + 86400 + 3600)) ;;
	esac
	echo "INSERT INTO run (id, dag_id, run_id, run_type, state,
	    created_by, host, logical_date, interval_start, interval_end,
	    created_at, start_date, end_date, params, note) VALUES ($1, '$2',
	    '$3', '$6', '$5', 'ada', 'login1', $l, $l, $((l + 86400)),
	    $((l + 86400)), $((l + 86400)), $e,
	    $([ -n "$7" ] && fixture_sq "$7" || echo NULL),
	    $([ -n "$8" ] && fixture_sq "$8" || echo NULL));"
}

# fixture_ti RUN TASK STATE TRY QUEUED START END [REASON]: times in
# minutes after $base ("" for none).
fixture_ti() {
	fixture_t() {
		if [ -z "$1" ]; then
			echo NULL
		else
			echo $((base + $1 * 60))
		fi
	}
	echo "INSERT INTO task_instance (run, task_id, state, try_number,
	    max_tries, job_id, node, exit_code, queued_at, start_date,
	    end_date, reason) VALUES ($1, '$2', '$3', $4, 2,
	    $([ "$4" -gt 0 ] && echo "$1${4}0" || echo NULL),
	    $([ -n "$6" ] && echo "'localhost'" || echo NULL),
	    $(case $3 in success) echo 0 ;; failed) echo 1 ;; *) echo NULL ;;
	    esac), $(fixture_t "$5"), $(fixture_t "$6"), $(fixture_t "$7"),
	    $([ -n "${8:-}" ] && fixture_sq "$8" || echo NULL));"
}

# fixture_metric RUN TASK KEY VALUE
fixture_metric() {
	echo "INSERT INTO metric (run, task_id, key, value, try_number)
	    VALUES ($1, '$2', '$3', $4, 1);"
}

fixture_label() {
	echo "INSERT INTO run_label (run, label) VALUES ($1, $(fixture_sq "$2"));"
}

# The train DAG's five days: run, task states in graph order.
fixture_train() {
	d=2026-11-0$1
	base=$(($(fixture_ts "$d") + 86400))
	fixture_run "$1" t9900_train "scheduled__${d}T00:00:00+00:00" "$d" \
	    "$2" scheduled "$3" "$4"
	fixture_ti "$1" prep success 1 0 1 5
	case $1 in
	3)
		fixture_ti 3 train failed 2 5 6 30 "exit code 1"
		fixture_ti 3 baseline success 1 5 7 12
		fixture_ti 3 evaluate upstream_failed 0 "" "" "" \
		    "upstream 'train' failed"
		fixture_ti 3 publish upstream_failed 0 "" "" ""
		;;
	5)
		fixture_ti 5 train running 1 5 8 ""
		fixture_ti 5 baseline success 1 5 7 12
		fixture_ti 5 evaluate none 0 "" "" ""
		fixture_ti 5 publish none 0 "" "" ""
		;;
	*)
		fixture_ti "$1" train success 1 5 6 40
		fixture_ti "$1" baseline success 1 5 7 12
		fixture_ti "$1" evaluate success 1 40 41 50
		fixture_ti "$1" publish success 1 50 51 52
		fixture_ti "$1" legacy success 1 1 2 3
		;;
	esac
}

{
	fixture_train 1 success '{"lr": 0.1, "epochs": 10}' ""
	fixture_train 2 success '{"lr": 0.05, "epochs": 10}' "higher lr"
	fixture_train 3 failed '{"lr": 0.2, "epochs": 10}' ""
	fixture_train 4 success '{"lr": 0.01, "epochs": 20}' \
	    '</script><script>alert(1)</script> & "quoted" <b>'
	fixture_train 5 running '{"lr": 0.02, "epochs": 10}' ""
	fixture_label 1 baseline
	for r in 2 3 4; do
		fixture_label $r sweep
	done
	fixture_label 4 '<i>best</i>'
	fixture_metric 1 train val_loss 0.5
	fixture_metric 2 train val_loss 0.25
	fixture_metric 4 train val_loss 0.125
	for r in 1 2 4; do
		fixture_metric $r train loss 0.$r
		fixture_metric $r evaluate loss 0.${r}5
		fixture_metric $r evaluate accuracy 0.9$r
		fixture_metric $r train job_elapsed_s 2040
		fixture_metric $r train job_max_rss_kb 51200
	done

	base=$(($(fixture_ts 2026-11-03) + 86400))
	fixture_run 10 t9900_eval "scheduled__2026-11-03T00:00:00+00:00" \
	    2026-11-03 success scheduled "" ""
	fixture_ti 10 score success 1 0 1 2
	base=$(($(fixture_ts 2026-11-04) + 86400))
	fixture_run 11 t9900_eval "manual__2026-11-04T00:00:00+00:00" \
	    2026-11-04 success manual "" "re-scored"
	fixture_ti 11 score success 1 0 1 2
	for r in 2:10 4:11; do
		echo "INSERT INTO run_input (run, task_id, name, src_run,
		    src_task_id, src_output, path) VALUES (${r#*:}, 'score',
		    'model', ${r%:*}, 'train', 'model',
		    '/scratch/models/2026-11-0${r%:*}.pt');"
	done

	h=2026-11-05
	i=20
	for s in success:00 failed:06 running:12 queued:18; do
		base=$(($(fixture_ts "${h}T${s#*:}:00") + 6 * 3600))
		fixture_run $i t9900_hourly \
		    "scheduled__${h}T${s#*:}:00:00+00:00" "${h}T${s#*:}:00" \
		    "${s%:*}" scheduled "" ""
		case ${s%:*} in
		success) fixture_ti $i fetch success 1 0 1 3 ;;
		failed) fixture_ti $i fetch failed 2 0 1 2 "exit code 1" ;;
		running) fixture_ti $i fetch running 1 0 1 "" ;;
		queued) fixture_ti $i fetch queued 1 0 "" "" ;;
		esac
		i=$((i + 1))
	done
} | sqlite3 "$UPDRAFT_HOME/updraft.db"

# Logs: run 3's failed train (long, and not UTF-8), run 4's evaluate a link.
fixture_logs=$UPDRAFT_HOME/logs/t9900_train
mkdir -p "$fixture_logs/scheduled__2026-11-03T00:00:00+00:00" \
    "$fixture_logs/scheduled__2026-11-04T00:00:00+00:00"
{
	i=1
	while [ $i -le 400 ]; do
		echo "epoch $i: loss decreasing"
		i=$((i + 1))
	done
	printf 'Traceback (most recent call last):\n'
	printf 'ValueError: bad <input> & \377\376 bytes\n'
} > "$fixture_logs/scheduled__2026-11-03T00:00:00+00:00/train.2.log"
echo "prep done" > \
    "$fixture_logs/scheduled__2026-11-03T00:00:00+00:00/prep.1.log"
echo "secret" > "$UPDRAFT_HOME/secret"
ln -s "$UPDRAFT_HOME/secret" \
    "$fixture_logs/scheduled__2026-11-04T00:00:00+00:00/evaluate.1.log"
