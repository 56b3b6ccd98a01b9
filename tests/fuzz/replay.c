/* Run a fuzz target over every file of its corpus: a regression test. */

#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "updraft.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int	replay_count;

/* Read one file whole and hand it to the target; -1 if it cannot be read. */
static int
replay_file(const char *path)
{
	FILE		*f;
	uint8_t		*buf = NULL, *exact;
	size_t		 len = 0, size = 0, n;

	if ((f = fopen(path, "rb")) == NULL) {
		fprintf(stderr, "replay: cannot open '%s': %s\n", path,
		    strerror(errno));
		return (-1);
	}
	do {
		if (len == size) {
			size = size == 0 ? 4096 : size * 2;
			buf = xreallocarray(buf, size, 1);
		}
		n = fread(buf + len, 1, size - len, f);
		len += n;
	} while (n != 0);
	if (ferror(f)) {
		fprintf(stderr, "replay: cannot read '%s'\n", path);
		fclose(f);
		free(buf);
		return (-1);
	}
	fclose(f);
	/* An exact-size copy, so reading past the input is caught. */
	exact = xmalloc(len == 0 ? 1 : len);
	memcpy(exact, buf, len);
	free(buf);
	LLVMFuzzerTestOneInput(exact, len);
	free(exact);
	replay_count++;
	return (0);
}

/* Replay path: a file, or every file in a directory; -1 on any error. */
static int
replay_path(const char *path)
{
	struct stat	 sb;
	struct dirent	*de;
	DIR		*d;
	char		*sub;
	int		 error = 0;

	if (stat(path, &sb) == -1) {
		fprintf(stderr, "replay: cannot open '%s': %s\n", path,
		    strerror(errno));
		return (-1);
	}
	if (!S_ISDIR(sb.st_mode))
		return (replay_file(path));
	if ((d = opendir(path)) == NULL) {
		fprintf(stderr, "replay: cannot open '%s': %s\n", path,
		    strerror(errno));
		return (-1);
	}
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		xasprintf(&sub, "%s/%s", path, de->d_name);
		if (replay_file(sub) != 0)
			error = -1;
		free(sub);
	}
	closedir(d);
	return (error);
}

/*
 * With no arguments, replay the corpus the build names (FUZZ_CORPUS);
 * otherwise each argument, a file or a directory. A crash ends the run.
 */
int
main(int argc, char **argv)
{
	int	i, error = 0;

	if (argc < 2) {
		error = replay_path(FUZZ_CORPUS);
		if (replay_count == 0) {
			fprintf(stderr, "replay: no inputs in '%s'\n",
			    FUZZ_CORPUS);
			error = -1;
		}
	}
	for (i = 1; i < argc; i++) {
		if (replay_path(argv[i]) != 0)
			error = -1;
	}
	printf("replayed %d inputs\n", replay_count);
	return (error == 0 ? 0 : 1);
}
