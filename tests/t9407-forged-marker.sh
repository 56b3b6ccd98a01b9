#!/bin/sh
# Finding 7 of issue 15, as the attack: a task's result is forged by a file
# put where its job writes how it ended (the marker) or the checksums of
# its outputs: a file of another user (root's too), or a symbolic link.
# A user's scheduler (a user made with useradd) counts only regular files
# of its own uid: the try stays running until its job really ends, and
# fails as it really does; the forged checksum is not recorded.
. "$(dirname "$0")/lib.sh"
need_slurm
TEST_JOB_PREFIX=t9407_

if [ "$(id -u)" != 0 ] || ! command -v useradd >/dev/null 2>&1 ||
    ! command -v setpriv >/dev/null 2>&1; then
	echo "1..0 # SKIP needs root, useradd and setpriv to play the users"
	exit 0
fi
u=t9407u
id "$u" >/dev/null 2>&1 || useradd -M -s /bin/sh "$u"
uid=$(id -u "$u")
id t9407x >/dev/null 2>&1 || useradd -M -s /bin/sh t9407x

home=$(mktemp -d /tmp/t9407-home.XXXXXX)
mkdir "$home/dags"
printf 'poll_interval = 1;\n' > "$home/updraft.conf"
cat > "$home/dags/t9407_f.dag" <<'DAG'
schedule = "none";
defaults = { time = "1"; mem = "50M"; };
tasks = (
  { id = "a"; command = "sleep 20; exit 1"; },
  { id = "c"; command = "sleep 20; echo real > out.txt"; checksum = true;
    outputs = { out = "out.txt"; }; }
);
DAG
chown -R "$u" "$home"
spid=
trap '[ -n "$spid" ] && kill "$spid" 2>/dev/null; scancel -u "$u" 2>/dev/null; rm -rf "$home"; cleanup' EXIT
as_user() {
	setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups -- \
	    env -i PATH=/usr/bin:/bin HOME="$home" \
	    UPDRAFT_HOME="$home" SLURM_CONF="$SLURM_CONF" NO_COLOR=1 \
	    "$UPDRAFT_BIN" "$@"
}
state() {
	as_user tasks t9407_f "$run" --json | /usr/bin/python3 -c '
import json, sys
print(" ".join(t["state"] for t in json.load(sys.stdin)))'
}

as_user unpause t9407_f >/dev/null
run=$(as_user trigger t9407_f)
# Not through as_user: $! must be the scheduler itself (setpriv and env
# exec it), for the trap to stop it.
setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups -- \
    env -i PATH=/usr/bin:/bin HOME="$home" UPDRAFT_HOME="$home" \
    SLURM_CONF="$SLURM_CONF" "$UPDRAFT_BIN" scheduler \
    >> "$home/scheduler.log" 2>&1 &
spid=$!
running() { [ "$(state)" = "running running" ]; }
wait_for 60 "both tasks running" running

name=$(squeue -h -u "$u" -o '%j' | grep '__a__')
marker=$home/markers/$name.exit
sums=$home/results/$(squeue -h -u "$u" -o '%j' | grep '__c__').sha256
fake=0000000000000000000000000000000000000000000000000000000000000000

# Root's marker, then another user's, then a link to one of the user's
# own files: each says "0", and none is believed.
printf '0\n' > "$marker"
printf 'out=%s\n' "$fake" > "$sums"
sleep 3
expect_eq "a marker of root's is not believed" "$(state)" "running running"
chown t9407x "$marker"
sleep 2
expect_eq "a marker of another user's is not believed" "$(state)" "running running"
printf '0\n' > "$home/zero"
chown "$u" "$home/zero"
rm -f "$marker"
ln -s "$home/zero" "$marker"
chown -h "$u" "$marker"
sleep 2
expect_eq "a symbolic link as marker is not believed" "$(state)" "running running"
grep -q "a: ignoring marker '$marker': it belongs to uid 0, not to uid $uid" "$home/scheduler.log" &&
grep -q "a: ignoring marker '$marker': it belongs to uid $(id -u t9407x), not to uid $uid" "$home/scheduler.log" &&
grep -q "a: ignoring marker '$marker': it is a symbolic link" "$home/scheduler.log"
expect_eq "the scheduler says why it ignored each" $? 0

done_() { [ "$(state)" != "running running" ] && ! state | grep -q running; }
wait_for 90 "the jobs to end" done_
expect_eq "the try fails as it really did, the other succeeds" "$(state)" "failed success"
expect_eq "the forged checksum is not recorded" \
    "$(as_user export t9407_f --json | /usr/bin/python3 -c '
import json, sys
print([r["outputs"]["c.out"]["sha256"] for r in json.load(sys.stdin)])')" "[None]"

done_testing
