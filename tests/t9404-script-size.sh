#!/bin/sh
# max_script_size (issue 15, bounds): a script bigger than it is refused at
# load with file:line, instead of being read whole (and kept with each
# version); the key takes a size with a unit.
. "$(dirname "$0")/lib.sh"
d=$UPDRAFT_HOME/dags

# A first command, then a long comment: 1 MiB and a byte, and 1 MiB.
pad() { printf 'true\n#'; head -c $(($1 - 6)) /dev/zero | tr '\0' x; }
pad 1048577 > "$UPDRAFT_HOME/big.sh"
pad 1048576 > "$UPDRAFT_HOME/fits.sh"
printf 'schedule = "none";\ntasks = (\n  { id = "a"; script = "../big.sh"; },\n  { id = "b"; script = "../fits.sh"; }\n);\n' \
    > "$d/t9404_s.dag"
out=$(updraft check "$d/t9404_s.dag" 2>&1)
expect_eq "a script over 1 MiB is refused, with file:line" "$out" \
    "$d/t9404_s.dag:3: task 'a': script '../big.sh' is bigger than max_script_size (1048576 bytes)"

printf 'max_script_size = "2M";\n' > "$UPDRAFT_HOME/updraft.conf"
expect_eq "max_script_size raises the bound" \
    "$(updraft check "$d/t9404_s.dag" 2>&1)" "$d/t9404_s.dag: ok"
printf 'max_script_size = "512k";\n' > "$UPDRAFT_HOME/updraft.conf"
out=$(updraft check "$d/t9404_s.dag" 2>&1)
expect_eq "and lowers it" "$out" \
"$d/t9404_s.dag:3: task 'a': script '../big.sh' is bigger than max_script_size (524288 bytes)
$d/t9404_s.dag:4: task 'b': script '../fits.sh' is bigger than max_script_size (524288 bytes)"

for bad in '1024' '"1024"' '"1MB"' '"2G"' '"0K"'; do
	printf 'max_script_size = %s;\n' "$bad" > "$UPDRAFT_HOME/updraft.conf"
	expect_eq "max_script_size = $bad is refused" "$(updraft list 2>&1)" \
	    "updraft: $UPDRAFT_HOME/updraft.conf:1: 'max_script_size' must be a size with K, M or G, like \"1M\" (at most 2047M)"
done

done_testing
