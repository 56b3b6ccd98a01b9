/* What the terminal views share: colour, widths, times, the task order. */

#include <sys/ioctl.h>

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "escape.h"
#include "output.h"
#include "state.h"
#include "view.h"

/*
 * The width to fit: the terminal's when standard output is one, else
 * $COLUMNS, else 80.
 */
int
view_columns(void)
{
	struct winsize	 ws;
	const char	*env;
	char		*end;
	long		 n;

	if (isatty(STDOUT_FILENO) &&
	    ioctl(STDOUT_FILENO, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return (ws.ws_col);
	if ((env = getenv("COLUMNS")) != NULL && *env != '\0') {
		n = strtol(env, &end, 10);
		if (*end == '\0' && n > 0 && n < 10000)
			return ((int)n);
	}
	return (80);
}

/*
 * 1 if output is coloured: standard output is a terminal, NO_COLOR is not
 * set (or empty) and TERM is set and not "dumb".
 */
int
view_colour(void)
{
	const char	*env;

	if ((env = getenv("NO_COLOR")) != NULL && *env != '\0')
		return (0);
	if ((env = getenv("TERM")) == NULL || *env == '\0' ||
	    strcmp(env, "dumb") == 0)
		return (0);
	return (isatty(STDOUT_FILENO));
}

/* Print what each letter means, wrapped to width. */
void
view_legend(FILE *f, int width, int colour)
{
	const struct state	*s;
	size_t			 i;
	int			 col = 0, len;

	/* The states that have a letter, then the blank. */
	for (i = 0;; i++) {
		if ((s = state_at(i)) != NULL && s->symbol == 0)
			continue;
		if (s != NULL)
			len = 2 + (int)strlen(s->name);
		else
			len = (int)strlen("(blank) no task instance");
		if (col > 0 && col + 2 + len > width) {
			fputc('\n', f);
			col = 0;
		} else if (col > 0) {
			fputs("  ", f);
			col += 2;
		}
		if (s == NULL)
			fputs("(blank) no task instance", f);
		else if (colour)
			fprintf(f, "%s%c" VIEW_RESET " %s", s->colour,
			    s->symbol, s->name);
		else
			fprintf(f, "%c %s", s->symbol, s->name);
		col += len;
		if (s == NULL)
			break;
	}
	fputc('\n', f);
}

/* Write t with strftime's fmt, in UTC or else in the local zone (TZ). */
void
view_time(char *buf, size_t len, const char *fmt, int64_t t, int utc)
{
	struct tm	tm;
	time_t		tt = (time_t)t;

	if (utc)
		tz_breakdown(NULL, t, &tm);
	else if (localtime_r(&tt, &tm) == NULL)
		tz_breakdown(NULL, t, &tm);
	/* fmt is the caller's: -Wformat-nonliteral cannot check it here. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	if (strftime(buf, len, fmt, &tm) == 0 && len > 0)
		*buf = '\0';
#pragma GCC diagnostic pop
}

/* A table's time: "YYYY-MM-DD HH:MM:SS" local or UTC, "-" for 0 (none). */
void
view_when(char *buf, size_t len, int64_t t, int utc)
{
	if (t == 0)
		snprintf(buf, len, "-");
	else
		view_time(buf, len, "%Y-%m-%d %H:%M:%S", t, utc);
}

/*
 * Parse --since: ISO-8601 with an offset or Z is that instant; a wall time
 * without one is in the local zone (TZ), as the table prints by default.
 * 0, or -1 with a cause.
 */
int
view_parse_since(const char *text, int64_t *t, char **cause)
{
	struct tm	 tm;
	time_t		 local;

	if (tz_parse_time(text, NULL, t, cause) != 0)
		return (-1);
	if (strlen(text) > 10 && strpbrk(text + 10, "Z+-") != NULL)
		return (0);
	tz_breakdown(NULL, *t, &tm);
	tm.tm_isdst = -1;
	if ((local = mktime(&tm)) == (time_t)-1) {
		xasprintf(cause, "bad time '%s'", text);
		return (-1);
	}
	*t = (int64_t)local;
	return (0);
}

/* What view_time's times are in, for a title. */
const char *
view_zone_name(int utc)
{
	return (utc ? "UTC" : "local time");
}

/* A length of time, short, leaving out a second unit of 0: 45s, 12m05s, 3h. */
void
view_duration(char *buf, size_t len, int64_t secs)
{
	static const struct {
		int64_t		 size;
		const char	*unit;
	} units[] = { { 86400, "d" }, { 3600, "h" }, { 60, "m" }, { 1, "s" } };
	size_t	i;
	int64_t	big, small;

	if (secs < 0)
		secs = 0;
	for (i = 0; i < 3 && secs < units[i].size; i++)
		;
	if (i == 3) {
		snprintf(buf, len, "%llds", (long long)secs);
		return;
	}
	big = secs / units[i].size;
	small = secs % units[i].size / units[i + 1].size;
	if (small == 0)
		snprintf(buf, len, "%lld%s", (long long)big, units[i].unit);
	else
		snprintf(buf, len, "%lld%s%02lld%s", (long long)big,
		    units[i].unit, (long long)small, units[i + 1].unit);
}

/* Print s and spaces after it up to width (nothing cut). */
void
view_pad(FILE *f, const char *s, size_t width)
{
	size_t	len = strlen(s);

	fputs(s, f);
	for (; len < width; len++)
		fputc(' ', f);
}

/* Print s as one shell word: as it is when that is safe, else quoted. */
void
view_shell_word(FILE *f, const char *s)
{
	const char	*p;

	if (*s != '\0' && s[strspn(s, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.-+:,@%/=")] == '\0') {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (p = s; *p != '\0'; p++) {
		if (*p == '\'')
			fputs("'\\''", f);
		else
			fputc(*p, f);
	}
	fputc('\'', f);
}

void
view_table_init(struct view_table *t, size_t ncols)
{
	memset(t, 0, sizeof *t);
	t->ncols = ncols;
}

static void
view_table_grow(struct view_table *t)
{
	t->cells = xreallocarray(t->cells, (t->nrows + 1) * t->ncols,
	    sizeof *t->cells);
	t->lines = xreallocarray(t->lines, t->nrows + 1, sizeof *t->lines);
	memset(&t->cells[t->nrows * t->ncols], 0, t->ncols * sizeof *t->cells);
	t->lines[t->nrows] = NULL;
	t->nrows++;
}

/* s as a terminal should show it (escape.c), allocated. */
static char *
view_escape(const char *s, int flags)
{
	char	*out;
	size_t	 n;

	n = escape_terminal_buf(s, NULL, 0, flags);
	out = xmalloc(n + 1);
	escape_terminal_buf(s, out, n + 1, flags);
	return (out);
}

/* Add a row of ncols strings; NULL is shown as "-". */
void
view_table_add(struct view_table *t, ...)
{
	va_list		 ap;
	const char	*s;
	size_t		 i;

	view_table_grow(t);
	va_start(ap, t);
	for (i = 0; i < t->ncols; i++) {
		s = va_arg(ap, const char *);
		t->cells[(t->nrows - 1) * t->ncols + i] =
		    view_escape(s != NULL ? s : "-", 0);
	}
	va_end(ap);
}

/*
 * Add a row of ncols allocated strings, which the table now owns. Every
 * cell and line is kept as a terminal should show it (escape.c).
 */
void
view_table_add_cells(struct view_table *t, char **cells)
{
	size_t	i;

	view_table_grow(t);
	for (i = 0; i < t->ncols; i++) {
		t->cells[(t->nrows - 1) * t->ncols + i] =
		    view_escape(cells[i], 0);
		free(cells[i]);
	}
}

/*
 * Colour column col of every row but the first (the heading): colour
 * gives the escape sequence for a cell, "" for none. Printed only where
 * view_colour() says so; the caller asks.
 */
void
view_table_colour(struct view_table *t, size_t col,
    const char *(*colour)(const char *))
{
	t->colour_col = col;
	t->colour = colour;
}

/*
 * Field f of obj as a table shows it, allocated: times local or in UTC,
 * the field's blank (or "-") for none.
 */
static char *
view_cell(const struct output_field *f, const void *obj, int utc)
{
	struct output_value	v;
	char			buf[40];

	output_value(f, obj, &v);
	if (v.kind == OUTPUT_TIME && !v.none) {
		view_when(buf, sizeof buf, v.n, utc);
		return (xstrdup(buf));
	}
	if (v.none && v.kind != OUTPUT_OBJECT && v.kind != OUTPUT_LABELS)
		return (xstrdup(f->blank != NULL ? f->blank : "-"));
	return (output_text(f, obj));
}

/* Add a heading row: the headings of the fields of o named. */
void
view_table_head(struct view_table *t, const struct output_object *o,
    const char *const *names)
{
	char	**cells;
	size_t	  i;

	cells = xcalloc(t->ncols, sizeof *cells);
	for (i = 0; i < t->ncols; i++)
		cells[i] = xstrdup(output_field(o, names[i])->head);
	view_table_add_cells(t, cells);
	free(cells);
}

/* Add a row: the fields of obj named, times local or in UTC. */
void
view_table_row(struct view_table *t, const struct output_object *o,
    const char *const *names, const void *obj, int utc)
{
	char	**cells;
	size_t	  i;

	cells = xcalloc(t->ncols, sizeof *cells);
	for (i = 0; i < t->ncols; i++)
		cells[i] = view_cell(output_field(o, names[i]), obj, utc);
	view_table_add_cells(t, cells);
	free(cells);
}

/* Add a line under the last row, outside the columns. */
void
view_table_line(struct view_table *t, const char *fmt, ...)
{
	va_list	 ap;
	char	*line;

	view_table_grow(t);
	va_start(ap, fmt);
	xvasprintf(&line, fmt, ap);
	va_end(ap);
	t->lines[t->nrows - 1] = view_escape(line, ESCAPE_KEEP_NEWLINE);
	free(line);
}

/*
 * Print each row after indent, columns two spaces apart, the coloured
 * column coloured; empty cells at the end of a row are left out, so that
 * no line ends in spaces.
 */
void
view_table_print(FILE *f, const struct view_table *t, const char *indent)
{
	size_t		*width, r, c, len, end;
	const char	*cell, *sgr;

	width = xcalloc(t->ncols, sizeof *width);
	for (r = 0; r < t->nrows; r++) {
		for (c = 0; c < t->ncols && t->lines[r] == NULL; c++) {
			len = strlen(t->cells[r * t->ncols + c]);
			if (len > width[c])
				width[c] = len;
		}
	}
	for (r = 0; r < t->nrows; r++) {
		fputs(indent, f);
		if (t->lines[r] != NULL) {
			fprintf(f, "%s\n", t->lines[r]);
			continue;
		}
		end = t->ncols;
		while (end > 1 && *t->cells[r * t->ncols + end - 1] == '\0')
			end--;
		for (c = 0; c < end; c++) {
			cell = t->cells[r * t->ncols + c];
			sgr = "";
			if (t->colour != NULL && r > 0 && c == t->colour_col)
				sgr = t->colour(cell);
			if (*sgr != '\0')
				fprintf(f, "%s%s" VIEW_RESET, sgr, cell);
			else
				fputs(cell, f);
			if (c + 1 < end) {
				for (len = strlen(cell); len < width[c]; len++)
					fputc(' ', f);
				fputs("  ", f);
			}
		}
		fputc('\n', f);
	}
	free(width);
}

void
view_table_free(struct view_table *t)
{
	size_t	i;

	for (i = 0; i < t->nrows * t->ncols; i++)
		free(t->cells[i]);
	for (i = 0; i < t->nrows; i++)
		free(t->lines[i]);
	free(t->cells);
	free(t->lines);
	memset(t, 0, sizeof *t);
}

/*
 * A value for --format's columns, allocated: control characters written
 * \t, \n, \r or \xNN, as escape.c writes them for a terminal, and under
 * --parsable the separator '|' as \x7c, so that a value stays on its
 * line and in its column.
 */
static char *
view_format_escape(char *s, int parsable)
{
	static const char	 named[] = "\t\n\r", names[] = "tnr";
	const unsigned char	*p;
	const char		*c;
	char			*out, *o;

	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if (*p < 0x20 || *p == 0x7f || (parsable && *p == '|'))
			break;
	}
	if (*p == '\0')
		return (s);
	out = o = xmalloc(4 * strlen(s) + 1);
	for (p = (const unsigned char *)s; *p != '\0'; p++) {
		if ((c = strchr(named, *p)) != NULL) {
			*o++ = '\\';
			*o++ = names[c - named];
		} else if (*p < 0x20 || *p == 0x7f ||
		    (parsable && *p == '|')) {
			snprintf(o, 5, "\\x%02x", *p);
			o += 4;
		} else
			*o++ = (char)*p;
	}
	*o = '\0';
	free(s);
	return (out);
}

/* Start t for fmt's columns: a heading of the field names, upper case. */
void
view_format_init(struct view_table *t, const struct output_format *fmt)
{
	char	**cells, *p;
	size_t	  i;

	view_table_init(t, fmt->ncols);
	if (fmt->noheader)
		return;
	cells = xcalloc(t->ncols, sizeof *cells);
	for (i = 0; i < t->ncols; i++) {
		cells[i] = xstrdup(fmt->fields[i]->name);
		for (p = cells[i]; *p != '\0'; p++) {
			if (*p >= 'a' && *p <= 'z')
				*p = *p - 'a' + 'A';
		}
	}
	view_table_add_cells(t, cells);
	free(cells);
}

/*
 * Add obj's row of fmt's columns: as a table shows them, escaped; under
 * --parsable, none is empty rather than "-".
 */
void
view_format_row(struct view_table *t, const struct output_format *fmt,
    const void *obj, int utc)
{
	struct output_value	  v;
	char			**cells;
	size_t			  i;

	cells = xcalloc(t->ncols, sizeof *cells);
	for (i = 0; i < t->ncols; i++) {
		output_value(fmt->fields[i], obj, &v);
		if (fmt->parsable && v.none && v.kind != OUTPUT_OBJECT &&
		    v.kind != OUTPUT_LABELS)
			cells[i] = xstrdup("");
		else
			cells[i] = view_format_escape(view_cell(fmt->fields[i],
			    obj, utc), fmt->parsable);
	}
	view_table_add_cells(t, cells);
	free(cells);
}

/*
 * Print t as fmt says: with --parsable each row's cells joined by '|', as
 * they are; else in columns two spaces apart, each as wide as its width
 * (cut to it, not within a UTF-8 character) or, without one, as its widest
 * cell. The last column is cut but not padded, and empty cells at the end
 * of a row are left out: no line ends in spaces.
 */
void
view_format_print(FILE *f, const struct view_table *t,
    const struct output_format *fmt)
{
	size_t		*width, r, c, len, end;
	const char	*cell;

	width = xcalloc(t->ncols ? t->ncols : 1, sizeof *width);
	for (c = 0; c < t->ncols; c++) {
		width[c] = (size_t)fmt->widths[c];
		for (r = 0; r < t->nrows && fmt->widths[c] == 0; r++) {
			len = strlen(t->cells[r * t->ncols + c]);
			if (len > width[c])
				width[c] = len;
		}
	}
	for (r = 0; r < t->nrows; r++) {
		end = t->ncols;
		while (!fmt->parsable && end > 1 &&
		    *t->cells[r * t->ncols + end - 1] == '\0')
			end--;
		for (c = 0; c < end; c++) {
			cell = t->cells[r * t->ncols + c];
			if (fmt->parsable) {
				fprintf(f, "%s%s", c > 0 ? "|" : "", cell);
				continue;
			}
			if (c > 0)
				fputs("  ", f);
			len = strlen(cell);
			if (len > width[c]) {
				len = width[c];
				while (len > 0 && ((unsigned char)cell[len] &
				    0xc0) == 0x80)
					len--;
			}
			fwrite(cell, 1, len, f);
			if (c + 1 < end) {
				for (; len < width[c]; len++)
					fputc(' ', f);
			}
		}
		fputc('\n', f);
	}
	free(width);
}

/* Print n objects of size bytes from objs in fmt's columns. */
void
view_format_array(FILE *f, const struct output_format *fmt,
    const void *objs, size_t size, size_t n, int utc)
{
	struct view_table	t;
	size_t			i;

	view_format_init(&t, fmt);
	for (i = 0; i < n; i++)
		view_format_row(&t, fmt, (const char *)objs + i * size, utc);
	view_format_print(f, &t, fmt);
	view_table_free(&t);
}
