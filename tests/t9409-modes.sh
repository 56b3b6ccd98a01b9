#!/bin/sh
# Finding 9 of issue 15, as the attack: state was world-readable in every
# mode (database 0644, folders 0755), so any user could read params, logs,
# the outbox and DAG text. Now folders are 0700 and the database, its
# journals and the logs 0600; an older install's folder is tightened, and
# a state folder others can write is refused.
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t9409_
D=$UPDRAFT_HOME/dags

# An install of an older updraft: folders 0755, database 0644. The DAGs
# folder is the user's to share: left as it is.
chmod 755 "$UPDRAFT_HOME" "$D"
mkdir -m 755 "$UPDRAFT_HOME/logs" "$UPDRAFT_HOME/markers"
: > "$UPDRAFT_HOME/updraft.db"
chmod 644 "$UPDRAFT_HOME/updraft.db"
updraft list >/dev/null
expect_eq "an older install is tightened" \
    "$(stat -c '%a %n' "$UPDRAFT_HOME" "$UPDRAFT_HOME/logs" \
    "$UPDRAFT_HOME/markers" "$UPDRAFT_HOME/updraft.db" "$D")" \
    "700 $UPDRAFT_HOME
700 $UPDRAFT_HOME/logs
700 $UPDRAFT_HOME/markers
600 $UPDRAFT_HOME/updraft.db
755 $D"

chmod 775 "$UPDRAFT_HOME"
out=$(updraft list 2>&1)
expect_eq "a state folder others can write is refused (exit status)" $? 1
expect_eq "a state folder others can write is refused" "$out" \
    "updraft: state folder '$UPDRAFT_HOME' is writable by group or others: run 'chmod go-w $UPDRAFT_HOME'"
chmod 700 "$UPDRAFT_HOME"

# A run, with an old version's script copy (the script changes while the
# run is going, as in t1250).
printf 'poll_interval = 1;\n' >> "$UPDRAFT_HOME/updraft.conf"
printf '#!/bin/bash\necho "b v1"\n' > "$D/b.sh"
cat > "$D/t9409_m.dag" <<'DAG'
schedule = "none";
defaults = { time = "1"; mem = "50M"; };
tasks = (
  { id = "a"; command = "sleep 2; echo params=secret"; },
  { id = "b"; after = "a"; script = "b.sh"; }
);
DAG
updraft unpause t9409_m >/dev/null
run=$(updraft trigger t9409_m)
updraft scheduler --once >/dev/null 2>&1
printf '#!/bin/bash\necho "b v2"\n' > "$D/b.sh"
run_until_done 120 t9409_m || fail "the run ended in time"
expect_eq "the run succeeded" "$(updraft runs t9409_m --json | json_field state)" success
expect_eq "the old script ran from its copy" \
    "$(grep '^b v' "$UPDRAFT_HOME/logs/t9409_m/$run/b.1.log")" "b v1"

# Every folder of the state is 0700, the database and logs 0600, the
# script copy 0700 (it runs).
expect_eq "no folder of the state lets others in" \
    "$(find "$UPDRAFT_HOME" -type d -perm /077 ! -path "$D" ! -path "$D/*")" ""
expect_eq "database files are 0600" \
    "$(for f in "$UPDRAFT_HOME"/updraft.db*; do stat -c %a "$f"; done | sort -u)" 600
expect_eq "logs are 0600" \
    "$(find "$UPDRAFT_HOME/logs" -type f -printf '%m\n' | sort -u)" 600
expect_eq "the old version's script copy is its owner's alone" \
    "$(find "$UPDRAFT_HOME/versions" -type f -printf '%m\n' | sort -u)" 700
expect_eq "folders made: logs, markers, results, versions" \
    "$(stat -c %a "$UPDRAFT_HOME/logs" "$UPDRAFT_HOME/markers" "$UPDRAFT_HOME/results" "$UPDRAFT_HOME/versions" | sort -u)" 700

done_testing
