// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's configuration file (agent/daemon/config.c).
 *
 * Every file in configs/ says on its first line what loading it must give:
 *
 *   # expect-ok: <config_str() of the result>
 *   # expect: <the error message without the file name in front>
 *
 * so ":4: unknown key 'bogus' in [agent]" stands for
 * "configs/bad-unknown-key.conf:4: unknown key 'bogus' in [agent]". Cases
 * that a fixture cannot hold (NUL bytes, CRLF, a missing file) are made
 * here.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "daemon/config.h"
#include "harness.h"

#ifndef CONFIG_DIR
#define CONFIG_DIR "configs"
#endif

#define EXPECT_OK "# expect-ok: "
#define EXPECT_ERR "# expect: "

static bool first_line(const char *path, char *buf, size_t len)
{
	FILE *f = fopen(path, "r");
	bool ok;

	if (!f)
		return false;
	ok = fgets(buf, (int)len, f) != NULL;
	fclose(f);
	if (ok)
		buf[strcspn(buf, "\n")] = '\0';
	return ok;
}

/* A config filled with junk: a failed load must leave it so. */
static void poison(struct agent_config *c)
{
	memset(c, 0x5a, sizeof(*c));
}

static bool poisoned(const struct agent_config *c)
{
	struct agent_config p;

	poison(&p);
	return !memcmp(&p, c, sizeof(p));
}

static void fixture(const char *path)
{
	char line[1024], err[CONFIG_ERR_LEN], want[CONFIG_ERR_LEN], got[1024];
	struct agent_config cfg;
	int ret;

	if (!check(first_line(path, line, sizeof(line)) &&
		   (!strncmp(line, EXPECT_OK, strlen(EXPECT_OK)) ||
		    !strncmp(line, EXPECT_ERR, strlen(EXPECT_ERR))),
		   "%s: has an expectation line", path))
		return;

	poison(&cfg);
	err[0] = '\0';
	ret = config_load(path, &cfg, err, sizeof(err));
	if (!strncmp(line, EXPECT_OK, strlen(EXPECT_OK))) {
		if (ret)
			fprintf(stderr, "  %s\n", err);
		check(ret == 0 && same_str(config_str(&cfg, got, sizeof(got)),
					   line + strlen(EXPECT_OK)),
		      "%s: loads", path);
		if (!ret)
			config_free(&cfg);
		return;
	}
	snprintf(want, sizeof(want), "%s%s", path, line + strlen(EXPECT_ERR));
	check(ret == -EINVAL && same_str(err, want) && poisoned(&cfg),
	      "%s: refused with '%s'", path, line + strlen(EXPECT_ERR));
}

static void fixtures(void)
{
	size_t i, good = 0, bad = 0;
	glob_t g;

	if (!check(glob(CONFIG_DIR "/*.conf", 0, NULL, &g) == 0,
		   "fixtures in " CONFIG_DIR "/"))
		return;
	for (i = 0; i < g.gl_pathc; i++) {
		fixture(g.gl_pathv[i]);
		if (!strncmp(strrchr(g.gl_pathv[i], '/') + 1, "good-", 5))
			good++;
		else
			bad++;
	}
	/* A glob that found little means the directory is not the one meant. */
	check(good >= 6 && bad >= 55, "fixtures: %zu good, %zu bad", good, bad);
	globfree(&g);
}

/* Load @text written to a temporary file; returns config_load()'s value. */
static int load_text(const char *text, size_t len, struct agent_config *cfg,
		     char *err, char *path)
{
	int fd;

	strcpy(path, "/tmp/test-config-XXXXXX");
	fd = mkstemp(path);
	if (fd < 0 || write(fd, text, len) != (ssize_t)len) {
		perror("temporary file");
		exit(1);
	}
	close(fd);
	poison(cfg);
	err[0] = '\0';
	fd = config_load(path, cfg, err, CONFIG_ERR_LEN);
	unlink(path);
	return fd;
}

static void expect_err(const char *name, const char *text, size_t len,
		       const char *suffix)
{
	char err[CONFIG_ERR_LEN], want[CONFIG_ERR_LEN], path[64];
	struct agent_config cfg;
	int ret;

	ret = load_text(text, len, &cfg, err, path);
	snprintf(want, sizeof(want), "%s%s", path, suffix);
	check(ret == -EINVAL && same_str(err, want) && poisoned(&cfg),
	      "%s: refused with '%s'", name, suffix);
}

static void expect_ok(const char *name, const char *text, size_t len,
		      const char *want)
{
	char err[CONFIG_ERR_LEN], got[1024], path[64];
	struct agent_config cfg;
	int ret;

	ret = load_text(text, len, &cfg, err, path);
	if (ret)
		fprintf(stderr, "  %s\n", err);
	check(ret == 0 && same_str(config_str(&cfg, got, sizeof(got)), want),
	      "%s: loads", name);
}

#define TEXT(s) s, sizeof(s) - 1

static void made_here(void)
{
	char text[512], err[CONFIG_ERR_LEN];
	struct agent_config cfg;
	int ret, n;

	expect_err("NUL byte", TEXT("[agent]\nrole = l\0ns\nlocal = 192.0.2.1\n"),
		   ":2: NUL character in the line");
	expect_ok("CRLF line ends",
		  TEXT("[agent]\r\nrole = lac\r\nlocal = 192.0.2.9\r\n"),
		  "role lac local 192.0.2.9 policy pass mode enforce ports 1701 max_bindings 262144 log_level info nat_t yes");
	expect_ok("UTF-8 BOM", TEXT("\xef\xbb\xbf[agent]\nrole = lac\nlocal = 192.0.2.9\n"),
		  "role lac local 192.0.2.9 policy pass mode enforce ports 1701 max_bindings 262144 log_level info nat_t yes");
	expect_ok("no newline at the end", TEXT("[agent]\nrole = lac\nlocal = 192.0.2.9"),
		  "role lac local 192.0.2.9 policy pass mode enforce ports 1701 max_bindings 262144 log_level info nat_t yes");
	expect_err("empty file", TEXT(""), ": missing required key 'role' in [agent]");

	/* 197 characters is the longest line, leading blanks aside. */
	n = snprintf(text, sizeof(text), "[agent]\nrole = lac\n   local = 192.0.2.9 ; %0*d\n",
		     197 - (int)strlen("local = 192.0.2.9 ; "), 0);
	expect_ok("197-character line", text, (size_t)n,
		  "role lac local 192.0.2.9 policy pass mode enforce ports 1701 max_bindings 262144 log_level info nat_t yes");
	n = snprintf(text, sizeof(text), "[agent]\nrole = lac\nlocal = 192.0.2.9 ; %0*d\n",
		     198 - (int)strlen("local = 192.0.2.9 ; "), 0);
	expect_err("198-character line", text, (size_t)n,
		   ":3: line too long: more than 197 characters");
	/* libinih would take an indented line for a continuation. */
	expect_err("indented line is not a continuation",
		   TEXT("[agent]\nrole = lac\n  lns\nlocal = 192.0.2.9\n"),
		   ":3: syntax error: expected 'key = value', '[section]' or a comment");

	poison(&cfg);
	ret = config_load("/nonexistent/l2tp-ipsec.conf", &cfg, err, sizeof(err));
	check(ret == -ENOENT &&
	      same_str(err, "/nonexistent/l2tp-ipsec.conf: No such file or directory") &&
	      poisoned(&cfg), "missing file: -ENOENT, message");
	poison(&cfg);
	ret = config_load(CONFIG_DIR, &cfg, err, sizeof(err));
	check(ret == -EISDIR && same_str(err, CONFIG_DIR ": reading: Is a directory") &&
	      poisoned(&cfg), "directory: -EISDIR, message");

	/* A short buffer cuts the message, and does not overrun. */
	memset(err, 'x', sizeof(err));
	ret = config_load("/nonexistent/l2tp-ipsec.conf", &cfg, err, 10);
	check(ret == -ENOENT && same_str(err, "/nonexist") && err[10] == 'x',
	      "short error buffer is cut");
}

static void values(void)
{
	char err[CONFIG_ERR_LEN];
	struct agent_config cfg;
	struct in6_addr v6;
	int ret;

	ret = config_load(CONFIG_DIR "/good-full.conf", &cfg, err, sizeof(err));
	inet_pton(AF_INET6, "2001:db8::1", &v6);
	check(ret == 0 && cfg.role == ROLE_LAC && cfg.nlocal == 3 &&
	      cfg.local[0].family == AF_INET &&
	      cfg.local[0].addr.v4.s_addr == htonl(0xc0000201) &&
	      cfg.local[0].port == 0 &&
	      cfg.local[1].family == AF_INET6 &&
	      !memcmp(&cfg.local[1].addr.v6, &v6, sizeof(v6)) &&
	      cfg.local[2].family == AF_INET,
	      "good-full: role and local addresses");
	check(ret == 0 && cfg.ns.has_policy && cfg.ns.has_mode &&
	      cfg.ns.has_ports && cfg.ns.has_max_bindings &&
	      !cfg.ns.has_num_bindings &&
	      cfg.ns.policy == L2TP_IPSEC_POLICY_REQUIRE_IPSEC &&
	      cfg.ns.mode == L2TP_IPSEC_MODE_AUDIT && cfg.ns.nports == 2 &&
	      cfg.ns.ports[0] == 1701 && cfg.ns.ports[1] == 1702 &&
	      cfg.ns.max_bindings == 1000 && cfg.log_level == LOG_LEVEL_DEBUG &&
	      !cfg.nat_t,
	      "good-full: the namespace settings, every one to be sent");

	config_defaults(&cfg);
	check(cfg.ns.has_policy && cfg.ns.policy == L2TP_IPSEC_POLICY_PASS &&
	      cfg.ns.has_mode && cfg.ns.mode == L2TP_IPSEC_MODE_ENFORCE &&
	      cfg.ns.has_ports && cfg.ns.nports == 1 &&
	      cfg.ns.ports[0] == L2TP_IPSEC_DEFAULT_PORT &&
	      cfg.ns.has_max_bindings &&
	      cfg.ns.max_bindings == L2TP_IPSEC_DEFAULT_MAX_BINDINGS &&
	      cfg.log_level == LOG_LEVEL_INFO && cfg.nat_t && cfg.nlocal == 0,
	      "defaults are the module's");
}

static void example(void)
{
	char err[CONFIG_ERR_LEN], got[1024];
	struct agent_config cfg;
	int ret;

	ret = config_load("../../agent/l2tp-ipsec.conf.example", &cfg, err,
			  sizeof(err));
	if (ret)
		fprintf(stderr, "  %s\n", err);
	check(ret == 0 &&
	      same_str(config_str(&cfg, got, sizeof(got)),
		       "role lns local 192.0.2.1,2001:db8::1 policy pass mode enforce ports 1701 max_bindings 262144 log_level info nat_t yes"),
	      "agent/l2tp-ipsec.conf.example loads");
}

int main(void)
{
	fixtures();
	made_here();
	values();
	example();
	return harness_exit();
}
