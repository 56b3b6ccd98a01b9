#!/bin/sh
# Finding 1 of issue 15, as the attack: a user's DAG names a root 0600 file
# as a task's script, hoping its text is copied into the version the
# database keeps (dag_version.source), and that the database is readable
# by all. The user's scheduler cannot open the file, nothing of it is
# kept, and the database is 0600.
. "$(dirname "$0")/lib.sh"

if [ "$(id -u)" != 0 ] || ! command -v useradd >/dev/null 2>&1 ||
    ! command -v setpriv >/dev/null 2>&1; then
	echo "1..0 # SKIP needs root, useradd and setpriv to play another user"
	exit 0
fi
u=t9401u
id "$u" >/dev/null 2>&1 || useradd -M -s /bin/sh "$u"

# Root's secret, in a folder of root's that only root may enter.
vault=$(mktemp -d /tmp/t9401-vault.XXXXXX)
chmod 700 "$vault"
printf 'token=t9401-root-only\n' > "$vault/secret.sh"
chmod 600 "$vault/secret.sh"
# A readable file of root's, named the same way, still loads: root's
# scripts are accepted when we may read them.
printf '#!/bin/sh\necho shared\n' > "$vault/../t9401-shared.$$.sh"
shared=$(cd "$vault/.." && pwd)/t9401-shared.$$.sh
chmod 644 "$shared"

# The attacker's own home, theirs alone.
home=$(mktemp -d /tmp/t9401-home.XXXXXX)
mkdir "$home/dags"
chown -R "$u" "$home"
trap 'rm -rf "$vault" "$home" "$shared"; cleanup' EXIT
as_user() {
	setpriv --reuid="$u" --regid="$(id -g "$u")" --init-groups -- \
	    env -i PATH=/usr/bin:/bin HOME="$home" \
	    UPDRAFT_HOME="$home" NO_COLOR=1 "$UPDRAFT_BIN" "$@"
}
dag() {
	printf 'schedule = "none";\ntasks = ({ id = "a"; script = "%s"; });\n' \
	    "$2" > "$home/dags/$1.dag"
	chown "$u" "$home/dags/$1.dag"
}
dag t9401_steal "$vault/secret.sh"
dag t9401_shared "$shared"

out=$(as_user check "$home/dags/t9401_steal.dag" 2>&1)
expect_eq "the root 0600 script is refused, saying why" "$out" \
"$home/dags/t9401_steal.dag:2: task 'a': script '$vault/secret.sh': Permission denied"
as_user pause t9401_shared >/dev/null 2>&1	# verbs that only read create no database
as_user list >/dev/null 2>&1
expect_eq "the refused DAG has no version" \
    "$(sqlite3 "$home/updraft.db" "SELECT count(*) FROM dag_version WHERE dag_id = 't9401_steal'")" 0
expect_eq "a readable root script loads, and is kept" \
    "$(sqlite3 "$home/updraft.db" "SELECT count(*) FROM dag_version WHERE dag_id = 't9401_shared' AND source LIKE '%echo shared%'")" 1
if grep -rqs 't9401-root-only' "$home"; then
	fail "the secret is nowhere in the user's state"
else
	pass "the secret is nowhere in the user's state"
fi
expect_eq "the database and its folder are the user's alone" \
    "$(stat -c '%a %U' "$home/updraft.db" "$home")" "600 $u
700 $u"
for f in "$home"/updraft.db-*; do
	[ -e "$f" ] || continue
	expect_eq "$(basename "$f") is 0600" "$(stat -c %a "$f")" 600
done

done_testing
