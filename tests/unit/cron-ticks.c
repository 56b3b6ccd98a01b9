/* Print the next ticks of many cron expressions, for differential tests. */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "updraft.h"

/*
 * Each line of stdin is EXPR<TAB>START<TAB>N, START in ISO 8601 (UTC when
 * it has no offset). Each line of stdout answers one of them: the first N
 * ticks strictly after START, in UTC and separated by spaces (fewer if the
 * schedule ends), or "error: " and why the expression is bad.
 */
int
main(void)
{
	struct schedule	*s;
	char		*line = NULL, *expr, *start, *count, *end, *cause;
	char		 buf[40];
	size_t		 size = 0;
	ssize_t		 len;
	int64_t		 t;
	long		 n, i;
	int		 lineno = 0;

	while ((len = getline(&line, &size, stdin)) != -1) {
		lineno++;
		if (len > 0 && line[len - 1] == '\n')
			line[len - 1] = '\0';
		expr = line;
		if ((start = strchr(expr, '\t')) == NULL ||
		    (count = strchr(start + 1, '\t')) == NULL)
			fatalx("stdin:%d: expected EXPR<TAB>START<TAB>N",
			    lineno);
		*start++ = '\0';
		*count++ = '\0';
		n = strtol(count, &end, 10);
		if (*count == '\0' || *end != '\0' || n < 0)
			fatalx("stdin:%d: bad count '%s'", lineno, count);
		if (tz_parse_time(start, NULL, &t, &cause) != 0)
			fatalx("stdin:%d: %s", lineno, cause);

		if ((s = schedule_parse(expr, NULL, &cause)) == NULL) {
			printf("error: %s\n", cause);
			free(cause);
			continue;
		}
		for (i = 0; i < n && schedule_next(s, t, t, &t); i++) {
			tz_format(NULL, t, buf, sizeof buf);
			printf("%s%s", i == 0 ? "" : " ", buf);
		}
		putchar('\n');
		schedule_free(s);
	}
	free(line);
	if (fflush(stdout) != 0 || ferror(stdout))
		fatal("stdout");
	return (0);
}
