#!/bin/sh
# `updraft scrontab`: the entry it prints (golden files in tests/golden/,
# the home, program and job-name suffix replaced by HOME, BIN and SUFFIX),
# its errors, and --install, both where no scrontab command exists (as
# with Debian's Slurm 22.05) and with a stand-in scrontab that keeps the
# table in a file. UPDATE_GOLDEN=1 rewrites the golden files (test_golden).
. "$(dirname "$0")/lib.sh"
TEST_JOB_PREFIX=t8110_
bin=$(readlink -f "$UPDRAFT_BIN")

# The entry with what differs between machines replaced.
generic() {
	sed -e "s|$UPDRAFT_HOME|HOME|g" -e "s|$bin|BIN|g" \
	    -e 's/updraft-cron__[0-9a-f]\{8\}$/updraft-cron__SUFFIX/'
}

got=$UPDRAFT_HOME/got
updraft scrontab 2>&1 | generic > "$got"
test_golden t8110-default "$got" "a pass every 5m by default"
updraft scrontab --daemon --every 1h --qos workflow --account m1234 2>&1 |
    generic > "$got"
test_golden t8110-daemon "$got" "--daemon in the workflow QOS, restarted hourly"
printf 'poll_interval = 5;\n' > "$UPDRAFT_HOME/my conf's.conf"
updraft -c "$UPDRAFT_HOME/my conf's.conf" scrontab --every 2h --time 5 2>&1 |
    generic > "$got"
test_golden t8110-config "$got" "an odd configuration file name is quoted for the shell"
expect_eq "every day" "$(updraft scrontab --every 1d | sed -n '/^[0-9*]/s/ UPDRAFT.*//p')" \
    "0 0 * * *"
expect_eq "every minute" "$(updraft scrontab --every 60s | sed -n '/^[0-9*]/s/ UPDRAFT.*//p')" \
    "* * * * *"

expect_eq "an interval cron cannot keep" "$(updraft scrontab --every 7m 2>&1; echo "exit $?")" \
"updraft: bad --every '7m': cron cannot keep it: use minutes that divide an hour (1m, 5m, 10m, 15m, 30m...), hours that divide a day, or 1d
exit 2"
expect_eq "seconds cron cannot keep" "$(updraft scrontab --every 90s 2>&1; echo "exit $?")" \
"updraft: bad --every '90s': cron cannot keep it: use minutes that divide an hour (1m, 5m, 10m, 15m, 30m...), hours that divide a day, or 1d
exit 2"
expect_eq "a bad time limit" "$(updraft scrontab --time 1:99 2>&1; echo "exit $?")" \
"updraft: bad --time '1:99': expected minutes, MM:SS, HH:MM:SS or D-HH:MM:SS
exit 2"
expect_eq "a bad QOS" "$(updraft scrontab --qos 'a b' 2>&1; echo "exit $?")" \
"updraft: bad --qos 'a b': expected a name
exit 2"
expect_status "an argument" 2 updraft scrontab now

# No scrontab in PATH: what Debian's Slurm 22.05 gives.
mkdir "$UPDRAFT_HOME/nobin"
expect_eq "--install without scrontab" \
    "$(PATH=$UPDRAFT_HOME/nobin "$UPDRAFT_BIN" scrontab --install 2>&1; echo "exit $?")" \
"updraft: cannot install the entry: this cluster's Slurm has no scrontab command (none in PATH); add the entry that 'updraft scrontab' prints on a cluster that has one
exit 1"

# A stand-in scrontab: -l prints the table (an error when there is none),
# FILE replaces it.
mkdir "$UPDRAFT_HOME/fakebin"
cat > "$UPDRAFT_HOME/fakebin/scrontab" <<'EOS'
#!/bin/sh
if [ -n "$FAKE_DOWN" ]; then
	echo "scrontab: error: Unable to contact slurm controller" >&2
	exit 1
fi
if [ "$1" = -l ]; then
	[ -f "$FAKE_SCRONTAB" ] || { echo "no crontab for you" >&2; exit 1; }
	exec /bin/cat "$FAKE_SCRONTAB"
fi
exec /bin/cp "$1" "$FAKE_SCRONTAB"
EOS
chmod +x "$UPDRAFT_HOME/fakebin/scrontab"
FAKE_SCRONTAB=$UPDRAFT_HOME/table
export FAKE_SCRONTAB
install_entry() {
	PATH=$UPDRAFT_HOME/fakebin "$UPDRAFT_BIN" scrontab --install "$@" 2>&1
	echo "exit $?"
}
expect_eq "--install into an empty table" "$(install_entry)" \
"installed in your scrontab (see 'scrontab -l')
exit 0"
expect_eq "the table holds the entry" "$(cat "$FAKE_SCRONTAB")" "$(updraft scrontab)"
printf '#SCRON -t 5\n0 3 * * * backup.sh\n' > "$FAKE_SCRONTAB"
install_entry >/dev/null
install_entry --daemon --qos workflow >/dev/null
expect_eq "--install keeps the other entries and replaces its own" \
    "$(cat "$FAKE_SCRONTAB")" \
"#SCRON -t 5
0 3 * * * backup.sh
$(updraft scrontab --daemon --qos workflow)"
expect_eq "--install when scrontab -l fails leaves the table" \
    "$(FAKE_DOWN=1 install_entry; cat "$FAKE_SCRONTAB" | wc -l)" \
"updraft: 'scrontab -l' failed (exit status 1): scrontab: error: Unable to contact slurm controller
exit 1
11"
ls "$UPDRAFT_HOME" | grep scrontab. >/dev/null
expect_eq "--install leaves no temporary file" "$?" 1

done_testing
