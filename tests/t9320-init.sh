#!/bin/sh
# updraft init [DIR] (no Slurm): the example DAG it writes, in the DAGs
# folder by default, checks clean, and no file is ever overwritten.
. "$(dirname "$0")/lib.sh"
TEST_JOB_PREFIX=t9320_
H=$UPDRAFT_HOME
rmdir "$H/dags"

expect_eq "list, no DAGs folder: a hint" \
    "$(updraft list 2>&1 >/dev/null; echo "exit $?")" \
    "updraft: no DAGs folder '$H/dags' yet: 'updraft init' makes one with an example
exit 0"
expect_eq "list --json, no DAGs folder: no hint" \
    "$(updraft list --json 2>&1)" "[]"

expect_eq "init: the DAGs folder by default" \
    "$(updraft init 2>&1; echo "exit $?")" \
    "wrote $H/dags/example_train.dag
next: updraft check; updraft unpause example_train; updraft scheduler
exit 0"
expect_eq "the file: mode 0644, the folder made" \
    "$(stat -c '%a %F' "$H/dags/example_train.dag")" "644 regular file"
expect_eq "updraft check: the example is valid" \
    "$(unset SLURM_CONF; updraft check 2>&1; echo "exit $?")" \
    "$H/dags/example_train.dag: ok
exit 0"
expect_eq "list: the example, paused" \
    "$(updraft list | awk 'NR > 1 { print $1, $2 }')" "example_train paused"
expect_eq "show: its params" \
    "$(updraft show example_train | grep '^params')" \
    "params = { lr = 0.001; epochs = 3; };"
for what in "partition = \"gpu\"; gres = \"gpu:1\"" "outputs = { data" \
    "outputs = { model" "after = \[\"prep\"\]" "after = \[\"train\"\]"; do
	expect_eq "the example has: $what" \
	    "$(grep -c "$what" "$H/dags/example_train.dag")" 1
done
expect_eq "every line of it under 80 columns" \
    "$(awk 'length > 79' "$H/dags/example_train.dag")" ""

sum=$(cksum < "$H/dags/example_train.dag")
expect_eq "init again: refused" \
    "$(updraft init 2>&1; echo "exit $?")" \
    "updraft: '$H/dags/example_train.dag' exists already: not overwritten
exit 1"
printf 'mine\n' > "$H/other"
ln -s "$H/other" "$H/elsewhere.dag"
mkdir "$H/elsewhere"
ln -s "$H/other" "$H/elsewhere/example_train.dag"
expect_eq "init DIR: a link there is not followed either" \
    "$(updraft init "$H/elsewhere" 2>&1; echo "exit $?")" \
    "updraft: '$H/elsewhere/example_train.dag' exists already: not overwritten
exit 1"
expect_eq "nothing was overwritten" \
    "$(cksum < "$H/dags/example_train.dag"; cat "$H/other")" "$sum
mine"
expect_eq "init DIR: a new folder, parents too" \
    "$(updraft init "$H/a/b" 2>&1; echo "exit $?")" \
    "wrote $H/a/b/example_train.dag
next: updraft check; updraft unpause example_train; updraft scheduler
exit 0"
expect_eq "init DIR: the same file" \
    "$(cmp "$H/a/b/example_train.dag" "$H/dags/example_train.dag" && echo same)" \
    same
expect_eq "init A B: usage" "$(updraft init a b 2>&1; echo "exit $?")" \
    "usage: updraft init [DIR]
exit 2"
touch "$H/file"
expect_eq "init FILE: not a folder" \
    "$(updraft init "$H/file/x" 2>&1; echo "exit $?")" \
    "updraft: cannot create directory '$H/file/x': Not a directory
exit 1"

done_testing
