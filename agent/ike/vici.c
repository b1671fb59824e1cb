// SPDX-License-Identifier: GPL-2.0
/*
 * VICI wire codec: a bounds-checked builder and a decoder into a tree
 * (vici.h says what is accepted). Error messages are fragments ("truncated
 * at byte 37: ..."): the caller says whose packet it was.
 */

#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "ike/vici.h"

static const char *const type_names[] = {
	[VICI_CMD_REQUEST] = "CMD_REQUEST",
	[VICI_CMD_RESPONSE] = "CMD_RESPONSE",
	[VICI_CMD_UNKNOWN] = "CMD_UNKNOWN",
	[VICI_EVENT_REGISTER] = "EVENT_REGISTER",
	[VICI_EVENT_UNREGISTER] = "EVENT_UNREGISTER",
	[VICI_EVENT_CONFIRM] = "EVENT_CONFIRM",
	[VICI_EVENT_UNKNOWN] = "EVENT_UNKNOWN",
	[VICI_EVENT] = "EVENT",
};

static const char *const elem_names[] = {
	[VICI_SECTION_START] = "section",
	[VICI_SECTION_END] = "section end",
	[VICI_KEY_VALUE] = "key",
	[VICI_LIST_START] = "list",
	[VICI_LIST_ITEM] = "list item",
	[VICI_LIST_END] = "list end",
};

const char *vici_type_str(unsigned int type)
{
	static char buf[16];

	if (type < sizeof(type_names) / sizeof(type_names[0]))
		return type_names[type];
	snprintf(buf, sizeof(buf), "type %u", type);
	return buf;
}

bool vici_type_named(unsigned int type)
{
	return type == VICI_CMD_REQUEST || type == VICI_EVENT_REGISTER ||
	       type == VICI_EVENT_UNREGISTER || type == VICI_EVENT;
}

bool vici_type_has_msg(unsigned int type)
{
	return type == VICI_CMD_REQUEST || type == VICI_CMD_RESPONSE ||
	       type == VICI_EVENT;
}

/*
 * @n bytes of @s for a message: printable ASCII as is, the rest as \xNN,
 * cut with "..." past 40 characters. @out has room for 48.
 */
#define QUOTE_LEN 48
static const char *quote(char *out, const void *s, size_t n)
{
	const unsigned char *p = s;
	size_t i, o = 0;

	for (i = 0; i < n; i++) {
		if (o >= 40) {
			memcpy(out + o, "...", 4);
			return out;
		}
		if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
			out[o++] = (char)p[i];
		else
			o += (size_t)snprintf(out + o, 5, "\\x%02x", p[i]);
	}
	out[o] = '\0';
	return out;
}

/* ---- builder ---------------------------------------------------------- */

__attribute__((format(printf, 3, 4)))
static int fail(struct vici_msg *m, int err, const char *fmt, ...)
{
	va_list ap;

	if (m->err)
		return m->err;
	m->err = err;
	va_start(ap, fmt);
	vsnprintf(m->errmsg, sizeof(m->errmsg), fmt, ap);
	va_end(ap);
	return err;
}

/*
 * Room for @n more bytes in @m->buf, within the packet limit, and one spare
 * byte past them for the NUL vsnprintf() writes after a value.
 */
static int reserve(struct vici_msg *m, size_t n, const char *what,
		   const char *name)
{
	char q[QUOTE_LEN];
	size_t cap;
	void *buf;

	if (n > VICI_HDR_LEN + VICI_PACKET_MAX - m->len)
		return fail(m, -EMSGSIZE,
			    "packet '%s' would exceed %d bytes at %s '%s'",
			    m->name, VICI_PACKET_MAX, what,
			    quote(q, name, strlen(name)));
	if (m->len + n + 1 <= m->cap)
		return 0;
	cap = m->cap ? m->cap : 256;
	while (cap < m->len + n + 1)
		cap *= 2;
	if (cap > VICI_HDR_LEN + VICI_PACKET_MAX + 1)
		cap = VICI_HDR_LEN + VICI_PACKET_MAX + 1;
	buf = realloc(m->buf, cap);
	if (!buf)
		return fail(m, -ENOMEM, "out of memory for packet '%s'",
			    m->name);
	m->buf = buf;
	m->cap = cap;
	return 0;
}

/* Append @n bytes that reserve() made room for. */
static void put(struct vici_msg *m, const void *data, size_t n)
{
	memcpy(m->buf + m->len, data, n);
	m->len += n;
}

static void put_u8(struct vici_msg *m, unsigned int v)
{
	m->buf[m->len++] = (uint8_t)v;
}

static void put_u16(struct vici_msg *m, size_t v)
{
	m->buf[m->len++] = (uint8_t)(v >> 8);
	m->buf[m->len++] = (uint8_t)v;
}

/* Whether an element of @type may come now; counts it. */
static int elem_ok(struct vici_msg *m, enum vici_elem type, const char *name)
{
	char q[QUOTE_LEN];

	if (m->err)
		return m->err;
	if (!m->buf)
		return fail(m, -EINVAL, "%s '%s' before vici_begin()",
			    elem_names[type], name);
	if (m->done)
		return fail(m, -EINVAL, "%s '%s' after vici_end() of '%s'",
			    elem_names[type], quote(q, name, strlen(name)),
			    m->name);
	if (!vici_type_has_msg(m->type))
		return fail(m, -EINVAL, "%s carries no message (%s '%s')",
			    vici_type_str(m->type), elem_names[type],
			    quote(q, name, strlen(name)));
	if (m->list != (type == VICI_LIST_ITEM || type == VICI_LIST_END))
		return fail(m, -EINVAL, "%s '%s' %s a list in packet '%s'",
			    elem_names[type], quote(q, name, strlen(name)),
			    m->list ? "inside" : "outside", m->name);
	if (m->elements >= VICI_ELEMENTS_MAX)
		return fail(m, -EMSGSIZE,
			    "packet '%s' would hold more than %d elements",
			    m->name, VICI_ELEMENTS_MAX);
	m->elements++;
	return 0;
}

/* Length of a name, or an error if it cannot go on the wire. */
static int name_len(struct vici_msg *m, const char *what, const char *name,
		    bool empty_ok)
{
	char q[QUOTE_LEN];
	size_t n;

	if (!name)
		return fail(m, -EINVAL, "%s without a name in packet '%s'",
			    what, m->name);
	n = strlen(name);
	if (!n && !empty_ok)
		return fail(m, -EINVAL, "%s with an empty name in packet '%s'",
			    what, m->name);
	if (n > VICI_NAME_MAX)
		return fail(m, -EINVAL, "%s name '%s' is %zu bytes, at most %d",
			    what, quote(q, name, n), n, VICI_NAME_MAX);
	return (int)n;
}

int vici_begin_packet(struct vici_msg *m, enum vici_type type,
		      const char *name)
{
	int n = 0;

	memset(m, 0, sizeof(*m));
	m->type = (uint8_t)type;
	if ((unsigned int)type > VICI_EVENT)
		return fail(m, -EINVAL, "unknown packet type %u",
			    (unsigned int)type);
	if (vici_type_named(type)) {
		n = name_len(m, vici_type_str(type), name, false);
		if (n < 0)
			return n;
		memcpy(m->name, name, (size_t)n + 1);
	}
	if (reserve(m, VICI_HDR_LEN + 2 + (size_t)n, "packet", m->name))
		return m->err;
	m->len = VICI_HDR_LEN;	/* written by vici_end() */
	put_u8(m, type);
	if (vici_type_named(type)) {
		put_u8(m, (unsigned int)n);
		put(m, name, (size_t)n);
	}
	return 0;
}

int vici_begin(struct vici_msg *m, const char *cmd)
{
	return vici_begin_packet(m, VICI_CMD_REQUEST, cmd);
}

/* SECTION_START, LIST_START: type, name. */
static int put_named(struct vici_msg *m, enum vici_elem type, const char *name)
{
	int n;

	n = name_len(m, elem_names[type], name, type == VICI_SECTION_START);
	if (n < 0 || elem_ok(m, type, name) ||
	    reserve(m, 2 + (size_t)n, elem_names[type], name))
		return m->err;
	put_u8(m, type);
	put_u8(m, (unsigned int)n);
	put(m, name, (size_t)n);
	return 0;
}

int vici_section_start(struct vici_msg *m, const char *name)
{
	char q[QUOTE_LEN];

	if (!m->err && m->depth >= VICI_DEPTH_MAX)
		return fail(m, -EINVAL, "section '%s' nested deeper than %d",
			    quote(q, name, name ? strlen(name) : 0),
			    VICI_DEPTH_MAX);
	if (put_named(m, VICI_SECTION_START, name))
		return m->err;
	m->depth++;
	return 0;
}

int vici_section_end(struct vici_msg *m)
{
	if (!m->err && !m->depth)
		return fail(m, -EINVAL, "section end without a section in '%s'",
			    m->name);
	if (elem_ok(m, VICI_SECTION_END, "") ||
	    reserve(m, 1, "section end", ""))
		return m->err;
	put_u8(m, VICI_SECTION_END);
	m->depth--;
	return 0;
}

int vici_list_start(struct vici_msg *m, const char *name)
{
	if (put_named(m, VICI_LIST_START, name))
		return m->err;
	m->list = true;
	return 0;
}

int vici_list_end(struct vici_msg *m)
{
	if (elem_ok(m, VICI_LIST_END, "") || reserve(m, 1, "list end", ""))
		return m->err;
	put_u8(m, VICI_LIST_END);
	m->list = false;
	return 0;
}

/*
 * KEY_VALUE (with @key) or LIST_ITEM (@key NULL): the header up to the
 * value's length; @len bytes of value and one spare byte reserved after it.
 */
static int put_value_head(struct vici_msg *m, const char *key, size_t len)
{
	enum vici_elem type = key ? VICI_KEY_VALUE : VICI_LIST_ITEM;
	const char *what = key ? key : "";
	char q[QUOTE_LEN];
	int n = 0;

	if (key) {
		n = name_len(m, "key", key, false);
		if (n < 0)
			return n;
	}
	if (elem_ok(m, type, what))
		return m->err;
	if (len > VICI_VALUE_MAX)
		return fail(m, -EINVAL, "value of %s '%s' is %zu bytes, at most %d",
			    elem_names[type], quote(q, what, strlen(what)), len,
			    VICI_VALUE_MAX);
	if (reserve(m, (key ? 4 + (size_t)n : 3) + len, elem_names[type], what))
		return m->err;
	put_u8(m, type);
	if (key) {
		put_u8(m, (unsigned int)n);
		put(m, key, (size_t)n);
	}
	put_u16(m, len);
	return 0;
}

static int put_value(struct vici_msg *m, const char *key, const void *value,
		     size_t len)
{
	if (!value && len)
		return fail(m, -EINVAL, "NULL value of %zu bytes", len);
	if (put_value_head(m, key, len))
		return m->err;
	if (len)
		put(m, value, len);
	return 0;
}

/* A printf()ed value, formatted straight into the packet. */
static int put_valuef(struct vici_msg *m, const char *key, const char *fmt,
		      va_list ap)
{
	va_list again;
	int n;

	va_copy(again, ap);
	n = vsnprintf(NULL, 0, fmt, again);
	va_end(again);
	if (n < 0)
		return fail(m, -EINVAL, "cannot format '%s'", fmt);
	if (put_value_head(m, key, (size_t)n))
		return m->err;
	/* reserve() left a spare byte for vsnprintf()'s NUL. */
	vsnprintf((char *)m->buf + m->len, (size_t)n + 1, fmt, ap);
	m->len += (size_t)n;
	return 0;
}

int vici_kv(struct vici_msg *m, const char *key, const char *value)
{
	return put_value(m, key ? key : "", value, value ? strlen(value) : 0);
}

int vici_kv_bytes(struct vici_msg *m, const char *key, const void *value,
		  size_t len)
{
	return put_value(m, key ? key : "", value, len);
}

int vici_kvf(struct vici_msg *m, const char *key, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = put_valuef(m, key ? key : "", fmt, ap);
	va_end(ap);
	return ret;
}

int vici_list_item(struct vici_msg *m, const char *value)
{
	return put_value(m, NULL, value, value ? strlen(value) : 0);
}

int vici_list_item_bytes(struct vici_msg *m, const void *value, size_t len)
{
	return put_value(m, NULL, value, len);
}

int vici_list_itemf(struct vici_msg *m, const char *fmt, ...)
{
	va_list ap;
	int ret;

	va_start(ap, fmt);
	ret = put_valuef(m, NULL, fmt, ap);
	va_end(ap);
	return ret;
}

int vici_end(struct vici_msg *m)
{
	size_t n;

	if (m->err)
		return m->err;
	if (!m->buf)
		return fail(m, -EINVAL, "vici_end() before vici_begin()");
	if (m->done)
		return 0;
	if (m->list)
		return fail(m, -EINVAL, "packet '%s' ends inside a list", m->name);
	if (m->depth)
		return fail(m, -EINVAL, "packet '%s' ends with %u section%s open",
			    m->name, m->depth, m->depth > 1 ? "s" : "");
	n = m->len - VICI_HDR_LEN;
	m->buf[0] = (uint8_t)(n >> 24);
	m->buf[1] = (uint8_t)(n >> 16);
	m->buf[2] = (uint8_t)(n >> 8);
	m->buf[3] = (uint8_t)n;
	m->done = true;
	return 0;
}

void vici_msg_free(struct vici_msg *m)
{
	free(m->buf);
	m->buf = NULL;
	m->len = m->cap = 0;
}

/* ---- decoder ---------------------------------------------------------- */

/* One element as it lies in the payload; name and value not terminated. */
struct elem {
	uint8_t type;
	uint8_t namelen;
	uint16_t len;
	uint32_t offset;
	const uint8_t *name;
	const uint8_t *value;
};

/*
 * The one place that validates a message: walks its elements, checking
 * every length against what is left and the nesting rules. Both passes of
 * vici_decode() go through it.
 */
struct reader {
	const uint8_t *p;
	size_t len;
	size_t off;
	unsigned int depth;
	size_t elements;
	uint32_t open[VICI_DEPTH_MAX];	/* offsets of the open sections */
	uint32_t list;			/* offset of the open list, 0: none */
	char *err;
	size_t errlen;
};

__attribute__((format(printf, 2, 3)))
static int bad(struct reader *r, const char *fmt, ...)
{
	va_list ap;

	if (r->err && r->errlen) {
		va_start(ap, fmt);
		vsnprintf(r->err, r->errlen, fmt, ap);
		va_end(ap);
	}
	return -EBADMSG;
}

/* @n bytes for the @what of the element at @at, or "truncated". */
static int take(struct reader *r, size_t n, const uint8_t **out,
		const char *what, const struct elem *e)
{
	if (n > r->len - r->off)
		return bad(r, "truncated at byte %zu: %s of the %s at byte %u needs %zu byte%s, %zu left",
			   r->off, what, elem_names[e->type], e->offset, n,
			   n == 1 ? "" : "s", r->len - r->off);
	*out = r->p + r->off;
	r->off += n;
	return 0;
}

static int take_name(struct reader *r, struct elem *e)
{
	const uint8_t *p = NULL;

	if (take(r, 1, &p, "the name length", e))
		return -EBADMSG;
	e->namelen = *p;
	if (take(r, e->namelen, &e->name, "the name", e))
		return -EBADMSG;
	if (!e->namelen && e->type != VICI_SECTION_START)
		return bad(r, "%s at byte %u has an empty name",
			   elem_names[e->type], e->offset);
	if (memchr(e->name, '\0', e->namelen))
		return bad(r, "name of the %s at byte %u holds a NUL byte",
			   elem_names[e->type], e->offset);
	return 0;
}

static int take_value(struct reader *r, struct elem *e)
{
	const uint8_t *p = NULL;

	if (take(r, 2, &p, "the value length", e))
		return -EBADMSG;
	e->len = (uint16_t)(p[0] << 8 | p[1]);
	return take(r, e->len, &e->value, "the value", e);
}

/* Name of the section or list opened at @at, for a message. */
static const char *opened_name(struct reader *r, uint32_t at, char *q)
{
	return quote(q, r->p + at + 2, r->p[at + 1]);
}

/* The next element: 1, 0 at a well-formed end, -EBADMSG. */
static int next_elem(struct reader *r, struct elem *e)
{
	char q[QUOTE_LEN];
	bool in_list = r->list != 0;

	memset(e, 0, sizeof(*e));
	if (r->off == r->len) {
		if (in_list)
			return bad(r, "list '%s' opened at byte %u not closed at the end (byte %zu)",
				   opened_name(r, r->list, q), r->list, r->len);
		if (r->depth)
			return bad(r, "section '%s' opened at byte %u not closed at the end (byte %zu)",
				   opened_name(r, r->open[r->depth - 1], q),
				   r->open[r->depth - 1], r->len);
		return 0;
	}
	e->offset = (uint32_t)r->off;
	e->type = r->p[r->off++];
	if (e->type < VICI_SECTION_START || e->type > VICI_LIST_END)
		return bad(r, "unknown element type %u at byte %u", e->type,
			   e->offset);
	if (++r->elements > VICI_ELEMENTS_MAX)
		return bad(r, "more than %d elements at byte %u",
			   VICI_ELEMENTS_MAX, e->offset);
	if (in_list != (e->type == VICI_LIST_ITEM || e->type == VICI_LIST_END)) {
		if (in_list)
			return bad(r, "%s at byte %u inside list '%s'",
				   elem_names[e->type], e->offset,
				   opened_name(r, r->list, q));
		return bad(r, "%s at byte %u outside a list",
			   elem_names[e->type], e->offset);
	}

	switch (e->type) {
	case VICI_SECTION_START:
		if (take_name(r, e))
			return -EBADMSG;
		if (r->depth == VICI_DEPTH_MAX)
			return bad(r, "section '%s' at byte %u nested deeper than %d",
				   quote(q, e->name, e->namelen), e->offset,
				   VICI_DEPTH_MAX);
		r->open[r->depth++] = e->offset;
		break;
	case VICI_SECTION_END:
		if (!r->depth)
			return bad(r, "section end at byte %u closes no section",
				   e->offset);
		r->depth--;
		break;
	case VICI_KEY_VALUE:
		if (take_name(r, e) || take_value(r, e))
			return -EBADMSG;
		break;
	case VICI_LIST_START:
		if (take_name(r, e))
			return -EBADMSG;
		r->list = e->offset;	/* never 0: the packet type is byte 0 */
		break;
	case VICI_LIST_ITEM:
		if (take_value(r, e))
			return -EBADMSG;
		break;
	case VICI_LIST_END:
		r->list = 0;
		break;
	}
	return 1;
}

int vici_frame_len(const void *buf, size_t len, size_t *payload_len)
{
	const uint8_t *p = buf;
	uint32_t n;

	if (len < VICI_HDR_LEN)
		return 0;
	n = (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	    (uint32_t)p[2] << 8 | p[3];
	if (n > VICI_PACKET_MAX)
		return -EMSGSIZE;
	if (!n)
		return -EBADMSG;
	*payload_len = n;
	return 1;
}

__attribute__((format(printf, 3, 4)))
static int say(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EBADMSG;
}

/* Type and name: where the message starts, or -EBADMSG/-EMSGSIZE. */
static int decode_head(struct vici_packet *p, const uint8_t *b, size_t len,
		       char *err, size_t errlen)
{
	char q[QUOTE_LEN];
	size_t off = 1, n;

	if (!len)
		return say(err, errlen, "empty packet");
	if (len > VICI_PACKET_MAX) {
		say(err, errlen, "packet of %zu bytes, at most %d", len,
		    VICI_PACKET_MAX);
		return -EMSGSIZE;
	}
	p->type = b[0];
	if (p->type > VICI_EVENT)
		return say(err, errlen, "unknown packet type %u", p->type);
	if (vici_type_named(p->type)) {
		if (len < 2)
			return say(err, errlen, "truncated at byte 1: %s without its name length",
				   vici_type_str(p->type));
		n = b[1];
		off = 2;
		if (n > len - off)
			return say(err, errlen, "truncated at byte 2: name of the %s needs %zu byte%s, %zu left",
				   vici_type_str(p->type), n, n == 1 ? "" : "s",
				   len - off);
		if (!n)
			return say(err, errlen, "%s with an empty name",
				   vici_type_str(p->type));
		if (memchr(b + off, '\0', n))
			return say(err, errlen, "name '%s' of the %s holds a NUL byte",
				   quote(q, b + off, n), vici_type_str(p->type));
		memcpy(p->name, b + off, n);
		p->name[n] = '\0';
		off += n;
	}
	if (!vici_type_has_msg(p->type) && off != len)
		return say(err, errlen, "%zu byte%s of garbage at byte %zu after %s%s%s%s",
			   len - off, len - off == 1 ? "" : "s", off,
			   vici_type_str(p->type), p->name[0] ? " '" : "",
			   p->name, p->name[0] ? "'" : "");
	return (int)off;
}

int vici_decode(struct vici_packet *p, const void *payload, size_t len,
		char *err, size_t errlen)
{
	struct vici_node *stack[VICI_DEPTH_MAX + 2], *tail[VICI_DEPTH_MAX + 2];
	struct reader r = { .p = payload, .len = len, .err = err,
			    .errlen = errlen };
	struct vici_node *nodes, *n;
	size_t count = 1, strbytes = 1, lvl = 0, start;
	struct elem e;
	char *s;
	int ret;

	memset(p, 0, sizeof(*p));
	ret = decode_head(p, payload, len, err, errlen);
	if (ret < 0)
		goto fail;
	start = (size_t)ret;
	r.off = start;

	/* Pass 1: validate everything and size the tree. */
	while ((ret = next_elem(&r, &e)) > 0) {
		if (e.type == VICI_SECTION_END || e.type == VICI_LIST_END)
			continue;
		count++;
		strbytes += e.namelen + 1u;
		if (e.type == VICI_KEY_VALUE || e.type == VICI_LIST_ITEM)
			strbytes += e.len + 1u;
	}
	if (ret < 0)
		goto fail;

	nodes = calloc(1, count * sizeof(*nodes) + strbytes);
	if (!nodes) {
		say(err, errlen, "out of memory for %zu elements", count);
		ret = -ENOMEM;
		goto fail;
	}
	s = (char *)(nodes + count);
	*s = '\0';
	nodes[0].type = VICI_SECTION_START;
	nodes[0].name = s++;
	stack[0] = &nodes[0];
	tail[0] = NULL;

	/* Pass 2: the same walk, known good, links the nodes. */
	r.off = start;
	r.depth = 0;
	r.elements = 0;
	r.list = 0;
	n = &nodes[1];
	while (next_elem(&r, &e) > 0) {
		if (e.type == VICI_SECTION_END || e.type == VICI_LIST_END) {
			lvl--;
			continue;
		}
		n->type = e.type;
		n->len = e.len;
		n->offset = e.offset;
		if (e.namelen)	/* an item has no name: e.name is NULL */
			memcpy(s, e.name, e.namelen);
		s[e.namelen] = '\0';
		n->name = s;
		s += e.namelen + 1u;
		if (e.type == VICI_KEY_VALUE || e.type == VICI_LIST_ITEM) {
			if (e.len)
				memcpy(s, e.value, e.len);
			s[e.len] = '\0';
			n->value = s;
			s += e.len + 1u;
		}
		n->parent = stack[lvl];
		if (tail[lvl])
			tail[lvl]->next = n;
		else
			stack[lvl]->child = n;
		tail[lvl] = n;
		if (e.type == VICI_SECTION_START || e.type == VICI_LIST_START) {
			stack[++lvl] = n;
			tail[lvl] = NULL;
		}
		n++;
	}
	p->root = &nodes[0];
	p->nodes = count;
	p->mem = nodes;
	return 0;

fail:
	memset(p, 0, sizeof(*p));
	return ret;
}

void vici_packet_free(struct vici_packet *p)
{
	free(p->mem);
	memset(p, 0, sizeof(*p));
}

/* ---- lookup ----------------------------------------------------------- */

static const struct vici_node *child_n(const struct vici_node *sec,
				       const char *name, size_t len)
{
	const struct vici_node *c;

	if (!sec || sec->type != VICI_SECTION_START)
		return NULL;
	for (c = sec->child; c; c = c->next)
		if (!strncmp(c->name, name, len) && c->name[len] == '\0')
			return c;
	return NULL;
}

const struct vici_node *vici_get(const struct vici_node *sec,
				 const char *name)
{
	return child_n(sec, name, strlen(name));
}

const struct vici_node *vici_find(const struct vici_node *from,
				  const char *path)
{
	const char *slash;

	while (from && *path) {
		slash = strchr(path, '/');
		if (!slash)
			return child_n(from, path, strlen(path));
		from = child_n(from, path, (size_t)(slash - path));
		path = slash + 1;
		if (!*path)	/* "a/" names no key */
			return NULL;
	}
	return from;
}

const char *vici_str(const struct vici_node *from, const char *path)
{
	const struct vici_node *n = vici_find(from, path);

	if (!n || n->type != VICI_KEY_VALUE || memchr(n->value, '\0', n->len))
		return NULL;
	return n->value;
}

bool vici_yes(const struct vici_node *from, const char *path)
{
	const char *s = vici_str(from, path);

	return s && !strcmp(s, "yes");
}

static int digit(char c, int base)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (base == 16 && c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (base == 16 && c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

int vici_u64(const struct vici_node *from, const char *path, int base,
	     uint64_t *out)
{
	const struct vici_node *n = vici_find(from, path);
	const char *s;
	uint64_t v = 0;
	size_t i = 0;
	int d;

	if (!n || n->type != VICI_KEY_VALUE)
		return -ENOENT;
	if (base != 10 && base != 16)
		return -EINVAL;
	s = n->value;
	if (base == 16 && n->len > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		i = 2;
	if (i == n->len)
		return -EINVAL;
	/* By hand: strtoull() takes blanks, signs and stops at a NUL. */
	for (; i < n->len; i++) {
		d = digit(s[i], base);
		if (d < 0)
			return -EINVAL;
		if (v > (UINT64_MAX - (uint64_t)d) / (uint64_t)base)
			return -ERANGE;
		v = v * (uint64_t)base + (uint64_t)d;
	}
	*out = v;
	return 0;
}

int vici_u32(const struct vici_node *from, const char *path, int base,
	     uint32_t *out)
{
	uint64_t v;
	int ret;

	ret = vici_u64(from, path, base, &v);
	if (ret)
		return ret;
	if (v > UINT32_MAX)
		return -ERANGE;
	*out = (uint32_t)v;
	return 0;
}

size_t vici_count(const struct vici_node *n)
{
	const struct vici_node *c;
	size_t i = 0;

	if (!n)
		return 0;
	for (c = n->child; c; c = c->next)
		i++;
	return i;
}

int vici_success(const struct vici_packet *resp, const char *cmd, char *err,
		 size_t errlen)
{
	const char *ok = vici_str(resp->root, "success");
	const char *msg;

	if (!ok) {
		snprintf(err, errlen, "vici: response to '%s' has no 'success'",
			 cmd);
		return -EBADMSG;
	}
	if (!strcmp(ok, "yes"))
		return 0;
	msg = vici_str(resp->root, "errmsg");
	snprintf(err, errlen, "vici: %s failed: %s", cmd,
		 msg ? msg : "(charon gave no errmsg)");
	return -EREMOTEIO;
}

/* A value for a human: escaped, long ones cut. */
static void dump_value(FILE *f, const struct vici_node *n)
{
	const unsigned char *v = (const unsigned char *)n->value;
	size_t i;

	for (i = 0; i < n->len; i++) {
		if (i == 400) {
			fprintf(f, "...(%u bytes)", n->len);
			return;
		}
		if (v[i] >= 0x20 && v[i] < 0x7f && v[i] != '\\')
			fputc(v[i], f);
		else
			fprintf(f, "\\x%02x", v[i]);
	}
}

void vici_dump(FILE *f, const struct vici_node *n, int indent)
{
	const struct vici_node *c;

	if (!n)
		return;
	for (c = n->child; c; c = c->next) {
		fprintf(f, "%*s%s", indent, "", c->name);
		switch (c->type) {
		case VICI_SECTION_START:
			fputs(" {\n", f);
			vici_dump(f, c, indent + 2);
			fprintf(f, "%*s}\n", indent, "");
			break;
		case VICI_KEY_VALUE:
			fputs(" = ", f);
			dump_value(f, c);
			fputc('\n', f);
			break;
		case VICI_LIST_START:
			fputs(" = [\n", f);
			vici_dump(f, c, indent + 2);
			fprintf(f, "%*s]\n", indent, "");
			break;
		case VICI_LIST_ITEM:
			dump_value(f, c);
			fputc('\n', f);
			break;
		}
	}
}
