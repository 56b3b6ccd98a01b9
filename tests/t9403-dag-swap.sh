#!/bin/sh
# Finding 3 of issue 15, as the attack: whoever can put another file in the
# place of a DAG file chooses what runs as its owner. The file used to be
# stat'ed, then opened again by path; now it is opened once, without
# following a symbolic link, checked on that descriptor and read from it,
# and every folder above it must be ours or root's, writable by no one
# else (sticky ones like /tmp aside).
. "$(dirname "$0")/lib.sh"

d=$UPDRAFT_HOME/dags
printf 'schedule = "none";\ntasks = ({ id = "a"; command = "true"; });\n' \
    > "$UPDRAFT_HOME/good.dag"

ln -s "$UPDRAFT_HOME/good.dag" "$d/t9403_link.dag"
out=$(updraft check "$d/t9403_link.dag" 2>&1)
expect_eq "a DAG file that is a symbolic link is refused" "$out" \
    "cannot open dag file '$d/t9403_link.dag': it is a symbolic link (name the file it points to)"
rm "$d/t9403_link.dag"

cp "$UPDRAFT_HOME/good.dag" "$d/t9403_open.dag"
chmod 666 "$d/t9403_open.dag"
out=$(updraft check "$d/t9403_open.dag" 2>&1)
expect_eq "a DAG file others can write is refused" "$out" \
    "cannot open dag file '$d/t9403_open.dag': it is writable by group or others (chmod go-w '$d/t9403_open.dag')"
chmod 644 "$d/t9403_open.dag"
expect_eq "once fixed it loads" "$(updraft check "$d/t9403_open.dag" 2>&1)" \
    "$d/t9403_open.dag: ok"

chmod 777 "$d"
out=$(updraft check "$d/t9403_open.dag" 2>&1)
expect_eq "a DAG file in a folder others can write is refused" "$out" \
    "$d/t9403_open.dag: refused: folder '$d' is writable by group or others (chmod go-w '$d')"
chmod 1777 "$d"
expect_eq "a sticky folder (like /tmp) is fine" \
    "$(updraft check "$d/t9403_open.dag" 2>&1)" "$d/t9403_open.dag: ok"
chmod 755 "$d"

mkfifo "$d/t9403_fifo.dag"
out=$(timeout 10 "$UPDRAFT_BIN" check "$d/t9403_fifo.dag" 2>&1)
expect_eq "a FIFO as a DAG file does not block" "$out" \
    "cannot open dag file '$d/t9403_fifo.dag': not a regular file"
rm "$d/t9403_fifo.dag"

if [ "$(id -u)" = 0 ] && command -v useradd >/dev/null 2>&1; then
	id t9403u >/dev/null 2>&1 || useradd -M -s /bin/sh t9403u
	mkdir "$d/theirs"
	cp "$UPDRAFT_HOME/good.dag" "$d/theirs/t9403_in.dag"
	chown t9403u "$d/theirs"
	out=$(updraft check "$d/theirs/t9403_in.dag" 2>&1)
	expect_eq "a DAG file in another user's folder is refused" "$out" \
	    "$d/theirs/t9403_in.dag: refused: folder '$d/theirs' belongs to uid $(id -u t9403u): another user could replace what is in it"
	chown root "$d/theirs"
	chown t9403u "$d/theirs/t9403_in.dag"
	out=$(updraft check "$d/theirs/t9403_in.dag" 2>&1)
	expect_eq "another user's DAG file is refused" "$out" \
	    "cannot open dag file '$d/theirs/t9403_in.dag': it belongs to uid $(id -u t9403u), not to uid 0"
	rm -r "$d/theirs"
else
	echo "ok $(( $(test_count) + 1 )) # SKIP another user's folder: needs root and useradd"
	test_passed=$((test_passed + 1))
	echo "ok $(( $(test_count) + 1 )) # SKIP another user's file: needs root and useradd"
	test_passed=$((test_passed + 1))
fi

# The scheduler's view: the refused file is listed with why.
ln -s "$UPDRAFT_HOME/good.dag" "$d/t9403_link.dag"
updraft list >/dev/null 2>&1
expect_eq "list shows the refused DAG and why" \
    "$(updraft list --json | /usr/bin/python3 -c '
import json, sys
for d in json.load(sys.stdin):
    if d["dag_id"] == "t9403_link":
        print(d["state"], d["load_error"])')" \
    "broken cannot open dag file '$d/t9403_link.dag': it is a symbolic link (name the file it points to)"

done_testing
