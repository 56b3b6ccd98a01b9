#!/bin/sh
# A shared filesystem whose locks do not reach other hosts: sshfs (FUSE)
# over an sshd of our own on 127.0.0.1. Updraft detects it, warns, sends
# writes through the spool, and the crash chaos test (t5200) passes with
# its state there while CLI verbs run against it.
. "$(dirname "$0")/lib.sh"
slow_test
need_slurm

# Skip outside CI, fail in CI, with the reason.
cannot() {
	if [ "${CI:-}" = true ]; then
		echo "Bail out! $1"
		exit 1
	fi
	echo "1..0 # SKIP $1"
	exit 0
}
[ -c /dev/fuse ] || cannot "no /dev/fuse: sshfs needs FUSE"
command -v sshfs >/dev/null || cannot "no sshfs: run scripts/install-deps"
[ -x /usr/sbin/sshd ] || cannot "no sshd: run scripts/install-deps"
[ "$(id -u)" = 0 ] || cannot "an sshd of our own needs root"

# Everything in its own folder: keys, config, the served and mounted trees.
T=$(mktemp -d "${TMPDIR:-/tmp}/updraft-t8020-ssh.XXXXXX")
mnt=$T/mnt
stop_sshfs() {
	fusermount -u "$mnt" 2>/dev/null || umount -l "$mnt" 2>/dev/null
	[ -s "$T/sshd.pid" ] && kill "$(cat "$T/sshd.pid")" 2>/dev/null
	rm -rf "$T"
	cleanup
}
trap stop_sshfs EXIT
mkdir -p "$T/remote" "$mnt" /run/sshd
ssh-keygen -q -t ed25519 -N '' -f "$T/host_key"
ssh-keygen -q -t ed25519 -N '' -f "$T/client_key"
cp "$T/client_key.pub" "$T/authorized_keys"
port=$(/usr/bin/python3 -c 'import socket
s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
cat > "$T/sshd_config" <<CONF
Port $port
ListenAddress 127.0.0.1
HostKey $T/host_key
PidFile $T/sshd.pid
AuthorizedKeysFile $T/authorized_keys
PermitRootLogin prohibit-password
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
Subsystem sftp internal-sftp
CONF
/usr/sbin/sshd -f "$T/sshd_config" -E "$T/sshd.log" ||
    cannot "sshd did not start: $(cat "$T/sshd.log")"
i=0
until sshfs -p "$port" -o "IdentityFile=$T/client_key,StrictHostKeyChecking=no,UserKnownHostsFile=/dev/null,BatchMode=yes" \
    "root@127.0.0.1:$T/remote" "$mnt" 2>"$T/sshfs.err"; do
	i=$((i + 1))
	[ $i -lt 20 ] || cannot "sshfs did not mount: $(cat "$T/sshfs.err")"
	sleep 0.2
done
expect_eq "the mount is FUSE (statfs magic)" "$(stat -f -c %t "$mnt")" 65735546

# Updraft on it: it says what it found, and writes go through the spool.
H=$mnt/home
mkdir -p "$H/dags"
cat > "$H/dags/t8020_fs.dag" <<'DAG'
schedule = "none";
start_date = "2026-01-01";
tasks = ( { id = "a"; command = "true"; } );
DAG
printf 'poll_interval = 1;\n' > "$H/updraft.conf"
expect_eq "status says the locks cannot be trusted" \
    "$(UPDRAFT_HOME=$H updraft status | sed -n 2p)" \
    "database: $H/updraft.db (on FUSE, whose locks cannot be trusted: its locks do not reach other hosts; verbs that write go through the spool)"
out=$(UPDRAFT_HOME=$H updraft unpause t8020_fs 2>&1)
expect_eq "a write waits in the spool" "$(ls "$H/spool" | sed 's/.*-//')" 0.req
out=$(UPDRAFT_HOME=$H updraft scheduler --once 2>&1)
expect_eq "the scheduler warns" "$(printf '%s\n' "$out" | sed 's/spool: [^:]*:/spool: ID:/')" \
    "updraft: database '$H/updraft.db' is on FUSE, whose locks cannot be trusted (its locks do not reach other hosts): only the scheduler writes it; other verbs leave requests in '$H/spool' and read a snapshot
updraft: spool: ID: updraft unpause (for $(id -un))"
expect_eq "and applied the request" "$(UPDRAFT_HOME=$H updraft list --ids 2>/dev/null; sqlite3 "$H/updraft.db" "SELECT paused FROM dag")" \
    "t8020_fs
0"
expect_eq "the database keeps a rollback journal" \
    "$(sqlite3 "$H/updraft.db" 'PRAGMA journal_mode')" delete

# The chaos test with its state on sshfs, verbs running against it.
start=$(date +%s)
(trap - EXIT; exec 9>&-; KEEP_HOME=1 TMPDIR=$mnt exec sh "$TEST_SRCDIR/t5200-chaos.sh") \
    > "$T/chaos.tap" 2>&1 &
chaos=$!
reads=0 reads_failed=0 labels=0 n=0
while kill -0 "$chaos" 2>/dev/null; do
	h=$(ls -d "$mnt"/updraft-t5200-chaos.* 2>/dev/null | head -1)
	# Until the scheduler's first pass has written a snapshot that knows
	# the DAG, the verbs rightly say they cannot find it.
	if [ -z "$h" ] || ! [ -e "$h/updraft.db" ] ||
	    ! UPDRAFT_HOME=$h "$UPDRAFT_BIN" list 2>/dev/null | grep -q t5200_chaos; then
		sleep 0.2
		continue
	fi
	for v in status "runs t5200_chaos --json" list "backfills --json" \
	    "grid t5200_chaos"; do
		# shellcheck disable=SC2086
		if UPDRAFT_HOME=$h "$UPDRAFT_BIN" $v >/dev/null 2>>"$T/reads.err"; then
			reads=$((reads + 1))
		else
			reads_failed=$((reads_failed + 1))
		fi
	done
	n=$((n + 1))
	UPDRAFT_HOME=$h "$UPDRAFT_BIN" label t5200_chaos \
	    backfill__2026-01-01T00:00:00+00:00 "+probe$n" >/dev/null 2>&1 &&
	    labels=$((labels + 1))
	sleep 1
done
wait "$chaos"
status=$?
echo "# chaos on sshfs took $(( $(date +%s) - start ))s; $reads reads, $n labels"
sed 's/^/#   /' "$T/chaos.tap" | grep -v '^#   ok'
expect_eq "the chaos test passes on sshfs" "$status" 0
expect_eq "with every check" "$(grep -c '^not ok' "$T/chaos.tap")" 0
expect_eq "verbs that read never failed" "$reads_failed" 0
[ "$reads" -gt 10 ] && pass "verbs read during the chaos ($reads)" ||
    fail "verbs read during the chaos ($reads)"
[ -s "$T/reads.err" ] && sed 's/^/#   /' "$T/reads.err" | head -5
h=$(sed -n 's/^# kept //p' "$T/chaos.tap")
# Labels asked for after the last scheduler stopped wait for the next;
# one taken by a scheduler killed while it ran it is answered as such.
UPDRAFT_HOME=$h updraft scheduler --once 2>/dev/null
expect_eq "the next pass leaves no request waiting or half applied" \
    "$(ls "$h/spool" 2>/dev/null | grep -c '\.req$\|\.taken$')" 0
got=$(sqlite3 "$h/updraft.db" "SELECT count(*) FROM run_label WHERE label LIKE 'probe%'")
[ "$got" -ge 1 ] && pass "labels written through the spool: $got" ||
    fail "labels written through the spool: $got"
[ -n "$h" ] && rm -rf "$h"

done_testing
