// SPDX-License-Identifier: GPL-2.0
/*
 * The agent's configuration file: INI parsed by libinih, every key checked
 * with the parsers of the command line, the first fault reported as
 * "file:line: reason".
 *
 * libinih tells neither the line of a key nor why a line is wrong, and some
 * of its behaviour is a build option (continuation lines, the longest
 * line). So the lines reach it through our own reader, which counts them,
 * strips leading blanks (no line is ever a continuation), refuses lines
 * too long for it instead of letting it split them, and checks section
 * headers, which libinih does not pass to the handler.
 */

#include <arpa/inet.h>
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <ini.h>

#include "daemon/config.h"
#include "ike/pad.h"
#include "ike/vici_client.h"
#include "lib/names.h"
#include "lib/number.h"
#include "text/args.h"

#define SECTION "agent"
#define PEER "peer"
#define REASON_LEN 1024

const char *const role_names[ROLE_LNS + 1] = {
	[ROLE_LAC] = "lac",
	[ROLE_LNS] = "lns",
};

/* RFC 5619's names of the two roles are accepted too. */
static const struct {
	const char *name;
	enum agent_role role;
} roles[] = {
	{ "lac", ROLE_LAC },
	{ "lns", ROLE_LNS },
	{ "si", ROLE_LAC },
	{ "sc", ROLE_LNS },
};

enum key {
	KEY_ROLE,
	KEY_LOCAL,
	KEY_PORTS,
	KEY_POLICY,
	KEY_MODE,
	KEY_MAX_BINDINGS,
	KEY_LOG_LEVEL,
	KEY_NAT_T,
	KEY_VICI_SOCKET,
	KEY_XL2TPD_CONTROL,
	KEY_COUNT,
};

static const char *const key_names[KEY_COUNT] = {
	[KEY_ROLE]		= "role",
	[KEY_LOCAL]		= "local",
	[KEY_PORTS]		= "ports",
	[KEY_POLICY]		= "policy",
	[KEY_MODE]		= "mode",
	[KEY_MAX_BINDINGS]	= "max_bindings",
	[KEY_LOG_LEVEL]		= "log_level",
	[KEY_NAT_T]		= "nat_t",
	[KEY_VICI_SOCKET]	= "vici_socket",
	[KEY_XL2TPD_CONTROL]	= "xl2tpd_control",
};

/**
 * struct parser - one reading of a file
 * @f: the file
 * @line: getline()'s buffer, @cap its size
 * @lineno: number of the line being parsed
 * @section_line: line of the [agent] header, 0 before it
 * @seen: line of each key (of its first line for "local"), 0 while not
 *	given
 * @local_line: line of each address of cfg.local
 * @err_line: line of the first fault, 0 if none
 * @reason: what is wrong with it
 * @read_err: errno of a failed read, 0 if none
 * @cfg: what the file says so far
 */
struct parser {
	FILE *f;
	char *line;
	size_t cap;
	int lineno;
	int section_line;
	int seen[KEY_COUNT];
	int local_line[CONFIG_MAX_LOCAL];
	int err_line;
	char reason[REASON_LEN];
	int read_err;
	struct agent_config cfg;
};

/* Keep the first fault. Returns 0, which is also a failing handler's value. */
__attribute__((format(printf, 2, 3)))
static int fail(struct parser *p, const char *fmt, ...)
{
	va_list ap;

	if (p->err_line)
		return 0;
	p->err_line = p->lineno;
	va_start(ap, fmt);
	vsnprintf(p->reason, sizeof(p->reason), fmt, ap);
	va_end(ap);
	return 0;
}

void config_defaults(struct agent_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->ns.has_policy = true;
	cfg->ns.policy = L2TP_IPSEC_POLICY_PASS;
	cfg->ns.has_mode = true;
	cfg->ns.mode = L2TP_IPSEC_MODE_ENFORCE;
	cfg->ns.has_ports = true;
	cfg->ns.ports[0] = L2TP_IPSEC_DEFAULT_PORT;
	cfg->ns.nports = 1;
	cfg->ns.has_max_bindings = true;
	cfg->ns.max_bindings = L2TP_IPSEC_DEFAULT_MAX_BINDINGS;
	cfg->log_level = LOG_LEVEL_DEFAULT;
	cfg->nat_t = true;
	strcpy(cfg->vici_socket, VICI_SOCKET_DEFAULT);
	strcpy(cfg->xl2tpd_control, CONFIG_XL2TPD_CONTROL_DEFAULT);
}

static int parse_role(struct parser *p, const char *value)
{
	size_t i;

	for (i = 0; i < sizeof(roles) / sizeof(roles[0]); i++) {
		if (!strcmp(value, roles[i].name)) {
			p->cfg.role = roles[i].role;
			return 1;
		}
	}
	return fail(p, "bad role '%s': must be lac or lns (or si, sc)", value);
}

/*
 * One address of "local", checked by endpoint_parse() as the local
 * endpoint ADDR:1701 would be: a unicast address, not the wildcard, not
 * IPv4-mapped. Returns 1, or 0 with the fault recorded.
 */
static int parse_local_addr(struct parser *p, const char *written,
			    struct endpoint *ep)
{
	char addr[INET6_ADDRSTRLEN + 1], str[ENDPOINT_STRLEN + 2];
	char err[256], other[256], prefix[sizeof(str) + 32];
	const char *item = written, *why = err;
	size_t len = strlen(item);
	bool v6;

	/* "[2001:db8::1]" as in an endpoint is fine too. */
	if (len >= 2 && item[0] == '[' && item[len - 1] == ']') {
		item++;
		len -= 2;
	}
	if (len >= sizeof(addr))
		return fail(p, "bad local address '%s': not an IPv4 or IPv6 address",
			    written);
	memcpy(addr, item, len);
	addr[len] = '\0';
	v6 = strchr(addr, ':') != NULL;
	snprintf(str, sizeof(str), v6 ? "[%s]:%u" : "%s:%u", addr,
		 L2TP_IPSEC_DEFAULT_PORT);
	if (!endpoint_parse(str, ENDPOINT_LOCAL, ep, err, sizeof(err))) {
		ep->port = 0;
		return 1;
	}
	/* "ADDR:PORT" is a good endpoint but not what this key wants. */
	if (!endpoint_parse(written, ENDPOINT_LOCAL, ep, other, sizeof(other)))
		return fail(p, "bad local address '%s': an address without a port is expected (ports are set by 'ports')",
			    written);
	/* Its message names the made-up endpoint: keep the reason only. */
	snprintf(prefix, sizeof(prefix), "bad endpoint '%s': ", str);
	if (!strncmp(err, prefix, strlen(prefix)))
		why = err + strlen(prefix);
	return fail(p, "bad local address '%s': %s", addr, why);
}

static int parse_local(struct parser *p, const char *value)
{
	char item[INET6_ADDRSTRLEN + 4];
	const char *s = value, *b, *e;
	struct agent_config *c = &p->cfg;
	struct endpoint ep;
	unsigned int i;

	/* Several "local" lines add up: one line cannot hold 16 IPv6 addresses. */
	for (;;) {
		e = strchr(s, ',');
		if (!e)
			e = s + strlen(s);
		for (b = s; b < e && isblank((unsigned char)*b); b++)
			;
		s = e;
		while (e > b && isblank((unsigned char)e[-1]))
			e--;
		if (b == e)
			return fail(p, "bad local '%s': an address is missing in the list",
				    value);
		if ((size_t)(e - b) >= sizeof(item))
			return fail(p, "bad local address '%.*s': not an IPv4 or IPv6 address",
				    (int)(e - b), b);
		memcpy(item, b, e - b);
		item[e - b] = '\0';
		if (!parse_local_addr(p, item, &ep))
			return 0;
		for (i = 0; i < c->nlocal; i++)
			if (c->local[i].family == ep.family &&
			    !memcmp(&c->local[i].addr, &ep.addr, sizeof(ep.addr)))
				return fail(p, "bad local address '%s': given twice (first on line %d)",
					    item, p->local_line[i]);
		if (c->nlocal == CONFIG_MAX_LOCAL)
			return fail(p, "bad local address '%s': more than %d local addresses",
				    item, CONFIG_MAX_LOCAL);
		p->local_line[c->nlocal] = p->lineno;
		c->local[c->nlocal++] = ep;
		if (!*s)
			return 1;
		s++;
	}
}

/* policy, mode and ports are what "config set" takes: same parser. */
static int parse_nsconfig_word(struct parser *p, const char *word,
			       const char *value)
{
	char *argv[2] = { (char *)word, (char *)value };
	struct nsconfig c;
	char err[REASON_LEN];

	if (args_nsconfig(2, argv, &c, err, sizeof(err)))
		return fail(p, "%s", err);
	if (c.has_policy)
		p->cfg.ns.policy = c.policy;
	if (c.has_mode)
		p->cfg.ns.mode = c.mode;
	if (c.has_ports) {
		memcpy(p->cfg.ns.ports, c.ports, sizeof(c.ports));
		p->cfg.ns.nports = c.nports;
	}
	return 1;
}

/* An absolute path that fits @len bytes into @out. */
static int parse_path(struct parser *p, enum key k, const char *value, char *out,
		      size_t len)
{
	if (value[0] != '/' || strlen(value) >= len)
		return fail(p, "bad %s '%s': an absolute path of at most %zu characters",
			    key_names[k], value, len - 1);
	strcpy(out, value);
	return 1;
}

static int parse_value(struct parser *p, enum key k, const char *value)
{
	uint32_t max;
	int v;

	switch (k) {
	case KEY_ROLE:
		return parse_role(p, value);
	case KEY_LOCAL:
		return parse_local(p, value);
	case KEY_PORTS:
	case KEY_POLICY:
	case KEY_MODE:
		return parse_nsconfig_word(p, key_names[k], value);
	case KEY_MAX_BINDINGS:
		if (parse_u32(value, 1, L2TP_IPSEC_MAX_BINDINGS_LIMIT, false, &max))
			return fail(p, "bad max_bindings '%s': must be 1..%d",
				    value, L2TP_IPSEC_MAX_BINDINGS_LIMIT);
		p->cfg.ns.max_bindings = max;
		return 1;
	case KEY_LOG_LEVEL:
		v = log_level_parse(value);
		if (v < 0)
			return fail(p, "bad log_level '%s': must be error, warning, info or debug",
				    value);
		p->cfg.log_level = (enum log_level)v;
		return 1;
	case KEY_NAT_T:
		if (strcmp(value, "yes") && strcmp(value, "no"))
			return fail(p, "bad nat_t '%s': must be yes or no", value);
		p->cfg.nat_t = !strcmp(value, "yes");
		return 1;
	case KEY_VICI_SOCKET:
		return parse_path(p, k, value, p->cfg.vici_socket,
				  sizeof(p->cfg.vici_socket));
	case KEY_XL2TPD_CONTROL:
		return parse_path(p, k, value, p->cfg.xl2tpd_control,
				  sizeof(p->cfg.xl2tpd_control));
	case KEY_COUNT:
		break;
	}
	return 0;
}

static int peer_key(struct parser *p, const char *name, const char *value)
{
	int ret;

	/* A [peer] whose header was refused: its keys say nothing more. */
	if (p->err_line)
		return 0;
	ret = pad_set(&p->cfg.pad, name, value, p->lineno, p->reason,
		      sizeof(p->reason));
	if (ret == -ENOMEM)
		return fail(p, "%s", strerror(ENOMEM));
	if (ret)
		p->err_line = p->lineno;
	return !ret;
}

static int handler(void *user, const char *section, const char *name,
		   const char *value)
{
	struct parser *p = user;
	int k;

	if (!*section)
		return fail(p, "key '%s' before any section: keys go under [" SECTION "]",
			    name);
	/* The reader reported a bad section's header. */
	if (!strncmp(section, PEER " ", strlen(PEER " ")))
		return peer_key(p, name, value);
	if (strcmp(section, SECTION))
		return 0;
	k = name_lookup(key_names, KEY_COUNT, name);
	if (k < 0)
		return fail(p, "unknown key '%s' in [" SECTION "]", name);
	if (p->seen[k] && k != KEY_LOCAL)
		return fail(p, "duplicate key '%s' (first on line %d)", name,
			    p->seen[k]);
	if (!p->seen[k])
		p->seen[k] = p->lineno;
	return parse_value(p, (enum key)k, value);
}

/* "[peer NAME]": a PAD entry starts. */
static void peer_section(struct parser *p, const char *name, int n)
{
	char buf[PAD_NAME_MAX + 2];
	int ret;

	while (n && isspace((unsigned char)*name)) {
		name++;
		n--;
	}
	while (n && isspace((unsigned char)name[n - 1]))
		n--;
	if (n > PAD_NAME_MAX + 1)
		n = PAD_NAME_MAX + 1;	/* long enough to be refused as too long */
	memcpy(buf, name, n);
	buf[n] = '\0';
	ret = pad_add_peer(&p->cfg.pad, buf, p->lineno, p->reason, sizeof(p->reason));
	if (ret == -ENOMEM)
		fail(p, "%s", strerror(ENOMEM));
	else if (ret && !p->err_line)
		p->err_line = p->lineno;
}

static void check_section(struct parser *p, const char *s)
{
	const char *end = strchr(s, ']');
	size_t peer_len = strlen(PEER);
	int n;

	if (!end) {
		fail(p, "missing ']' after the section name");
		return;
	}
	n = (int)(end - s - 1);
	if ((size_t)n >= peer_len && !strncmp(s + 1, PEER, peer_len) &&
	    ((size_t)n == peer_len || isspace((unsigned char)s[1 + peer_len]))) {
		peer_section(p, s + 1 + peer_len, n - (int)peer_len);
		return;
	}
	if ((size_t)n != strlen(SECTION) || strncmp(s + 1, SECTION, n)) {
		fail(p, "unknown section [%.*s]: the sections are [" SECTION "] and [" PEER " NAME]",
		     n, s + 1);
		return;
	}
	if (p->section_line) {
		fail(p, "duplicate section [" SECTION "] (first on line %d)",
		     p->section_line);
		return;
	}
	p->section_line = p->lineno;
}

/* libinih's fgets(): see the top of the file. */
static char *reader(char *str, int num, void *stream)
{
	struct parser *p = stream;
	size_t len;
	ssize_t n;
	char *s;

	errno = 0;
	n = getline(&p->line, &p->cap, p->f);
	if (n < 0) {
		if (ferror(p->f))
			p->read_err = errno ? errno : EIO;
		return NULL;
	}
	p->lineno++;
	s = p->line;
	len = (size_t)n;
	if (len && s[len - 1] == '\n')
		s[--len] = '\0';
	if (len && s[len - 1] == '\r')
		s[--len] = '\0';
	str[0] = '\0';
	if (strlen(s) != len) {
		fail(p, "NUL character in the line");
		return str;
	}
	if (p->lineno == 1 && !strncmp(s, "\xef\xbb\xbf", 3)) {
		s += 3;
		len -= 3;
	}
	while (isspace((unsigned char)*s)) {
		s++;
		len--;
	}
	/* libinih needs room for "\r\n" and the NUL. */
	if (num < 4 || len > (size_t)num - 3) {
		fail(p, "line too long: more than %d characters", num - 3);
		return str;
	}
	if (*s == '[')
		check_section(p, s);
	memcpy(str, s, len + 1);
	return str;
}

/* A LAC's peer is reached from a local address of its family. */
static int check_families(const struct agent_config *cfg, int *line, char *err,
			  size_t errlen)
{
	const struct pad_peer *peer;
	size_t i;
	unsigned int j;
	int family;

	if (cfg->role != ROLE_LAC)
		return 0;
	for (i = 0; i < cfg->pad.n; i++) {
		peer = &cfg->pad.peers[i];
		family = pad_addr(peer->remote_addrs, NULL);
		for (j = 0; j < cfg->nlocal; j++)
			if (cfg->local[j].family == family)
				break;
		if (j == cfg->nlocal) {
			*line = peer->key_line[PAD_KEY_REMOTE_ADDRS];
			snprintf(err, errlen,
				 "remote_addrs '%s' of [peer %s] is IPv%c, and no local address is",
				 peer->remote_addrs, peer->name, family == AF_INET ? '4' : '6');
			return -EINVAL;
		}
	}
	return 0;
}

int config_load_file(FILE *f, const char *name, struct agent_config *cfg,
		     char *err, size_t errlen)
{
	struct parser *p;
	int ret, line;

	/* The parser holds the error text: not on the stack. */
	p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, errlen, "%s: %s", name, strerror(ENOMEM));
		return -ENOMEM;
	}
	p->f = f;
	config_defaults(&p->cfg);

	ret = ini_parse_stream(reader, p, handler, p);
	free(p->line);

	if (p->read_err) {
		snprintf(err, errlen, "%s: reading: %s", name, strerror(p->read_err));
		ret = -p->read_err;
	} else if (ret > 0 && (!p->err_line || ret < p->err_line)) {
		/* A line libinih could not parse, and nothing said why. */
		snprintf(err, errlen,
			 "%s:%d: syntax error: expected 'key = value', '[section]' or a comment",
			 name, ret);
		ret = -EINVAL;
	} else if (p->err_line) {
		snprintf(err, errlen, "%s:%d: %s", name, p->err_line, p->reason);
		ret = -EINVAL;
	} else if (ret) {
		/* -1, -2: cannot happen with a reader and INI_USE_STACK... */
		snprintf(err, errlen, "%s: libinih failed (%d)", name, ret);
		ret = -EIO;
	} else if (!p->seen[KEY_ROLE] || !p->seen[KEY_LOCAL]) {
		snprintf(err, errlen, "%s: missing required key '%s' in [" SECTION "]",
			 name, key_names[p->seen[KEY_ROLE] ? KEY_LOCAL : KEY_ROLE]);
		ret = -EINVAL;
	} else if (pad_check(&p->cfg.pad, p->cfg.role == ROLE_LAC, &line, p->reason,
			     sizeof(p->reason)) ||
		   check_families(&p->cfg, &line, p->reason, sizeof(p->reason))) {
		snprintf(err, errlen, "%s:%d: %s", name, line, p->reason);
		ret = -EINVAL;
	} else {
		*cfg = p->cfg;
		p->cfg.pad = (struct pad){ NULL, 0 };
	}
	pad_free(&p->cfg.pad);
	free(p);
	return ret;
}

void config_free(struct agent_config *cfg)
{
	pad_free(&cfg->pad);
}

int config_load(const char *path, struct agent_config *cfg, char *err,
		size_t errlen)
{
	FILE *f;
	int ret;

	f = fopen(path, "re");
	if (!f) {
		ret = -errno;
		snprintf(err, errlen, "%s: %s", path, strerror(-ret));
		return ret;
	}
	ret = config_load_file(f, path, cfg, err, errlen);
	fclose(f);
	return ret;
}

const char *config_str(const struct agent_config *cfg, char *buf, size_t len)
{
	char a[INET6_ADDRSTRLEN];
	size_t n = 0;
	unsigned int i;

#define PUT(...) do {							\
		int r_ = snprintf(buf + n, n < len ? len - n : 0, __VA_ARGS__); \
		if (r_ > 0)						\
			n += (size_t)r_;				\
	} while (0)

	if (!len)
		return buf;
	buf[0] = '\0';
	PUT("role %s local ", role_names[cfg->role]);
	for (i = 0; i < cfg->nlocal; i++) {
		if (!inet_ntop(cfg->local[i].family, &cfg->local[i].addr, a, sizeof(a)))
			snprintf(a, sizeof(a), "?");
		PUT("%s%s", i ? "," : "", a);
	}
	PUT(" policy %s mode %s ports ", policy_names[cfg->ns.policy],
	    mode_names[cfg->ns.mode]);
	for (i = 0; i < cfg->ns.nports; i++)
		PUT("%s%u", i ? "," : "", cfg->ns.ports[i]);
	if (!cfg->ns.nports)
		PUT("none");
	PUT(" max_bindings %u log_level %s nat_t %s", cfg->ns.max_bindings,
	    log_level_names[cfg->log_level], cfg->nat_t ? "yes" : "no");
	if (cfg->pad.n)
		PUT(" peers %zu vici_socket %s", cfg->pad.n, cfg->vici_socket);
	for (i = 0; i < cfg->pad.n; i++) {
		if (cfg->pad.peers[i].xl2tpd_lac) {
			PUT(" xl2tpd_control %s", cfg->xl2tpd_control);
			break;
		}
	}
#undef PUT
	return buf;
}
