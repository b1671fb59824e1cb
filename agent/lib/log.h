/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_LOG_H
#define AGENT_LOG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/*
 * Logging of the agent: one line per message on stderr, written with a
 * single write(2).
 *
 * Under systemd (stderr is the journal stream named by $JOURNAL_STREAM) a
 * line is "<N>message", N the syslog priority, which journald turns into the
 * entry's priority (sd-daemon(3)). Otherwise it is
 * "l2tp-ipsec: <level>: message" for a human. Control characters in a
 * message become '?': one message stays one line.
 *
 * Levels are syslog priorities, so that the journal prefix is the level.
 */
enum log_level {
	LOG_LEVEL_ERROR = 3,
	LOG_LEVEL_WARNING = 4,
	LOG_LEVEL_INFO = 6,
	LOG_LEVEL_DEBUG = 7,
};

#define LOG_LEVEL_DEFAULT LOG_LEVEL_INFO
#define LOG_LINE_MAX 1024

/* "error", "warning", "info", "debug" by level; NULL elsewhere. */
extern const char *const log_level_names[LOG_LEVEL_DEBUG + 1];

/* The level named @s, or -1. */
int log_level_parse(const char *s);

/*
 * @base moved @steps levels towards debug (negative: towards error),
 * clamped: how -v and -q act on the configured level.
 */
enum log_level log_level_adjust(enum log_level base, int steps);

/*
 * Find out where stderr goes: the journal if $JOURNAL_STREAM names the
 * device and inode of file descriptor 2.
 */
void log_init(void);
/* Override what log_init() found (tests). */
void log_set_journal(bool journal);
/* Write lines to @fd instead of 2 (tests); -1: back to stderr. */
void log_set_fd(int fd);

void log_set_level(enum log_level level);
enum log_level log_get_level(void);
bool log_enabled(enum log_level level);

void log_msg(enum log_level level, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void log_vmsg(enum log_level level, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));

#define log_error(...)		log_msg(LOG_LEVEL_ERROR, __VA_ARGS__)
#define log_warning(...)	log_msg(LOG_LEVEL_WARNING, __VA_ARGS__)
#define log_info(...)		log_msg(LOG_LEVEL_INFO, __VA_ARGS__)
#define log_debug(...)		log_msg(LOG_LEVEL_DEBUG, __VA_ARGS__)

/*
 * Format one line as it would be written, newline included, into @buf
 * (LOG_LINE_MAX bytes hold any line; longer messages are cut). Returns its
 * length.
 */
size_t log_format(char *buf, size_t len, bool journal, enum log_level level,
		  const char *fmt, va_list ap) __attribute__((format(printf, 5, 0)));

/**
 * struct log_ratelimit - at most @burst messages per @interval_ms
 * @interval_ms: length of a window
 * @burst: messages let through per window
 * @begin_ms: start of the current window (0: none yet)
 * @printed: messages let through in it
 * @missed: messages held back since the last report
 */
struct log_ratelimit {
	uint64_t interval_ms;
	unsigned int burst;
	uint64_t begin_ms;
	unsigned int printed;
	unsigned int missed;
};

#define LOG_RATELIMIT_INIT(ms, n) { .interval_ms = (ms), .burst = (n) }

/*
 * May a message go out at @now_ms? When it may and messages were held
 * back before it, *@missed says how many (else 0), and the caller should
 * say so.
 */
bool log_ratelimit(struct log_ratelimit *rl, uint64_t now_ms,
		   unsigned int *missed);

/* CLOCK_MONOTONIC in milliseconds. */
uint64_t log_now_ms(void);

#endif
