/* Print the ticks of a schedule between two instants. */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static int	cmd_dates_exec(struct cmd_ctx *, int, char **);

static const struct cmd_opt cmd_dates_opts[] = {
	{ "from", 'f', "T1", "the first instant", 0 },
	{ "to", 't', "T2", "the end, left out", 0 },
	{ "tz", 'z', "ZONE", "the schedule's time zone (default UTC)", 0 },
	{ "utc", 'u', NULL, "print the ticks in UTC instead of ZONE", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_dates_entry = {
	.name = "dates",
	.usage = "SCHEDULE --from --to [--tz] [--utc]",
	.summary = "print every tick of a schedule in [T1, T2)",
	.help = "T1 and T2 are ISO-8601 with an offset or Z, or a "
	    "wall-clock time in ZONE. Ticks\n"
	    "print as ISO-8601 with seconds and the UTC offset in "
	    "ZONE. An `every` schedule\n"
	    "is anchored at T1.\n",
	.opts = cmd_dates_opts,
	.exec = cmd_dates_exec,
};

static int
cmd_dates_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	const char		*from = NULL, *to = NULL, *zone = "UTC";
	struct tz		*tz;
	struct schedule		*s;
	char			*cause, buf[40];
	int64_t			 t1, t2, t;
	int			 ch, utc = 0, status = 1;

	(void)ctx;
	while ((ch = cmd_getopt(&cmd_dates_entry, argc, argv)) != -1) {
		switch (ch) {
		case 'f':
			from = optarg;
			break;
		case 't':
			to = optarg;
			break;
		case 'z':
			zone = optarg;
			break;
		case 'u':
			utc = 1;
			break;
		default:
			return (cmd_usage(&cmd_dates_entry));
		}
	}
	if (argc - optind != 1 || from == NULL || to == NULL)
		return (cmd_usage(&cmd_dates_entry));

	if ((tz = tz_load(zone, &cause)) == NULL) {
		status = cmd_bad_value("--tz", NULL, "%s", cause);
		free(cause);
		return (status);
	}
	s = NULL;
	if ((status = cmd_time_value("--from", from, tz, &t1)) != 0 ||
	    (status = cmd_time_value("--to", to, tz, &t2)) != 0)
		goto out;
	if ((s = schedule_parse(argv[optind], tz, &cause)) == NULL) {
		/* The cause says "bad cron expression '...': why". */
		status = cmd_bad_value(NULL, NULL, "%s", cause);
		free(cause);
		goto out;
	}
	/* Ticks come by the million: write them in large blocks. */
	setvbuf(stdout, NULL, _IOFBF, 1 << 16);
	for (t = t1 - 1; schedule_next(s, t1, t, &t) && t < t2; ) {
		tz_format(utc ? NULL : tz, t, buf, sizeof buf);
		puts(buf);
	}
	status = 0;
out:
	schedule_free(s);
	tz_free(tz);
	return (status);
}
