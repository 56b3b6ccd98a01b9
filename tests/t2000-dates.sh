#!/bin/sh
# `updraft dates`: the ticks of a schedule, exactly, across DST changes.
. "$(dirname "$0")/lib.sh"

expect_eq "daily at 03:00 across the spring change in Berlin" \
    "$(updraft dates '0 3 * * *' --tz Europe/Berlin --from 2026-03-27 --to 2026-03-31)" \
    "2026-03-27T03:00:00+01:00
2026-03-28T03:00:00+01:00
2026-03-29T03:00:00+02:00
2026-03-30T03:00:00+02:00"

expect_eq "a skipped wall time fires at the jump (--utc)" \
    "$(updraft dates '30 2 * * *' --tz Europe/Berlin --from 2026-03-28 --to 2026-03-31 --utc)" \
    "2026-03-28T01:30:00+00:00
2026-03-29T01:00:00+00:00
2026-03-30T00:30:00+00:00"

expect_eq "a repeated hour fires twice when the hour field is *" \
    "$(updraft dates '*/30 * * * *' --tz Europe/Berlin --from 2026-10-25T01:30 --to 2026-10-25T03:01)" \
    "2026-10-25T01:30:00+02:00
2026-10-25T02:00:00+02:00
2026-10-25T02:30:00+02:00
2026-10-25T02:00:00+01:00
2026-10-25T02:30:00+01:00
2026-10-25T03:00:00+01:00"

expect_eq "a repeated wall time fires once otherwise" \
    "$(updraft dates '30 2 * * *' --tz Europe/Berlin --from 2026-10-24 --to 2026-10-27)" \
    "2026-10-24T02:30:00+02:00
2026-10-25T02:30:00+02:00
2026-10-26T02:30:00+01:00"

expect_eq "every 6h is anchored at --from, [from, to)" \
    "$(updraft dates 'every 6h' --from 2026-11-01T01:00:00Z --to 2026-11-02T01:00:00Z)" \
    "2026-11-01T01:00:00+00:00
2026-11-01T07:00:00+00:00
2026-11-01T13:00:00+00:00
2026-11-01T19:00:00+00:00"

expect_eq "@monthly, offsets given in the input" \
    "$(updraft dates @monthly --from 2026-01-01T00:00:00+00:00 --to 2026-04-01T00:00:01Z)" \
    "2026-01-01T00:00:00+00:00
2026-02-01T00:00:00+00:00
2026-03-01T00:00:00+00:00
2026-04-01T00:00:00+00:00"

expect_eq "Feb 29 only in leap years" \
    "$(updraft dates '0 0 29 2 *' --from 2025-01-01 --to 2033-01-01)" \
    "2028-02-29T00:00:00+00:00
2032-02-29T00:00:00+00:00"

out=$(updraft dates '61 * * * *' --from 2026-01-01 --to 2026-01-02 2>&1)
expect_eq "bad cron: a usage error, exit 2" "$?" 2
expect_eq "bad cron names field and token" "$out" \
    "updraft: bad cron expression '61 * * * *': minute field: '61' is out of range 0-59"

out=$(updraft dates @daily --tz Mars/Olympus --from 2026-01-01 --to 2026-01-02 2>&1)
expect_eq "unknown zone" "$out" "updraft: bad --tz: unknown time zone 'Mars/Olympus'"

out=$(updraft dates @daily --from 2026-13-01 --to 2026-01-02 2>&1)
expect_eq "bad date" "$out" \
    "updraft: bad --from: invalid date '2026-13-01': month is out of range 1-12"

out=$(updraft dates @daily --from 2026-01-01 2>&1)
expect_eq "--to is required" "$?" 2

done_testing
