#!/bin/sh
# Every file that includes a Slurm header compiles against every release's.
#
# ../shared/slurm/headers/VER/ holds the public headers of eight releases,
# 22.05 to 26.05. Each file is compiled against each, with the build's own
# config.h (configure ran for one release only) and with an empty one, and
# -Werror=implicit-function-declaration: a function a release removed fails
# here, not at a user's link, and no #if on config.h can hide it. Without ../shared (make distcheck, a user's
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

tmp=$UPDRAFT_HOME/headers
mkdir -p "$tmp/empty"
: > "$tmp/empty/config.h"
# The build's own config.h, made by configure for one release, and an
# empty one: either way every release's headers must do.
build=$(dirname "$UPDRAFT_BIN")
configs="$tmp/empty"
[ -f "$build/config.h" ] && configs="$build $configs"

clean=0
total=0
for dir in "$headers"/*/; do
	ver=$(basename "$dir")
	total=$((total + 1))
	ok=1
	for c in $configs; do
		[ "$c" = "$tmp/empty" ] && with="an empty config.h" ||
		    with="the build's config.h"
		for f in $files; do
			if out=$($CC -std=c11 -D_GNU_SOURCE -Wall -Wextra \
			    -Werror=implicit-function-declaration \
			    -fsyntax-only -I"$c" -I"$top/src" \
			    -I"$headers/$ver" "$top/$f" 2>&1) &&
			    [ -z "$out" ]; then
				pass "$ver: $f compiles with $with, no warning"
			else
				fail "$ver: $f compiles with $with, no warning"
				printf '%s\n' "$out" | sed 's/^/#   /'
				ok=0
			fi
		done
	done
	clean=$((clean + ok))
done
echo "# $clean of $total releases clean"
expect_eq "every release's headers are here" "$total" 8
expect_eq "every release compiles clean" "$clean" "$total"

done_testing
