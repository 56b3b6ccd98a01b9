#!/bin/sh
# updraft report in a real browser: Debian's chromium, headless, loads the
# page of a fixed database (tests/data/report-fixture.sh) and the test
# reads the DOM it rendered, after the page's script ran (--dump-dom,
# summarised by tests/data/report-dom.py): the grid's cells and states,
# the graph's nodes and edges, the runs tables' rows as sorting and
# filtering through the URL's fragment leave them, the run whose Gantt
# chart shows. It keeps a screenshot and the page as artifacts, in the
# build's tests/ folder: tests/t9910-report-browser.png and .html.
# Without chromium it is skipped (failed in CI, which installs it).
. "$(dirname "$0")/lib.sh"
TEST_JOB_PREFIX=t9900_
unset TZ

browser=${CHROMIUM:-}
for b in chromium chromium-browser google-chrome; do
	[ -n "$browser" ] && break
	command -v "$b" >/dev/null 2>&1 && browser=$b
done
if [ -z "$browser" ]; then
	if [ "${CI:-}" = true ]; then
		echo "Bail out! no chromium in CI (scripts/install-deps installs it)"
		exit 1
	fi
	echo "1..0 # SKIP no chromium: install Debian's chromium (scripts/install-deps)"
	exit 0
fi

. "$TEST_DATADIR/report-fixture.sh"
page=$UPDRAFT_HOME/report.html
updraft report >/dev/null
art=${TEST_ARTIFACTS:-tests}
mkdir -p "$art"
art=$(cd "$art" && pwd)
cp "$page" "$art/t9910-report-browser.html"

# browse FRAGMENT: the summary of the DOM chromium rendered for the page
# at #FRAGMENT. As root chromium needs --no-sandbox.
browse() {
	sandbox=
	[ "$(id -u)" = 0 ] && sandbox=--no-sandbox
	timeout 120 "$browser" --headless $sandbox --disable-gpu \
	    --no-first-run --user-data-dir="$UPDRAFT_HOME/.chromium" \
	    --dump-dom "file://$page#$1" > "$UPDRAFT_HOME/dom.html" \
	    2>"$UPDRAFT_HOME/chromium.err"
	/usr/bin/python3 "$TEST_DATADIR/report-dom.py" \
	    "$UPDRAFT_HOME/dom.html" ${2:-}
}

# rows FRAGMENT DAG: the rows of DAG's runs table left shown, each run id
# cut to its day (or hour).
rows() {
	browse "$1" "$2" | sed -n 's/^rows //p' |
	    sed 's/scheduled__2026-\([0-9-]*\)T\([0-9]*\):00:00+00:00/\1T\2/g'
}

browse "" > "$UPDRAFT_HOME/got"
if [ ! -s "$UPDRAFT_HOME/dom.html" ]; then
	fail "chromium rendered the page"
	sed 's/^/# /' "$UPDRAFT_HOME/chromium.err" | tail -20
	done_testing
	exit 1
fi
test_golden t9910-report-dom "$UPDRAFT_HOME/got" \
    "the rendered page: grids, graphs, runs tables, the newest runs' details"

expect_eq "#sort=metrics.val_loss: ascending, runs without it last" \
    "$(rows 'sort=metrics.val_loss' t9900_train)" \
    "11-04T00 11-02T00 11-01T00 11-05T00 11-03T00"
expect_eq "#sort=-params.lr: descending" \
    "$(rows 'sort=-params.lr' t9900_train)" \
    "11-03T00 11-01T00 11-02T00 11-05T00 11-04T00"
expect_eq "#sort=metrics.train.val_loss: a metric by its task too" \
    "$(rows 'sort=metrics.train.val_loss' t9900_train)" \
    "11-04T00 11-02T00 11-01T00 11-05T00 11-03T00"
expect_eq "the sorted column is marked" \
    "$(browse 'sort=-metrics.val_loss' t9900_train | grep '^sorted')" \
    "sorted metrics.val_loss descending"
expect_eq "#filter=state:failed: in every DAG" \
    "$(browse 'filter=state:failed' | grep '^count' | tr '\n' ' ')" \
    "count 0 of 2 runs count 1 of 4 runs count 1 of 5 runs "
expect_eq "#filter=state:failed: the failed run" \
    "$(rows 'filter=state:failed' t9900_train)" "11-03T00"
expect_eq "the rows filtered out are hidden, not removed" \
    "$(browse 'filter=state:failed' t9900_train | sed -n 's/^hidden //p' |
    wc -w)" 4
expect_eq "#filter=label:sweep&sort=-metrics.val_loss: both" \
    "$(rows 'filter=label:sweep&sort=-metrics.val_loss' t9900_train)" \
    "11-02T00 11-04T00 11-03T00"
expect_eq "#filter=metrics.val_loss<0.3: a comparison, as numbers" \
    "$(rows 'filter=metrics.val_loss%3C0.3' t9900_train)" \
    "11-04T00 11-02T00"
expect_eq "#filter=params.epochs>=20 and a word found anywhere" \
    "$(rows 'filter=params.epochs>=20' t9900_train) / $(rows 'filter=higher' t9900_train)" \
    "11-04T00 / 11-02T00"
expect_eq "a label with markup is matched as text" \
    "$(rows 'filter=label:%3Ci%3Ebest%3C/i%3E' t9900_train)" "11-04T00"
expect_eq "#run=DAG/RUN: that run's Gantt chart and tasks" \
    "$(browse 'run=t9900_train/scheduled__2026-11-03T00:00:00%2B00:00' t9900_train |
    grep '^detail')" \
    "detail scheduled__2026-11-03T00:00:00+00:00 prep:success train:failed baseline:success evaluate:upstream_failed publish:upstream_failed"
expect_eq "#run= of one DAG leaves the others at their newest" \
    "$(browse 'run=t9900_train/scheduled__2026-11-03T00:00:00%2B00:00' t9900_hourly |
    grep '^detail')" \
    "detail scheduled__2026-11-05T18:00:00+00:00 fetch:queued"
expect_eq "the chosen run is marked in the grid and the table" \
    "$(browse 'run=t9900_train/scheduled__2026-11-03T00:00:00%2B00:00' t9900_train |
    grep '^chosen')" \
    "chosen 6 cells, row scheduled__2026-11-03T00:00:00+00:00"
expect_eq "the page's text came through as text" \
    "$(grep -c '&lt;/script&gt;&lt;script&gt;alert(1)' "$UPDRAFT_HOME/dom.html") $(grep -c '<script>alert' "$UPDRAFT_HOME/dom.html")" \
    "2 0"

# The screenshot, a PNG of the window's size.
sandbox=
[ "$(id -u)" = 0 ] && sandbox=--no-sandbox
rm -f "$art/t9910-report-browser.png"
timeout 120 "$browser" --headless $sandbox --disable-gpu --no-first-run \
    --hide-scrollbars --user-data-dir="$UPDRAFT_HOME/.chromium" \
    --window-size=1280,2000 \
    --screenshot="$art/t9910-report-browser.png" \
    "file://$page#run=t9900_train/scheduled__2026-11-03T00:00:00%2B00:00" \
    >/dev/null 2>&1
expect_eq "a screenshot: a PNG of 1280 by 2000" \
    "$(/usr/bin/python3 -c 'import struct, sys
d = open(sys.argv[1], "rb").read(24)
print(d[:8] == b"\x89PNG\r\n\x1a\n", *struct.unpack(">II", d[16:24]))' \
    "$art/t9910-report-browser.png" 2>&1)" "True 1280 2000"
echo "# screenshot: $art/t9910-report-browser.png"

done_testing
