#!/bin/sh
# Every file that includes a Slurm header compiles against every release's.
#
# ../shared/slurm/headers/VER/ holds the public headers of eight releases,
# 22.05 to 26.05. For each, this runs configure's own probes (the lists in
# m4/slurm.m4) into a config.h of that release, then compiles each file with
# -Werror=implicit-function-declaration: a function a release removed fails
# here, not at a user's link. Without ../shared (make distcheck, a user's
# tree) it skips; in CI (CI=true) that is a failure.
. "$(dirname "$0")/lib.sh"

top=$(cd "$TEST_SRCDIR/.." && pwd)
headers=${UPDRAFT_SLURM_HEADERS:-$top/../shared/slurm/headers}
files="src/cluster.c tests/bench/submit-peer.c"
CC=${CC:-cc}

if [ ! -d "$headers" ]; then
	if [ "${CI:-}" = true ]; then
		echo "Bail out! no Slurm headers in CI ($headers)"
		exit 1
	fi
	echo "1..0 # SKIP no Slurm headers ($headers)"
	exit 0
fi

# The probe lists, as configure.ac's UPDRAFT_SLURM runs them.
m4list() {
	sed -n "s/^m4_define(\[$1\], \[\(.*\)\])\$/\1/p" "$top/m4/slurm.m4" |
	    tr -d ' ' | tr ',' ' '
}
decls=$(m4list UPDRAFT_SLURM_DECLS)
members=$(m4list UPDRAFT_SLURM_MEMBERS)
expect_eq "m4/slurm.m4 lists decls and members" \
    "$([ -n "$decls" ] && [ -n "$members" ] && echo yes)" yes

tmp=$UPDRAFT_HOME/headers
mkdir -p "$tmp"
prelude='#include <slurm/slurm.h>
#include <slurm/slurm_errno.h>'

# probe VER CODE: whether a program of CODE compiles with VER's headers.
probe() {
	printf '%s\nint main(void) { %s return 0; }\n' "$prelude" "$2" \
	    > "$tmp/probe.c"
	$CC -std=c11 -fsyntax-only -I"$headers/$1" "$tmp/probe.c" 2>/dev/null
}

# config_h VER: the HAVE_ lines configure would write for release VER.
config_h() {
	for d in $decls; do
		up=$(printf '%s' "$d" | tr 'a-z' 'A-Z')
		if probe "$1" "(void)$d;"; then v=1; else v=0; fi
		echo "#define HAVE_DECL_$up $v"
	done
	for m in $members; do
		type=${m%%.*}
		up=$(printf '%s' "$m" | tr 'a-z.' 'A-Z_')
		if probe "$1" "static $type a; if (sizeof a.${m#*.}) return 0;"; then
			echo "#define HAVE_$up 1"
		fi
	done
}

clean=0
total=0
for dir in "$headers"/*/; do
	ver=$(basename "$dir")
	total=$((total + 1))
	config_h "$ver" > "$tmp/config.h"
	ok=1
	for f in $files; do
		if out=$($CC -std=c11 -D_GNU_SOURCE -Wall -Wextra \
		    -Werror=implicit-function-declaration \
		    -fsyntax-only -I"$tmp" -I"$top/src" -I"$headers/$ver" \
		    "$top/$f" 2>&1) && [ -z "$out" ]; then
			pass "$ver: $f compiles, no warning"
		else
			fail "$ver: $f compiles, no warning"
			printf '%s\n' "$out" | sed 's/^/#   /'
			ok=0
		fi
	done
	clean=$((clean + ok))
done
echo "# $clean of $total releases clean"
expect_eq "every release's headers are here" "$total" 8
expect_eq "every release compiles clean" "$clean" "$total"

done_testing
