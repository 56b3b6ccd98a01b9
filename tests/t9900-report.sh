#!/bin/sh
# updraft report on a fixed database (tests/data/report-fixture.sh), no
# browser: where it writes and with what mode, that the page needs nothing
# outside itself, that what users and jobs wrote is escaped and valid
# UTF-8, log tails (cut, a link not followed), --since, --last, errors.
# t9910 loads the same page in chromium.
. "$(dirname "$0")/lib.sh"
TEST_JOB_PREFIX=t9900_
unset TZ
. "$TEST_DATADIR/report-fixture.sh"
page=$UPDRAFT_HOME/report.html

out=$(updraft report 2>&1)
expect_eq "report: writes report.html in the state directory and says so" \
    "$? $out" "0 $page"
expect_eq "the page is the user's alone (0600)" "$(stat -c %a "$page")" 600
expect_eq "it is one HTML document" "$(head -1 "$page") $(tail -1 "$page")" \
    "<!DOCTYPE html> </html>"
expect_eq "it has a section for every DAG, in order" \
    "$(sed -n 's/^<section class="dag" data-dag="\([^"]*\)">$/\1/p' "$page" |
    tr '\n' ' ')" "t9900_broken t9900_eval t9900_hourly t9900_train "

# Every element it opens it closes, in order (void ones aside).
expect_eq "its elements nest: each one opened is closed, in order" \
    "$(/usr/bin/python3 - "$page" <<'PY'
import sys
from html.parser import HTMLParser
VOID = {"meta", "br", "input", "img", "link", "hr", "col", "wbr"}
class Check(HTMLParser):
    stack, errors = [], []
    def handle_starttag(self, tag, attrs):
        if tag not in VOID:
            self.stack.append(tag)
    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.errors.append("line %d: </%s> closes %s" % (
                self.getpos()[0], tag, self.stack[-1:]))
        else:
            self.stack.pop()
c = Check()
c.feed(open(sys.argv[1], encoding="utf-8").read())
print(" ".join(c.errors[:3]), "left open:", c.stack)
PY
)" " left open: []"

# Self-contained: nothing it could fetch, and a policy that forbids it.
expect_eq "nothing to fetch: no src, link, import or remote URL" \
    "$(grep -ciE ' src=|<link|@import|url\([^#]|https?://' "$page")" 0
expect_eq "its Content-Security-Policy allows no fetch at all" \
    "$(grep -c "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'; img-src data:\">" "$page")" 1
expect_eq "one script, its own" "$(grep -o '<script' "$page" | wc -l)" 1

# What users wrote is text, never markup.
expect_eq "a note with markup is escaped" \
    "$(grep -c '&lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;quoted&quot; &lt;b&gt;' "$page")" 2
expect_eq "a label with markup is escaped" \
    "$(grep -o '<span class="label">&lt;i&gt;best&lt;/i&gt;</span>' "$page" |
    wc -l)" 1
expect_eq "no markup of theirs survives" \
    "$(grep -c 'alert(1)</script>\|<i>best' "$page")" 0

# Logs: the tail of each, bytes that are not UTF-8 replaced, links not read.
expect_eq "the page is valid UTF-8" \
    "$(iconv -f UTF-8 -t UTF-8 "$page" >/dev/null 2>&1; echo $?)" 0
expect_eq "a log's bytes that are not UTF-8 are U+FFFD, its markup escaped" \
    "$(grep -c "ValueError: bad &lt;input&gt; &amp; $(printf '\357\277\275\357\277\275') bytes" "$page")" 1
expect_eq "a long log: its end only, from a line's start" \
    "$(grep -c '<p class="cut">(its end only)</p><pre>epoch [0-9]*: loss' "$page") $(grep -c '^epoch 400: loss' "$page") $(grep -c '^epoch 1: loss' "$page")" \
    "1 1 0"
expect_eq "a failed task's log is open" \
    "$(grep -o '<details data-task="train" open><summary><code>[^<]*' "$page")" \
    "<details data-task=\"train\" open><summary><code>$UPDRAFT_HOME/logs/t9900_train/scheduled__2026-11-03T00:00:00+00:00/train.2.log"
expect_eq "a log that is a symbolic link is not followed" \
    "$(grep -c 'a symbolic link: not read' "$page") $(grep -c secret "$page")" \
    "1 0"
href=$(grep -o '<a href="logs/t9900_train/[^"]*/train\.2\.log">the whole log</a>' \
    "$page" | sed 's/^<a href="\([^"]*\)".*/\1/')
expect_eq "beside the state directory's logs, a link to the whole log" \
    "$href $(test -f "$UPDRAFT_HOME/$(printf %s "$href" | sed 's/%2B/+/g')" &&
    echo there)" \
    "logs/t9900_train/scheduled__2026-11-03T00:00:00%2B00:00/train.2.log there"
mkdir "$UPDRAFT_HOME/elsewhere"
updraft report t9900_train -o "$UPDRAFT_HOME/elsewhere/r.html" >/dev/null
expect_eq "elsewhere, no link (it would lead nowhere), the tails all the same" \
    "$(grep -c 'the whole log' "$UPDRAFT_HOME/elsewhere/r.html") $(grep -c '^epoch 400: loss' "$UPDRAFT_HOME/elsewhere/r.html")" \
    "0 1"
expect_eq "a log not there says so" \
    "$(grep -c '<p class="none">No such file or directory</p>' "$page")" 27

# Which runs.
expect_eq "every run of a DAG by default" \
    "$(grep -o 't9900_train.dag</code> · [^<]*' "$page")" \
    "t9900_train.dag</code> · 5 runs"
updraft report t9900_train --last 2 -o "$UPDRAFT_HOME/last.html" >/dev/null
expect_eq "--last N: the newest N" \
    "$(grep -o 't9900_train.dag</code> · [^<]*' "$UPDRAFT_HOME/last.html") $(grep -c '<section class="detail"' "$UPDRAFT_HOME/last.html")" \
    "t9900_train.dag</code> · the newest 2 of 5 runs 2"
updraft report t9900_train t9900_eval --since 2026-11-04T00:00:00Z \
    -o "$UPDRAFT_HOME/since.html" >/dev/null
expect_eq "--since T: from that logical date on, only the DAGs named" \
    "$(sed -n 's/^<section class="detail" data-dag="\([^"]*\)" data-run="\([^"]*\)">$/\1 \2/p' "$UPDRAFT_HOME/since.html")" \
    "t9900_train scheduled__2026-11-05T00:00:00+00:00
t9900_train scheduled__2026-11-04T00:00:00+00:00
t9900_eval manual__2026-11-04T00:00:00+00:00"

# -o: a file, standard output, never through a link.
cd "$UPDRAFT_HOME" || exit 1
expect_eq "-o FILE: says the path it was given" \
    "$(updraft report t9900_hourly -o here.html)" "here.html"
expect_eq "-o -: the page on standard output" \
    "$(updraft report t9900_hourly -o - | sed -n '1p;$p' | tr '\n' ' ')" \
    "<!DOCTYPE html> </html> "
echo keep > target
ln -s target link.html
updraft report t9900_hourly -o link.html >/dev/null
expect_eq "-o over a link replaces the link, not what it points to" \
    "$(cat target) $(test -L link.html && echo link || echo file)" \
    "keep file"
expect_eq "no temporary file is left behind" "$(ls -a | grep -c '^\.report')" 0
cd - >/dev/null || exit 1

out=$(updraft report t9900_hourly -o "$UPDRAFT_HOME/no/such/dir/r.html" 2>&1)
expect_eq "a folder that is not there: the error, exit 1" "$? $out" \
    "1 updraft: cannot write '$UPDRAFT_HOME/no/such/dir/r.html': No such file or directory"
out=$(updraft report t9900_trian 2>&1)
expect_eq "a misspelled DAG: did you mean, exit 1" "$? $out" \
    "1 updraft: cannot find dag 't9900_trian'; did you mean 't9900_train'?"
out=$(updraft report --last 0 2>&1)
expect_eq "--last 0: exit 2 and why" "$? $out" \
    "2 updraft: bad --last '0': expected a number from 1 to 100000"
out=$(updraft report --since x 2>&1)
expect_eq "--since x: exit 2 and why" "$? $out" \
    "2 updraft: bad --since: invalid date 'x': expected YYYY-MM-DD[THH:MM[:SS]][Z|±HH:MM]"
out=$(updraft report -o '' 2>&1)
expect_eq "-o '': exit 2 and why" "$? $out" \
    "2 updraft: bad --output '': expected a file name or '-'"

# A new home: no DAG, a page that says so.
UPDRAFT_HOME=$UPDRAFT_HOME/empty updraft report >/dev/null
expect_eq "no DAGs: the page says so" \
    "$(grep -c '<p class="none">No DAGs yet.</p>' "$UPDRAFT_HOME/empty/report.html")" 1

done_testing
