/* Notifications: send a test through the channels, list the outbox. */

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cmd.h"
#include "notify.h"
#include "output.h"
#include "view.h"

static int	cmd_notify_exec(struct cmd_ctx *, int, char **);

static const struct cmd_opt cmd_notify_opts[] = {
	{ "all", 'a', NULL, "outbox: the delivered ones too (kept a week)", 0 },
	{ "utc", 'u', NULL,
	  "outbox: NEXT_TRY in UTC instead of the local zone (TZ)", 0 },
	{ "json", 'j', NULL,
	  "outbox: fields id channel kind dag_id state tries "
	  "created_at next_try (times ISO-8601 in UTC) summary "
	  "last_error", 0 },
	{ NULL, 0, NULL, NULL, 0 }
};

const struct cmd_entry cmd_notify_entry = {
	.name = "notify",
	.usage = "test [CHANNEL] | outbox [--all] [--utc] [--json]",
	.summary = "test the notification channels, or list undelivered "
	    "notifications",
	.help = "  test [CHANNEL]  send a test event now through every "
	    "channel of updraft.conf\n"
	    "                  (or CHANNEL) and say, per channel, ok "
	    "or the error; exits 1\n"
	    "                  if one failed\n"
	    "  outbox          the notifications not yet delivered: "
	    "pending (waiting to be\n"
	    "                  grouped or for a retry), sending, or "
	    "failed for good\n",
	.opts = cmd_notify_opts,
	.flags = CMD_STORE,
	.exec = cmd_notify_exec,
};

static int
cmd_notify_test(struct cmd_ctx *ctx, const char *only)
{
	const struct notify_site	*site = ctx->cfg.notify;
	char				**results;
	size_t				  i;
	int				  rc;

	if (site == NULL)
		return (cmd_error("no notification channels in '%s': see "
		    "updraft.conf(5)", ctx->cfg.file != NULL ? ctx->cfg.file :
		    "updraft.conf"));
	if (only != NULL && notify_channel_find(&ctx->cfg, only) == NULL)
		return (cmd_error("no channel '%s' in '%s'", only,
		    ctx->cfg.file));
	rc = notify_test(&ctx->cfg, only, time(NULL), &results);
	for (i = 0; i < site->nchannels; i++) {
		if (results[i] != NULL)
			printf("%s (%s): %s\n", site->channels[i].name,
			    notify_type_name(site->channels[i].type),
			    results[i]);
		free(results[i]);
	}
	free(results);
	return (rc != 0);
}

static int
cmd_notify_outbox(struct cmd_ctx *ctx, int all, int json, int utc)
{
	struct notify_row	*rows, *r;
	struct view_table	 t;
	struct output_json	 j;
	size_t			 n, i;
	char			 id[24], tries[16], next[40];

	if (store_notify_list(ctx->store, all, &rows, &n) != 0)
		return (cmd_error("database: %s", store_error(ctx->store)));
	output_json_init(&j, stdout);
	if (json)
		output_json_open(&j, NULL, '[');
	view_table_init(&t, 8);
	view_table_add(&t, "ID", "STATE", "CHANNEL", "KIND", "DAG", "TRIES",
	    "NEXT_TRY", "LAST_ERROR");
	for (i = 0; i < n; i++) {
		r = &rows[i];
		if (json) {
			output_json_open(&j, NULL, '{');
			output_json_int(&j, "id", r->id);
			output_json_str(&j, "channel", r->channel);
			output_json_str(&j, "kind", r->kind);
			output_json_str(&j, "dag_id", r->dag_id);
			output_json_str(&j, "state", r->state);
			output_json_int(&j, "tries", r->tries);
			output_json_at(&j, "created_at", r->created_at);
			output_json_at(&j, "next_try", strcmp(r->state,
			    "pending") == 0 ? r->next_at : 0);
			output_json_str(&j, "summary", r->summary);
			output_json_str(&j, "last_error", r->last_error);
			output_json_close(&j);
			continue;
		}
		snprintf(id, sizeof id, "%lld", (long long)r->id);
		snprintf(tries, sizeof tries, "%d", r->tries);
		view_when(next, sizeof next, strcmp(r->state, "pending") == 0 ?
		    r->next_at : 0, utc);
		view_table_add(&t, id, r->state, r->channel, r->kind,
		    r->dag_id != NULL ? r->dag_id : "-", tries, next,
		    r->last_error != NULL ? r->last_error : "-");
	}
	if (json)
		output_json_close(&j);
	else if (n > 0)
		view_table_print(stdout, &t, "");
	view_table_free(&t);
	store_notify_free_rows(rows, n);
	return (0);
}

static int
cmd_notify_exec(struct cmd_ctx *ctx, int argc, char **argv)
{
	int	ch, all = 0, json = 0, utc = 0;

	while ((ch = cmd_getopt(&cmd_notify_entry, argc, argv)) != -1) {
		switch (ch) {
		case 'a':
			all = 1;
			break;
		case 'j':
			json = 1;
			break;
		case 'u':
			utc = 1;
			break;
		default:
			return (cmd_usage(&cmd_notify_entry));
		}
	}
	argc -= optind;
	argv += optind;
	if (argc >= 1 && argc <= 2 && strcmp(argv[0], "test") == 0 &&
	    !all && !json && !utc)
		return (cmd_notify_test(ctx, argc == 2 ? argv[1] : NULL));
	if (argc == 1 && strcmp(argv[0], "outbox") == 0)
		return (cmd_notify_outbox(ctx, all, json, utc));
	return (cmd_usage(&cmd_notify_entry));
}
