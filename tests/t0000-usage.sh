#!/bin/sh
# The command line itself: help, versions, verbs found by prefix, usage errors.
. "$(dirname "$0")/lib.sh"

out=$(updraft --help)
expect_eq "--help exits 0" "$?" 0
case "$out" in
*"usage: updraft [-v] [-c FILE] VERB [ARGS...]"*"  unpause    resume a DAG"*) pass "--help lists the verbs" ;;
*) fail "--help lists the verbs: $out" ;;
esac

out=$(updraft --version)
expect_eq "--version names each library" \
    "$(printf '%s\n' "$out" | cut -d' ' -f1 | tr '\n' ' ')" \
    "updraft libslurm sqlite libconfig libcurl "
# The release of the headers it was built with: here the same as the Slurm
# tools on PATH, as scripts/slurm-local sets them up for each release.
# scontrol needs a slurm.conf even for --version.
tools=$(scontrol --version 2>/dev/null | sed -n 's/^slurm[a-z-]* //p')
if [ -n "$tools" ]; then
	expect_eq "--version gives the libslurm it was built against" \
	    "$(printf '%s\n' "$out" | sed -n 's/^libslurm //p')" "$tools"
fi
case "$(printf '%s\n' "$out" | grep '^libcurl')" in
"libcurl "[0-9]*" (libcurl.so."*", loaded when a notification is sent)")
	pass "--version names the libcurl it would load" ;;
*) fail "--version names the libcurl it would load: $out" ;;
esac
# libcurl and its 30 shared objects cost every command 3-4 ms of start-up:
# it is opened with dlopen() when a webhook or a mail is first sent.
expect_eq "the binary is not linked against libcurl" \
    "$(ldd "$UPDRAFT_BIN" | grep -c 'libcurl')" 0

out=$(updraft help tasks)
expect_eq "help VERB" "$(printf '%s\n' "$out" | head -1)" "usage: updraft tasks DAG RUN [--utc] [--json | -o FIELD[%W],...] [--noheader] [--parsable]"
out=$(updraft tasks -h)
expect_eq "VERB -h" "$(printf '%s\n' "$out" | head -1)" "usage: updraft tasks DAG RUN [--utc] [--json | -o FIELD[%W],...] [--noheader] [--parsable]"
out=$(updraft unp -h)
expect_eq "a unique prefix finds the verb" "$(printf '%s\n' "$out" | head -1)" "usage: updraft unpause DAG"

out=$(updraft frobnicate 2>&1)
expect_eq "unknown verb exits 2" "$?" 2
expect_eq "unknown verb message" "$out" "updraft: 'frobnicate' is not an updraft verb; see 'updraft --help'"
out=$(updraft t 2>&1)
expect_eq "ambiguous prefix message" "$out" "updraft: ambiguous verb 't'"

out=$(updraft tasks 2>&1)
expect_eq "missing argument exits 2" "$?" 2
expect_eq "missing argument prints usage" "$out" "usage: updraft tasks DAG RUN [--utc] [--json | -o FIELD[%W],...] [--noheader] [--parsable]"
out=$(updraft trgger 2>&1)
expect_eq "misspelled verb exits 2" "$?" 2
expect_eq "misspelled verb: did you mean" "$out" "updraft: 'trgger' is not an updraft verb; did you mean 'trigger'?"
out=$(updraft 2>&1)
expect_eq "no verb exits 2" "$?" 2

out=$(updraft runs no_such_dag 2>&1)
expect_eq "unknown dag exits 1" "$?" 1
expect_eq "unknown dag message" "$out" "updraft: cannot find dag 'no_such_dag'"

out=$(updraft pause no_such_dag 2>&1)
expect_eq "pause unknown dag" "$out" "updraft: cannot find dag 'no_such_dag'"

out=$(updraft -c "$UPDRAFT_HOME/nope.conf" list 2>&1)
expect_eq "missing config file exits 1" "$?" 1
expect_eq "missing config file message" "$out" \
    "updraft: cannot open config file '$UPDRAFT_HOME/nope.conf': No such file or directory"

if [ -w /dev/full ]; then
	updraft --help > /dev/full 2>/dev/null
	expect_eq "a full disk is an error" "$?" 1
	updraft list > /dev/full 2>/dev/null
	expect_eq "a full disk is an error for a verb" "$?" 1
fi

done_testing
