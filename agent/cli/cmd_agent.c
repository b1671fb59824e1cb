// SPDX-License-Identifier: GPL-2.0
/* l2tp-ipsec agent [-c FILE] [--flush-on-exit] [--check] [-v|-q]... */

#include <string.h>

#include "cli/cli.h"
#include "daemon/config.h"
#include "daemon/daemon.h"
#include "lib/log.h"

/* --check: read the file, say what it holds or what is wrong with it. */
static int check_config(const struct cli *cli, const struct daemon_opts *opts)
{
	char err[CONFIG_ERR_LEN], desc[1024];
	struct agent_config cfg;

	(void)cli;
	log_init();
	if (config_load(opts->config_path, &cfg, err, sizeof(err))) {
		log_error("%s", err);
		return EXIT_USAGE;
	}
	printf("%s\n", config_str(&cfg, desc, sizeof(desc)));
	config_free(&cfg);
	return EXIT_OK;
}

int cmd_agent(const struct cli *cli, int argc, char **argv)
{
	struct daemon_opts opts = { .config_path = CONFIG_DEFAULT_PATH };
	bool check = false;
	const char *a;
	int i;

	for (i = 0; i < argc; i++) {
		a = argv[i];
		if (!strcmp(a, "-c") || !strcmp(a, "--config")) {
			if (i + 1 >= argc)
				return cli_usage_error("agent", true,
						       "'%s' needs a file name", a);
			opts.config_path = argv[++i];
		} else if (!strncmp(a, "--config=", 9)) {
			opts.config_path = a + 9;
		} else if (!strcmp(a, "--flush-on-exit")) {
			opts.flush_on_exit = true;
		} else if (!strcmp(a, "--check")) {
			check = true;
		} else if (!strcmp(a, "--verbose")) {
			opts.verbosity++;
		} else if (!strcmp(a, "--quiet")) {
			opts.verbosity--;
		} else if (a[0] == '-' && a[1] && strspn(a + 1, "vq") == strlen(a + 1)) {
			/* -v, -vv, -q, ... */
			for (a++; *a; a++)
				opts.verbosity += *a == 'v' ? 1 : -1;
		} else {
			return cli_usage_error("agent", true, "%s '%s'",
					       a[0] == '-' ? "unknown option" :
					       "unexpected argument", a);
		}
	}
	if (!*opts.config_path)
		return cli_usage_error("agent", true, "empty configuration file name");
	if (check)
		return check_config(cli, &opts);
	return daemon_run(&opts);
}
