#!/bin/sh
# A pending job array whose set of elements is long and full of holes:
# libslurm cuts array_task_str at 64 bytes unless SLURM_BITSTR_LEN says
# otherwise, and an element past the cut would look absent (and its task
# lost). cluster.c must see every pending element.
. "$(dirname "$0")/lib.sh"
need_slurm
: "${ARRAY_PENDING:=$(dirname "$UPDRAFT_BIN")/tests/unit/array-pending}"

# 0 to 999 less the multiples of 3 and of 7: 572 elements in 287 ranges,
# about 1,800 bytes written out.
indexes=$(seq 0 999 | awk '$1 % 3 && $1 % 7')
list=$(printf '%s\n' "$indexes" | awk '
	NR == 1 { lo = hi = $1; next }
	$1 == hi + 1 { hi = $1; next }
	{ out = out (out == "" ? "" : ",") (lo == hi ? lo : lo "-" hi); lo = hi = $1 }
	END { print out (out == "" ? "" : ",") (lo == hi ? lo : lo "-" hi) }')
expect_eq "the index list is long" "$([ ${#list} -gt 1000 ] && echo yes)" yes

# Held: every element stays pending, in the array's one record.
job=$(sbatch --parsable -H -J t3150_holes -p cpu -t 1 --mem=10M \
    -o /dev/null --array="$list" --wrap true)
trap 'scancel "$job" 2>/dev/null; cleanup' EXIT
expect_eq "Slurm took the array" "$(printf '%s' "$job" | tr -d 0-9)" ""
expect_eq "every pending element is seen" \
    "$(printf '%s\n' "$indexes" | "$ARRAY_PENDING" "$job")" ""
expect_eq "and an element that is not there is not" \
    "$(printf '3\n999\n1000\n' | "$ARRAY_PENDING" "$job")" "3
999
1000"

done_testing
