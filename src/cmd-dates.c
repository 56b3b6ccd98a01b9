/* Print the ticks of a schedule between two instants. */

#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "cmd.h"

static int	cmd_dates_exec(struct cmd_ctx *, int, char **);

const struct cmd_entry cmd_dates_entry = {
	.name = "dates",
	.usage = "SCHEDULE --from T1 --to T2 [--tz ZONE] [--utc]",
	.summary = "print every tick of a schedule in [T1, T2)",
	.help = "T1 and T2 are ISO-8601 with an offset or Z, or a wall-clock "
	    "time in ZONE\n(default UTC). Ticks print as ISO-8601 with seconds "
	    "and the UTC offset in\nZONE, or in UTC with --utc. An `every` "
	    "schedule is anchored at T1.\n",
	.exec = cmd_dates_exec,
};

static int
cmd_dates_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' },
		{ "tz", required_argument, NULL, 'z' },
		{ "utc", no_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 }
	};
	const char		*from = NULL, *to = NULL, *zone = "UTC";
	struct tz		*tz;
	struct schedule		*s;
	char			*cause, buf[40];
	int64_t			 t1, t2, t;
	int			 ch, utc = 0, status = 1;

	(void)ctx;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
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
		cmd_error("%s", cause);
		free(cause);
		return (1);
	}
	s = NULL;
	if (tz_parse_time(from, tz, &t1, &cause) != 0 ||
	    tz_parse_time(to, tz, &t2, &cause) != 0 ||
	    (s = schedule_parse(argv[optind], tz, &cause)) == NULL) {
		cmd_error("%s", cause);
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
