// SPDX-License-Identifier: GPL-2.0
/* Log lines of the agent: stderr, with journald's priority prefix under systemd. */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "lib/log.h"
#include "lib/names.h"

const char *const log_level_names[LOG_LEVEL_DEBUG + 1] = {
	[LOG_LEVEL_ERROR]	= "error",
	[LOG_LEVEL_WARNING]	= "warning",
	[LOG_LEVEL_INFO]	= "info",
	[LOG_LEVEL_DEBUG]	= "debug",
};

/* From the least to the most verbose. */
static const enum log_level ladder[] = {
	LOG_LEVEL_ERROR, LOG_LEVEL_WARNING, LOG_LEVEL_INFO, LOG_LEVEL_DEBUG,
};

static struct {
	enum log_level level;
	bool journal;
	int fd;
} logger = { .level = LOG_LEVEL_DEFAULT, .fd = -1 };

int log_level_parse(const char *s)
{
	return name_lookup(log_level_names, NAMES_LEN(log_level_names), s);
}

enum log_level log_level_adjust(enum log_level base, int steps)
{
	int i, n = (int)(sizeof(ladder) / sizeof(ladder[0]));

	for (i = 0; i < n - 1 && ladder[i] != base; i++)
		;
	i += steps;
	if (i < 0)
		i = 0;
	if (i > n - 1)
		i = n - 1;
	return ladder[i];
}

/* $JOURNAL_STREAM is "DEVICE:INODE" of the stream systemd connected. */
static bool stderr_is_journal(void)
{
	const char *env = getenv("JOURNAL_STREAM");
	unsigned long long dev, ino;
	struct stat st;
	char *end;

	if (!env || !*env)
		return false;
	errno = 0;
	dev = strtoull(env, &end, 10);
	if (errno || end == env || *end != ':')
		return false;
	env = end + 1;
	ino = strtoull(env, &end, 10);
	if (errno || end == env || *end)
		return false;
	if (fstat(STDERR_FILENO, &st))
		return false;
	return (unsigned long long)st.st_dev == dev &&
	       (unsigned long long)st.st_ino == ino;
}

void log_init(void)
{
	logger.journal = stderr_is_journal();
}

void log_set_journal(bool journal)
{
	logger.journal = journal;
}

void log_set_fd(int fd)
{
	logger.fd = fd;
}

void log_set_level(enum log_level level)
{
	logger.level = level;
}

enum log_level log_get_level(void)
{
	return logger.level;
}

bool log_enabled(enum log_level level)
{
	return level <= logger.level;
}

size_t log_format(char *buf, size_t len, bool journal, enum log_level level,
		  const char *fmt, va_list ap)
{
	size_t n, i, start;
	int ret;

	if (len < 2)
		return 0;
	if (journal)
		ret = snprintf(buf, len, "<%d>", (int)level);
	else
		ret = snprintf(buf, len, "l2tp-ipsec: %s: ",
			       log_level_names[level] ? log_level_names[level] : "?");
	start = ret < 0 ? 0 : (size_t)ret;
	if (start > len - 2)
		start = len - 2;
	ret = vsnprintf(buf + start, len - 1 - start, fmt, ap);
	n = ret < 0 ? start : start + (size_t)ret;
	if (n > len - 2)
		n = len - 2;	/* cut: room for the newline and the NUL */
	for (i = start; i < n; i++)
		if ((unsigned char)buf[i] < 0x20 || buf[i] == 0x7f)
			buf[i] = '?';
	buf[n++] = '\n';
	buf[n] = '\0';
	return n;
}

void log_vmsg(enum log_level level, const char *fmt, va_list ap)
{
	char buf[LOG_LINE_MAX];
	size_t n, off = 0;
	ssize_t w;
	int fd = logger.fd >= 0 ? logger.fd : STDERR_FILENO;
	int saved = errno;

	if (!log_enabled(level))
		return;
	n = log_format(buf, sizeof(buf), logger.journal, level, fmt, ap);
	/* One write: lines of concurrent writers do not interleave. */
	while (off < n) {
		w = write(fd, buf + off, n - off);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			break;
		off += (size_t)w;
	}
	errno = saved;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vmsg(level, fmt, ap);
	va_end(ap);
}

bool log_ratelimit(struct log_ratelimit *rl, uint64_t now_ms,
		   unsigned int *missed)
{
	*missed = 0;
	if (!rl->begin_ms || now_ms - rl->begin_ms >= rl->interval_ms) {
		rl->begin_ms = now_ms ? now_ms : 1;
		rl->printed = 0;
	}
	if (rl->printed >= rl->burst) {
		rl->missed++;
		return false;
	}
	rl->printed++;
	*missed = rl->missed;
	rl->missed = 0;
	return true;
}

uint64_t log_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}
