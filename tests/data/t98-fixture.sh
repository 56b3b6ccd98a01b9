# A fixed database for the t98xx tests (sourced after lib.sh): three DAGs
# (one paused, one active, one whose file does not load), runs in every run
# state, task instances in most task states (an array element too), params,
# labels, notes, metrics, outputs, lineage between two DAGs, versions, a
# backfill, a notification waiting, a scheduler's lease run out and its
# chain stopped. No Slurm: rows are written as the scheduler would have.

t98_fixture() {
	for dag in t98_daily t98_hourly; do
		fetch_train_dag "$dag"
	done
	printf 'tasks = (\n' > "$UPDRAFT_HOME/dags/t98_broken.dag"
	updraft unpause t98_daily >/dev/null	# read verbs create no database
	updraft list >/dev/null 2>&1
	# A scheduler --in-slurm chain, stopped (status reads no Slurm then).
	printf 'on 0\nevery 3600\nstopped 1762000700\nlink_job 4243\nlink_start 1762000000\n' \
	    > "$UPDRAFT_HOME/scheduler-chain"
	sqlite3 "$UPDRAFT_HOME/updraft.db" <<'EOF'
UPDATE dag SET next_dagrun = 1762128000 WHERE dag_id = 't98_daily';
UPDATE dag_version SET first_seen = 1761955200;
INSERT INTO run (id, dag_id, run_id, run_type, state, version, created_by,
    logical_date, interval_start, interval_end, created_at, start_date,
    end_date, host, params, note, cleared_by, cleared_at) VALUES
  (1, 't98_daily', 'scheduled__2025-11-01T00:00:00+00:00', 'scheduled',
    'success', 'aaaa', 'scheduler', 1761955200, 1761955200, 1762041600,
    1762041600, 1762041610, 1762045210, 'login1',
    '{"lr": 0.1, "epochs": 10}', NULL, NULL, NULL),
  (2, 't98_daily', 'manual__lr001', 'manual', 'failed', 'aaaa', 'alice',
    1762000000, 1762000000, 1762000000, 1762000000, 1762000005, 1762000605,
    'login1', '{"lr": 0.01, "epochs": 10, "tag": "small"}',
    'diverged after epoch 3', 'bob', 1762001000),
  (3, 't98_daily', 'scheduled__2025-11-02T00:00:00+00:00', 'scheduled',
    'running', 'aaaa', 'scheduler', 1762041600, 1762041600, 1762128000,
    1762128000, 1762128005, NULL, 'login2', NULL, NULL, NULL, NULL),
  (4, 't98_hourly', 'manual__queued', 'manual', 'queued', NULL, 'alice',
    1762050000, 1762050000, 1762050000, 1762050000, NULL, NULL, 'login1',
    NULL, 'waits | for a GPU', NULL, NULL),
  (5, 't98_hourly', 'manual__reads_daily', 'manual', 'success', 'bbbb',
    'bob', 1762060000, 1762060000, 1762060000, 1762060000, 1762060010,
    1762060070, 'login2', '{"source": "daily"}', NULL, NULL, NULL);
INSERT INTO run_label (run, label) VALUES (1, 'baseline'), (2, 'sweep'),
  (2, 'lr'), (5, 'lineage');
INSERT INTO task_instance (run, task_id, state, reason, partition, node,
    try_number, max_tries, exit_code, job_id, queued_at, start_date,
    end_date, array_name, array_index, element_job_id) VALUES
  (1, 'fetch', 'success', NULL, 'cpu', 'localhost', 1, 1, 0, 101,
    1762041600, 1762041610, 1762041670, NULL, NULL, NULL),
  (1, 'train', 'success', NULL, 'gpu', 'localhost', 1, 1, 0, 7627,
    1762041670, 1762041680, 1762045210, 't98_train', 0, 7628),
  (2, 'fetch', 'success', NULL, 'cpu', 'localhost', 1, 1, 0, 102,
    1762000000, 1762000005, 1762000065, NULL, NULL, NULL),
  (2, 'train', 'failed', 'exit code 3', 'gpu', 'localhost', 2, 2, 3, 103,
    1762000065, 1762000070, 1762000605, NULL, NULL, NULL),
  (3, 'fetch', 'running', NULL, 'cpu', 'localhost', 1, 1, NULL, 104,
    1762128000, 1762128005, NULL, NULL, NULL, NULL),
  (3, 'train', 'none', NULL, NULL, NULL, 0, 1, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL),
  (4, 'fetch', 'queued', NULL, NULL, NULL, 0, 1, NULL, NULL, 1762050000,
    NULL, NULL, NULL, NULL, NULL),
  (4, 'train', 'none', NULL, NULL, NULL, 0, 1, NULL, NULL, NULL, NULL,
    NULL, NULL, NULL, NULL),
  (5, 'fetch', 'skipped', 'nothing new', NULL, NULL, 0, 1, NULL, NULL,
    NULL, NULL, NULL, NULL, NULL, NULL),
  (5, 'train', 'success', NULL, 'cpu', 'localhost', 1, 1, 0, 105,
    1762060005, 1762060010, 1762060070, NULL, NULL, NULL);
INSERT INTO metric (run, task_id, key, value, try_number) VALUES
  (1, 'train', 'val_loss', 0.25, 1), (1, 'train', 'accuracy', 0.9, 1),
  (2, 'train', 'val_loss', 1.5, 2), (5, 'train', 'val_loss', 0.2, 1);
INSERT INTO output (run, task_id, name, path, size, mtime, try_number,
    sha256) VALUES
  (1, 'train', 'model', '/data/t98/model.pt', 1024, 1762045200, 1,
    'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'),
  (1, 'fetch', 'data', '/data/t98/data.csv', NULL, NULL, 1, NULL);
INSERT INTO run_input (run, task_id, name, src_run, src_task_id,
    src_output, path) VALUES
  (5, 'train', 'model', 1, 'train', 'model', '/data/t98/model.pt');
INSERT INTO backfill (id, dag_id, from_date, to_date, reprocess, max_active,
    reverse, state, created_by, created_at, end_date) VALUES
  (1, 't98_daily', 1761955200, 1762127999, 'missing', 2, 0, 'running',
    'alice', 1762128000, NULL);
INSERT INTO backfill_item (backfill, logical_date, interval_start,
    interval_end, state, run) VALUES
  (1, 1761955200, 1761955200, 1762041600, 'done', 1),
  (1, 1762041600, 1762041600, 1762128000, 'started', 3);
INSERT INTO notify_outbox (id, channel, kind, dag_id, created_at, event,
    summary, state, tries, next_at, last_error) VALUES
  (1, 'ops', 'task_failed', 't98_daily', 1762000605, '{}',
    'task train of t98_daily failed', 'pending', 2, 1762001000,
    'HTTP 500: oops');
INSERT INTO scheduler_lease (id, host, pid, job_id, started_at, heartbeat,
    expires, last_pass, next_pass) VALUES
  (1, 'login1', 4000, '4242', 1762000000, 1762000100, 1762000130,
    1762000100, 1762000110);
EOF
}
