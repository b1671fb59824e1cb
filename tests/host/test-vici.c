// SPDX-License-Identifier: GPL-2.0
/*
 * The VICI codec and client of agent/ike/: the README's encoding example,
 * round trips of every element and packet type, the limits, every
 * truncation of a valid packet, lookups, reassembly from any split of the
 * stream, and the client against a scripted charon on the other end of a
 * socketpair (a child process): streamed commands with events interleaved,
 * CMD_UNKNOWN, a charon that closes, one that is silent, one that sends
 * garbage; and the cache of charon's CHILD_SAs that names the identities of
 * violations (ike/sas.h): listed only when stale or on a miss a second old,
 * exact SPI and reqid matches, two identities of one reqid ambiguous.
 *
 * "test-vici --seeds DIR" writes the fuzz_vici seeds built here into DIR
 * (tests/fuzz/corpus/fuzz_vici/gen-*) instead.
 */

#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "ike/sas.h"
#include "ike/vici.h"
#include "ike/vici_client.h"

/* The README's "Encoding example" message, byte for byte. */
static const uint8_t readme_msg[] = {
	3, 4, 'k', 'e', 'y', '1', 0, 6, 'v', 'a', 'l', 'u', 'e', '1',
	1, 8, 's', 'e', 'c', 't', 'i', 'o', 'n', '1',
	1, 11, 's', 'u', 'b', '-', 's', 'e', 'c', 't', 'i', 'o', 'n',
	3, 4, 'k', 'e', 'y', '2', 0, 6, 'v', 'a', 'l', 'u', 'e', '2',
	2,
	4, 5, 'l', 'i', 's', 't', '1',
	5, 0, 5, 'i', 't', 'e', 'm', '1',
	5, 0, 5, 'i', 't', 'e', 'm', '2',
	6,
	2,
};

static void build_readme(struct vici_msg *m, enum vici_type type)
{
	vici_begin_packet(m, type, "x");
	vici_kv(m, "key1", "value1");
	vici_section_start(m, "section1");
	vici_section_start(m, "sub-section");
	vici_kv(m, "key2", "value2");
	vici_section_end(m);
	vici_list_start(m, "list1");
	vici_list_item(m, "item1");
	vici_list_item(m, "item2");
	vici_list_end(m);
	vici_section_end(m);
	vici_end(m);
}

/* Decode @len bytes from a buffer of exactly that size (ASan sees reads past). */
static int decode_exact(struct vici_packet *p, const void *b, size_t len,
			char *err, size_t errlen)
{
	void *copy = malloc(len ? len : 1);
	int ret;

	memcpy(copy, b, len);
	ret = vici_decode(p, copy, len, err, errlen);
	free(copy);
	return ret;
}

/* A decoded tree written back with the builder: the decoder's inverse. */
static void encode_node(struct vici_msg *m, const struct vici_node *n)
{
	const struct vici_node *c;

	for (c = n->child; c; c = c->next) {
		switch (c->type) {
		case VICI_SECTION_START:
			vici_section_start(m, c->name);
			encode_node(m, c);
			vici_section_end(m);
			break;
		case VICI_KEY_VALUE:
			vici_kv_bytes(m, c->name, c->value, c->len);
			break;
		case VICI_LIST_START:
			vici_list_start(m, c->name);
			encode_node(m, c);
			vici_list_end(m);
			break;
		case VICI_LIST_ITEM:
			vici_list_item_bytes(m, c->value, c->len);
			break;
		}
	}
}

static int reencode(const struct vici_packet *p, struct vici_msg *m)
{
	vici_begin_packet(m, p->type, p->name);
	encode_node(m, p->root);
	return vici_end(m);
}

/* @m's payload decodes, and encodes back to the same bytes. */
static bool round_trips(struct vici_msg *m, struct vici_packet *out)
{
	char err[VICI_ERR_LEN] = "";
	struct vici_msg again;
	bool ok;

	if (m->err) {
		fprintf(stderr, "  build: %s\n", m->errmsg);
		return false;
	}
	if (decode_exact(out, m->buf + VICI_HDR_LEN, m->len - VICI_HDR_LEN,
			 err, sizeof(err))) {
		fprintf(stderr, "  decode: %s\n", err);
		return false;
	}
	ok = !reencode(out, &again) && again.len == m->len &&
	     !memcmp(again.buf, m->buf, m->len);
	if (!ok)
		fprintf(stderr, "  re-encoded differs: %zu vs %zu bytes (%s)\n",
			again.len, m->len, again.errmsg);
	vici_msg_free(&again);
	return ok;
}

static void test_readme(void)
{
	char err[VICI_ERR_LEN] = "";
	const struct vici_node *l, *i;
	struct vici_packet p;
	struct vici_msg m;
	bool ok;

	build_readme(&m, VICI_CMD_RESPONSE);
	ok = !m.err && m.len == VICI_HDR_LEN + 1 + sizeof(readme_msg) &&
	     m.buf[VICI_HDR_LEN] == VICI_CMD_RESPONSE &&
	     !memcmp(m.buf + VICI_HDR_LEN + 1, readme_msg, sizeof(readme_msg)) &&
	     m.buf[0] == 0 && m.buf[1] == 0 && m.buf[2] == 0 &&
	     m.buf[3] == 1 + sizeof(readme_msg);
	check(ok, "builder writes the README's encoding example byte for byte");
	vici_msg_free(&m);

	uint8_t pkt[1 + sizeof(readme_msg)] = { VICI_CMD_RESPONSE };

	memcpy(pkt + 1, readme_msg, sizeof(readme_msg));
	ok = !decode_exact(&p, pkt, sizeof(pkt), err, sizeof(err));
	if (!ok)
		fprintf(stderr, "  %s\n", err);
	check(ok && p.type == VICI_CMD_RESPONSE && !p.name[0] && p.nodes == 8,
	      "decoder reads the README's example: 8 nodes, root included");
	l = vici_find(p.root, "section1/list1");
	i = l ? l->child : NULL;
	check(ok && same_str(vici_str(p.root, "key1"), "value1") &&
	      same_str(vici_str(p.root, "section1/sub-section/key2"), "value2") &&
	      l && l->type == VICI_LIST_START && vici_count(l) == 2 && i &&
	      same_str(i->value, "item1") && i->next &&
	      same_str(i->next->value, "item2") && !i->next->next &&
	      l->parent == vici_get(p.root, "section1") &&
	      vici_get(p.root, "section1")->offset == 15,
	      "README example: paths, list items in order, parents, offsets");
	vici_packet_free(&p);
}

static void test_round_trips(void)
{
	static char big[VICI_VALUE_MAX];
	char name255[VICI_NAME_MAX + 1];
	const struct vici_node *n;
	struct vici_packet p;
	struct vici_msg m;
	unsigned int t;
	bool ok;

	memset(name255, 'n', VICI_NAME_MAX);
	name255[VICI_NAME_MAX] = '\0';
	memset(big, 0xa5, sizeof(big));

	vici_begin_packet(&m, VICI_EVENT, "child-updown");
	vici_kv(&m, "up", "yes");
	vici_kv(&m, "empty", "");
	vici_kv_bytes(&m, "bin", "a\0b", 3);
	vici_kvf(&m, "num", "%u/%s", 1701u, "udp");
	vici_kv_bytes(&m, name255, big, sizeof(big));
	vici_section_start(&m, "");
	vici_list_start(&m, "empty-list");
	vici_list_end(&m);
	vici_list_start(&m, "items");
	vici_list_item(&m, "");
	vici_list_item_bytes(&m, "\0", 1);
	vici_list_itemf(&m, "dynamic[udp/%d]", 1701);
	vici_list_end(&m);
	vici_section_end(&m);
	vici_end(&m);
	ok = round_trips(&m, &p);
	check(ok, "round trip: every element type, empty and 65535-byte values, 255-byte name, \"\" section");
	if (ok) {
		n = vici_find(p.root, "bin");
		check(n && n->len == 3 && !memcmp(n->value, "a\0b", 4) &&
		      !vici_str(p.root, "bin") &&
		      same_str(vici_str(p.root, "empty"), "") &&
		      same_str(vici_str(p.root, "num"), "1701/udp") &&
		      vici_yes(p.root, "up") && !vici_yes(p.root, "num") &&
		      vici_find(p.root, name255)->len == VICI_VALUE_MAX &&
		      vici_count(vici_find(p.root, "/empty-list")) == 0 &&
		      vici_count(vici_find(p.root, "/items")) == 3 &&
		      same_str(vici_find(p.root, "/items")->child->next->next->value,
			       "dynamic[udp/1701]"),
		      "values are bytes: a NUL inside is kept, vici_str() refuses it; \"\" section by path \"/x\"");
		vici_packet_free(&p);
	}
	vici_msg_free(&m);

	for (t = VICI_CMD_REQUEST; t <= VICI_EVENT; t++) {
		vici_begin_packet(&m, t, "list-sa");
		if (vici_type_has_msg(t))
			vici_kv(&m, "k", "v");
		vici_end(&m);
		ok = round_trips(&m, &p);
		check(ok && p.type == t &&
		      !strcmp(p.name, vici_type_named(t) ? "list-sa" : "") &&
		      m.len == (size_t)(VICI_HDR_LEN + 1 +
					(vici_type_named(t) ? 8 : 0) +
					(vici_type_has_msg(t) ? 6 : 0)),
		      "round trip: packet type %s", vici_type_str(t));
		if (ok)
			vici_packet_free(&p);
		vici_msg_free(&m);
	}
}

/* What one builder misuse returns, and that the error sticks. */
static void builder_err(const char *what, int want, struct vici_msg *m)
{
	char first[VICI_ERR_LEN];
	int e1 = m->err, e2;

	memcpy(first, m->errmsg, sizeof(first));
	vici_kv(m, "more", "x");
	e2 = vici_end(m);
	if (e1 != want)
		fprintf(stderr, "  err %d (%s)\n", e1, m->errmsg);
	check(e1 == want && e2 == want && m->errmsg[0] &&
	      !strcmp(first, m->errmsg),
	      "builder refuses %s (%s): \"%s\"", what,
	      want == -EMSGSIZE ? "EMSGSIZE" : "EINVAL", m->errmsg);
	vici_msg_free(m);
}

static void test_builder_errors(void)
{
	static char big[VICI_VALUE_MAX + 1];
	char name256[VICI_NAME_MAX + 2];
	struct vici_packet p;
	struct vici_msg m;
	int i, ret;
	bool ok;

	memset(name256, 'n', VICI_NAME_MAX + 1);
	name256[VICI_NAME_MAX + 1] = '\0';

	vici_begin(&m, name256);
	builder_err("a 256-byte command name", -EINVAL, &m);
	vici_begin(&m, "");
	builder_err("an empty command name", -EINVAL, &m);
	vici_begin(&m, "c");
	vici_kv(&m, name256, "v");
	builder_err("a 256-byte key", -EINVAL, &m);
	vici_begin(&m, "c");
	vici_kv(&m, "", "v");
	builder_err("an empty key", -EINVAL, &m);
	vici_begin(&m, "c");
	vici_list_start(&m, "");
	builder_err("an empty list name", -EINVAL, &m);
	vici_begin(&m, "c");
	vici_kv_bytes(&m, "k", big, sizeof(big));
	builder_err("a 65536-byte value", -EINVAL, &m);
	vici_begin(&m, "c");
	vici_list_start(&m, "l");
	vici_kv(&m, "k", "v");
	builder_err("a key inside a list", -EINVAL, &m);
	vici_begin(&m, "c");
	vici_list_start(&m, "l");
	vici_list_start(&m, "l2");
	builder_err("a list inside a list", -EINVAL, &m);
	vici_begin(&m, "c");
	vici_list_start(&m, "l");
	vici_section_start(&m, "s");
	builder_err("a section inside a list", -EINVAL, &m);
	vici_begin(&m, "c");
	vici_list_item(&m, "i");
	builder_err("an item outside a list", -EINVAL, &m);
	vici_begin(&m, "c");
	vici_list_end(&m);
	builder_err("a list end outside a list", -EINVAL, &m);
	vici_begin(&m, "c");
	vici_section_end(&m);
	builder_err("a section end outside a section", -EINVAL, &m);
	vici_begin(&m, "c");
	for (i = 0; i < VICI_DEPTH_MAX + 1; i++)
		vici_section_start(&m, "s");
	builder_err("17 nested sections", -EINVAL, &m);
	vici_begin(&m, "c");
	vici_section_start(&m, "s");
	vici_end(&m);
	builder_err("an end with a section open", -EINVAL, &m);
	vici_begin(&m, "c");
	vici_list_start(&m, "l");
	vici_end(&m);
	builder_err("an end with a list open", -EINVAL, &m);
	vici_begin_packet(&m, VICI_CMD_UNKNOWN, NULL);
	vici_kv(&m, "k", "v");
	builder_err("a message in a CMD_UNKNOWN", -EINVAL, &m);
	vici_begin_packet(&m, 8, "x");
	builder_err("packet type 8", -EINVAL, &m);
	vici_begin(&m, "c");
	vici_end(&m);
	vici_kv(&m, "k", "v");
	builder_err("a key after vici_end()", -EINVAL, &m);

	/* The limit on the payload, to the byte: 7 values of 65535 bytes... */
	vici_begin(&m, "load-cert");
	for (i = 0; i < 7; i++)
		vici_kv_bytes(&m, "k", big, VICI_VALUE_MAX);
	/* ...then fill up to exactly VICI_PACKET_MAX. */
	ret = (int)(VICI_HDR_LEN + VICI_PACKET_MAX - m.len) - 5;
	vici_kv_bytes(&m, "k", big, (size_t)ret);
	ok = !vici_end(&m) && m.len == VICI_HDR_LEN + VICI_PACKET_MAX &&
	     round_trips(&m, &p);
	check(ok, "a payload of exactly %d bytes is built and decoded",
	      VICI_PACKET_MAX);
	if (ok)
		vici_packet_free(&p);
	vici_msg_free(&m);

	vici_begin(&m, "load-cert");
	for (i = 0; i < 7; i++)
		vici_kv_bytes(&m, "k", big, VICI_VALUE_MAX);
	vici_kv_bytes(&m, "k", big, (size_t)ret + 1);
	builder_err("a payload of 524289 bytes", -EMSGSIZE, &m);

	vici_begin(&m, "c");
	vici_list_start(&m, "l");
	for (i = 0; i < VICI_ELEMENTS_MAX - 2; i++)
		vici_list_item(&m, "");
	vici_list_end(&m);
	ok = !vici_end(&m) && round_trips(&m, &p) && p.nodes == (size_t)VICI_ELEMENTS_MAX;
	check(ok, "%d elements are built and decoded", VICI_ELEMENTS_MAX);
	if (ok)
		vici_packet_free(&p);
	vici_msg_free(&m);
	vici_begin(&m, "c");
	vici_list_start(&m, "l");
	for (i = 0; i < VICI_ELEMENTS_MAX - 1; i++)
		vici_list_item(&m, "");
	vici_list_end(&m);
	builder_err("65537 elements", -EMSGSIZE, &m);
}

/* A packet that uses every element type, wrapped in one section. */
static void build_full(struct vici_msg *m)
{
	vici_begin_packet(m, VICI_EVENT, "list-sa");
	vici_section_start(m, "l2tp");
	vici_kv(m, "uniqueid", "7");
	vici_kv(m, "remote-port", "4500");
	vici_section_start(m, "child-sas");
	vici_section_start(m, "l2tp_spd_entry-3");
	vici_kv(m, "spi-in", "c1a2b3c4");
	vici_kv(m, "reqid", "1");
	vici_list_start(m, "local-ts");
	vici_list_item(m, "192.0.2.1/32[udp/l2f]");
	vici_list_end(m);
	vici_list_start(m, "empty");
	vici_list_end(m);
	vici_kv(m, "e", "");
	vici_section_end(m);
	vici_section_end(m);
	vici_section_end(m);
	vici_end(m);
}

static void test_truncation(void)
{
	char err[VICI_ERR_LEN];
	size_t len, plen, bad = 0, hdr;
	struct vici_packet p;
	struct vici_msg m;
	int ret;

	build_full(&m);
	plen = m.len - VICI_HDR_LEN;
	hdr = 2 + strlen("list-sa");	/* an EVENT with no message is valid */
	for (len = 0; len < plen; len++) {
		err[0] = '\0';
		ret = decode_exact(&p, m.buf + VICI_HDR_LEN, len, err, sizeof(err));
		if (len == hdr ? ret != 0 : ret != -EBADMSG || !err[0] ||
		    p.mem || p.root) {
			fprintf(stderr, "  prefix of %zu bytes: %d \"%s\"\n", len,
				ret, err);
			bad++;
		}
		if (!ret)
			vici_packet_free(&p);
	}
	check(!bad, "every proper prefix of a %zu-byte packet is refused, with a message, but the bare header",
	      plen);
	ret = decode_exact(&p, m.buf + VICI_HDR_LEN, 31, err, sizeof(err));
	check(ret == -EBADMSG &&
	      same_str(err, "truncated at byte 30: the name of the key at byte 28 needs 11 bytes, 1 left"),
	      "a truncated name says where");
	ret = decode_exact(&p, m.buf + VICI_HDR_LEN, plen - 1, err, sizeof(err));
	check(ret == -EBADMSG &&
	      same_str(err, "section 'l2tp' opened at byte 9 not closed at the end (byte 154)"),
	      "an unclosed section names itself");
	ret = decode_exact(&p, m.buf + VICI_HDR_LEN, plen, err, sizeof(err));
	check(!ret && same_str(vici_str(p.root, "l2tp/child-sas/l2tp_spd_entry-3/spi-in"),
			       "c1a2b3c4"),
	      "the whole packet decodes (list-sas style path)");
	if (!ret)
		vici_packet_free(&p);
	vici_msg_free(&m);
}

/* Decode hand-made bytes; the expected error text, or NULL for success. */
static void refuse(const char *what, const void *b, size_t len, int want,
		   const char *msg)
{
	char err[VICI_ERR_LEN] = "";
	struct vici_packet p;
	int ret;

	ret = decode_exact(&p, b, len, err, sizeof(err));
	if (!ret)
		vici_packet_free(&p);
	check(ret == want && (!msg || same_str(err, msg)), "decoder: %s -> %s%s%s",
	      what, want ? "refused" : "accepted", msg ? ": " : "",
	      msg ? msg : "");
}

#define BYTES(...) (const uint8_t[]){ __VA_ARGS__ }, \
	sizeof((const uint8_t[]){ __VA_ARGS__ })

static void test_malformed(void)
{
	uint8_t deep[1 + 3 * (VICI_DEPTH_MAX + 1) + VICI_DEPTH_MAX + 1];
	size_t i, n;

	refuse("an empty packet", BYTES(), -EBADMSG, "empty packet");
	refuse("packet type 8", BYTES(8), -EBADMSG, "unknown packet type 8");
	refuse("a CMD_RESPONSE with an empty message", BYTES(1), 0, NULL);
	refuse("CMD_UNKNOWN", BYTES(2), 0, NULL);
	refuse("CMD_UNKNOWN and a byte", BYTES(2, 0), -EBADMSG,
	       "1 byte of garbage at byte 1 after CMD_UNKNOWN");
	refuse("EVENT_REGISTER and a message", BYTES(3, 1, 'x', 3, 1, 'k', 0, 0),
	       -EBADMSG, "5 bytes of garbage at byte 3 after EVENT_REGISTER 'x'");
	refuse("an EVENT without its name length", BYTES(7), -EBADMSG,
	       "truncated at byte 1: EVENT without its name length");
	refuse("an EVENT with an empty name", BYTES(7, 0), -EBADMSG,
	       "EVENT with an empty name");
	refuse("an EVENT name with a NUL", BYTES(7, 2, 'a', 0), -EBADMSG,
	       "name 'a\\x00' of the EVENT holds a NUL byte");
	refuse("element type 0", BYTES(1, 0), -EBADMSG,
	       "unknown element type 0 at byte 1");
	refuse("element type 7", BYTES(1, 7), -EBADMSG,
	       "unknown element type 7 at byte 1");
	refuse("a section end at the top", BYTES(1, 2), -EBADMSG,
	       "section end at byte 1 closes no section");
	refuse("a section end too many", BYTES(1, 1, 1, 's', 2, 2), -EBADMSG,
	       "section end at byte 5 closes no section");
	refuse("an item outside a list", BYTES(1, 5, 0, 0), -EBADMSG,
	       "list item at byte 1 outside a list");
	refuse("a list end outside a list", BYTES(1, 6), -EBADMSG,
	       "list end at byte 1 outside a list");
	refuse("a key inside a list", BYTES(1, 4, 1, 'l', 3, 1, 'k', 0, 0, 6),
	       -EBADMSG, "key at byte 4 inside list 'l'");
	refuse("a list inside a list", BYTES(1, 4, 1, 'l', 4, 1, 'm', 6, 6),
	       -EBADMSG, "list at byte 4 inside list 'l'");
	refuse("a section inside a list", BYTES(1, 4, 1, 'l', 1, 1, 's', 2, 6),
	       -EBADMSG, "section at byte 4 inside list 'l'");
	refuse("an unclosed list", BYTES(1, 4, 1, 'l', 5, 0, 1, 'i'), -EBADMSG,
	       "list 'l' opened at byte 1 not closed at the end (byte 8)");
	refuse("an empty key name", BYTES(1, 3, 0, 0, 0), -EBADMSG,
	       "key at byte 1 has an empty name");
	refuse("an empty list name", BYTES(1, 4, 0, 6), -EBADMSG,
	       "list at byte 1 has an empty name");
	refuse("an empty section name", BYTES(1, 1, 0, 2), 0, NULL);
	refuse("a NUL in a key name", BYTES(1, 3, 1, 0, 0, 0), -EBADMSG,
	       "name of the key at byte 1 holds a NUL byte");
	refuse("a value longer than the packet", BYTES(1, 3, 1, 'k', 0xff, 0xff, 'v'),
	       -EBADMSG,
	       "truncated at byte 6: the value of the key at byte 1 needs 65535 bytes, 1 left");
	refuse("a list item without its length", BYTES(1, 4, 1, 'l', 5, 0),
	       -EBADMSG,
	       "truncated at byte 5: the value length of the list item at byte 4 needs 2 bytes, 1 left");

	/* 16 nested sections are fine, 17 are not. */
	for (n = VICI_DEPTH_MAX; n <= VICI_DEPTH_MAX + 1; n++) {
		size_t o = 0;

		deep[o++] = VICI_CMD_RESPONSE;
		for (i = 0; i < n; i++) {
			deep[o++] = VICI_SECTION_START;
			deep[o++] = 1;
			deep[o++] = (uint8_t)('a' + i);
		}
		for (i = 0; i < n; i++)
			deep[o++] = VICI_SECTION_END;
		if (n == VICI_DEPTH_MAX)
			refuse("16 nested sections", deep, o, 0, NULL);
		else
			refuse("17 nested sections", deep, o, -EBADMSG,
			       "section 'q' at byte 49 nested deeper than 16");
	}

	/* 65537 elements: a list of 65535 empty items. */
	{
		size_t len = 1 + 3 + 3 * (VICI_ELEMENTS_MAX - 1) + 1, o = 0;
		uint8_t *b = malloc(len);

		b[o++] = VICI_CMD_RESPONSE;
		b[o++] = VICI_LIST_START;
		b[o++] = 1;
		b[o++] = 'l';
		for (i = 0; i < VICI_ELEMENTS_MAX - 1; i++) {
			b[o++] = VICI_LIST_ITEM;
			b[o++] = 0;
			b[o++] = 0;
		}
		b[o++] = VICI_LIST_END;
		refuse("65537 elements", b, o, -EBADMSG,
		       "more than 65536 elements at byte 196609");
		free(b);
	}

	{
		uint8_t *b = calloc(1, VICI_PACKET_MAX + 1);
		char err[VICI_ERR_LEN];
		struct vici_packet p;

		b[0] = VICI_CMD_RESPONSE;
		check(vici_decode(&p, b, VICI_PACKET_MAX + 1, err, sizeof(err)) ==
		      -EMSGSIZE && same_str(err, "packet of 524289 bytes, at most 524288"),
		      "decoder: a payload over 512 KiB -> EMSGSIZE");
		free(b);
	}
}

static void test_frame_len(void)
{
	size_t n = 0;

	check(vici_frame_len(BYTES(0, 0, 0), &n) == 0,
	      "frame: 3 bytes are not a length yet");
	check(vici_frame_len(BYTES(0, 8, 0, 0), &n) == 1 && n == VICI_PACKET_MAX,
	      "frame: 524288 is the largest length");
	check(vici_frame_len(BYTES(0, 8, 0, 1), &n) == -EMSGSIZE,
	      "frame: 524289 -> EMSGSIZE");
	check(vici_frame_len(BYTES(0xff, 0xff, 0xff, 0xff), &n) == -EMSGSIZE,
	      "frame: 4 GiB - 1 -> EMSGSIZE");
	check(vici_frame_len(BYTES(0, 0, 0, 0), &n) == -EBADMSG,
	      "frame: length 0 -> EBADMSG");
}

static void test_lookup(void)
{
	char err[VICI_ERR_LEN] = "";
	struct vici_packet p;
	struct vici_msg m;
	uint64_t v64;
	uint32_t v;
	int ret;

	vici_begin_packet(&m, VICI_CMD_RESPONSE, NULL);
	vici_kv(&m, "hex", "c1a2b3c4");
	vici_kv(&m, "hex0x", "0X00ff");
	vici_kv(&m, "dec", "4294967295");
	vici_kv(&m, "big", "4294967296");
	vici_kv(&m, "u64", "18446744073709551615");
	vici_kv(&m, "u65", "18446744073709551616");
	vici_kv(&m, "sp", " 1");
	vici_kv(&m, "neg", "-1");
	vici_kv(&m, "tail", "1x");
	vici_kv(&m, "empty", "");
	vici_kv(&m, "0x", "0x");
	vici_kv_bytes(&m, "nul", "1\0", 2);
	vici_kv(&m, "success", "no");
	vici_kv(&m, "errmsg", "unknown option 'bogus'");
	vici_section_start(&m, "a/b");
	vici_kv(&m, "k", "slash");
	vici_section_end(&m);
	vici_section_start(&m, "s");
	vici_kv(&m, "k", "first");
	vici_kv(&m, "k", "second");
	vici_list_start(&m, "l");
	vici_list_item(&m, "i");
	vici_list_end(&m);
	vici_section_end(&m);
	vici_end(&m);
	ret = round_trips(&m, &p);
	vici_msg_free(&m);
	if (!check(ret, "lookup packet decodes"))
		return;

	check(!vici_u32(p.root, "hex", 16, &v) && v == 0xc1a2b3c4 &&
	      !vici_u32(p.root, "hex0x", 16, &v) && v == 0xff &&
	      !vici_u32(p.root, "dec", 10, &v) && v == UINT32_MAX &&
	      vici_u32(p.root, "big", 10, &v) == -ERANGE &&
	      !vici_u64(p.root, "u64", 10, &v64) && v64 == UINT64_MAX &&
	      vici_u64(p.root, "u65", 10, &v64) == -ERANGE,
	      "numbers: hex as charon writes SPIs, decimal, the limits");
	check(vici_u32(p.root, "sp", 10, &v) == -EINVAL &&
	      vici_u32(p.root, "neg", 10, &v) == -EINVAL &&
	      vici_u32(p.root, "tail", 10, &v) == -EINVAL &&
	      vici_u32(p.root, "empty", 10, &v) == -EINVAL &&
	      vici_u32(p.root, "0x", 16, &v) == -EINVAL &&
	      vici_u32(p.root, "nul", 10, &v) == -EINVAL &&
	      vici_u32(p.root, "hex", 10, &v) == -EINVAL &&
	      vici_u32(p.root, "dec", 8, &v) == -EINVAL &&
	      vici_u32(p.root, "missing", 10, &v) == -ENOENT &&
	      vici_u32(p.root, "s", 10, &v) == -ENOENT,
	      "numbers: blanks, signs, junk, NUL, wrong base, absent refused");
	check(same_str(vici_str(vici_get(p.root, "a/b"), "k"), "slash") &&
	      !vici_find(p.root, "a/b/k") &&
	      same_str(vici_str(p.root, "s/k"), "first") &&
	      !vici_find(p.root, "s/") && !vici_find(p.root, "s//k") &&
	      vici_find(p.root, "") == p.root &&
	      vici_find(p.root, "s/l") && !vici_find(p.root, "s/l/i") &&
	      !vici_str(p.root, "s/l") && !vici_str(p.root, "s") &&
	      !vici_find(NULL, "s") && !vici_get(vici_find(p.root, "hex"), "x"),
	      "paths: '/' in a name by vici_get(), first key wins, no path into lists or keys");
	ret = vici_success(&p, "load-conn", err, sizeof(err));
	check(ret == -EREMOTEIO &&
	      same_str(err, "vici: load-conn failed: unknown option 'bogus'"),
	      "vici_success: success=no -> EREMOTEIO with charon's errmsg");
	vici_packet_free(&p);

	vici_begin_packet(&m, VICI_CMD_RESPONSE, NULL);
	vici_kv(&m, "success", "yes");
	vici_end(&m);
	ret = round_trips(&m, &p) && !vici_success(&p, "x", err, sizeof(err));
	check(ret, "vici_success: success=yes -> 0");
	vici_packet_free(&p);
	vici_msg_free(&m);
	vici_begin_packet(&m, VICI_CMD_RESPONSE, NULL);
	vici_end(&m);
	ret = round_trips(&m, &p) &&
	      vici_success(&p, "version", err, sizeof(err)) == -EBADMSG &&
	      same_str(err, "vici: response to 'version' has no 'success'");
	check(ret, "vici_success: no success key -> EBADMSG");
	vici_packet_free(&p);
	vici_msg_free(&m);
}

/* Three packets in a row, as a stream. */
static size_t stream3(uint8_t *buf, size_t cap)
{
	struct vici_msg m;
	size_t len = 0;

	build_full(&m);
	memcpy(buf, m.buf, m.len);
	len += m.len;
	vici_msg_free(&m);
	vici_begin_packet(&m, VICI_EVENT_CONFIRM, NULL);
	vici_end(&m);
	memcpy(buf + len, m.buf, m.len);
	len += m.len;
	vici_msg_free(&m);
	build_readme(&m, VICI_CMD_RESPONSE);
	memcpy(buf + len, m.buf, m.len);
	len += m.len;
	vici_msg_free(&m);
	if (len > cap)
		abort();
	return len;
}

static void test_rx(void)
{
	static const uint8_t want[] = { VICI_EVENT, VICI_EVENT_CONFIRM,
					VICI_CMD_RESPONSE };
	char err[VICI_ERR_LEN] = "";
	struct vici_rx rx = { 0 };
	struct vici_packet p;
	uint8_t buf[1024];
	size_t len, i, got = 0, zeros = 0, chunk;
	bool ok = true;
	int ret;

	len = stream3(buf, sizeof(buf));
	/* One byte at a time: nothing until a packet's last byte. */
	for (i = 0; i < len; i++) {
		ok = ok && !vici_rx_feed(&rx, buf + i, 1, err, sizeof(err));
		ret = vici_rx_next(&rx, &p, err, sizeof(err));
		if (ret == 1) {
			ok = ok && got < 3 && p.type == want[got] &&
			     vici_rx_pending(&rx) == 0;
			got++;
			vici_packet_free(&p);
			ret = vici_rx_next(&rx, &p, err, sizeof(err));
		}
		ok = ok && ret == 0;
		zeros++;
	}
	check(ok && got == 3 && !vici_rx_pending(&rx),
	      "rx: three packets fed a byte at a time come out whole, in order");

	/* Every chunk size: the same packets. */
	for (chunk = 2; chunk <= len; chunk++) {
		got = 0;
		for (i = 0; i < len; i += chunk) {
			size_t n = len - i < chunk ? len - i : chunk;

			ok = ok && !vici_rx_feed(&rx, buf + i, n, err, sizeof(err));
			while ((ret = vici_rx_next(&rx, &p, err, sizeof(err))) == 1) {
				ok = ok && got < 3 && p.type == want[got];
				got++;
				vici_packet_free(&p);
			}
			ok = ok && ret == 0;
		}
		ok = ok && got == 3 && !vici_rx_pending(&rx);
	}
	check(ok, "rx: every chunk size from 2 to %zu bytes gives the same packets",
	      len);

	/* A bad packet between two good ones is dropped, the next one read. */
	{
		uint8_t s[] = { 0, 0, 0, 2, VICI_CMD_RESPONSE, 2,
				0, 0, 0, 1, VICI_EVENT_CONFIRM };

		ok = !vici_rx_feed(&rx, s, sizeof(s), err, sizeof(err)) &&
		     vici_rx_next(&rx, &p, err, sizeof(err)) == -EBADMSG &&
		     same_str(err, "section end at byte 1 closes no section") &&
		     vici_rx_next(&rx, &p, err, sizeof(err)) == 1 &&
		     p.type == VICI_EVENT_CONFIRM;
		vici_packet_free(&p);
		check(ok, "rx: a packet that does not decode is dropped, the next is read");
	}
	/* A length over the limit fails at once, not after 512 KiB. */
	ok = !vici_rx_feed(&rx, BYTES(0, 8, 0, 1), err, sizeof(err)) &&
	     vici_rx_next(&rx, &p, err, sizeof(err)) == -EMSGSIZE &&
	     same_str(err, "packet length 524289 exceeds 524288 bytes");
	check(ok, "rx: an announced length of 524289 -> EMSGSIZE at its 4th byte");
	vici_rx_free(&rx);
	ok = !vici_rx_feed(&rx, BYTES(0, 0, 0, 0), err, sizeof(err)) &&
	     vici_rx_next(&rx, &p, err, sizeof(err)) == -EBADMSG;
	check(ok, "rx: an announced length of 0 -> EBADMSG");
	vici_rx_free(&rx);

	{
		uint8_t *big = calloc(1, VICI_RX_MAX + 1);

		ok = vici_rx_feed(&rx, big, VICI_RX_MAX + 1, err, sizeof(err)) ==
		     -ENOBUFS && !vici_rx_pending(&rx) &&
		     !vici_rx_feed(&rx, big, VICI_RX_MAX, err, sizeof(err)) &&
		     vici_rx_feed(&rx, big, 1, err, sizeof(err)) == -ENOBUFS;
		check(ok, "rx: more than VICI_RX_MAX bytes held -> ENOBUFS");
		vici_rx_free(&rx);
		free(big);
	}
}

/* ---- a scripted charon on the other end of a socketpair ------------- */

/* The fake charon's side. It exits 1 on a surprise: the parent checks. */
static int srv_fd;

static void srv_die(const char *what)
{
	fprintf(stderr, "  fake charon: %s\n", what);
	_exit(1);
}

static void srv_read(uint8_t *buf, size_t n)
{
	size_t off = 0;
	ssize_t r;

	while (off < n) {
		r = read(srv_fd, buf + off, n - off);
		if (r <= 0)
			srv_die("read");
		off += (size_t)r;
	}
}

/* Read one packet; it must be @type named @name. */
static void srv_expect(enum vici_type type, const char *name,
		       struct vici_packet *out)
{
	char err[VICI_ERR_LEN];
	struct vici_packet p;
	uint8_t hdr[4], *b;
	size_t n;

	srv_read(hdr, 4);
	if (vici_frame_len(hdr, 4, &n) != 1)
		srv_die("bad length");
	b = malloc(n);
	srv_read(b, n);
	if (vici_decode(&p, b, n, err, sizeof(err)))
		srv_die(err);
	free(b);
	if (p.type != type || strcmp(p.name, name)) {
		fprintf(stderr, "  fake charon: got %s '%s'\n",
			vici_type_str(p.type), p.name);
		srv_die("unexpected packet");
	}
	if (out)
		*out = p;
	else
		vici_packet_free(&p);
}

/* Write @len bytes in pieces of @chunk, pausing so that reads see pieces. */
static void srv_write(const void *buf, size_t len, size_t chunk)
{
	const uint8_t *b = buf;
	size_t off = 0, n;

	while (off < len) {
		n = len - off < chunk ? len - off : chunk;
		if (write(srv_fd, b + off, n) != (ssize_t)n)
			srv_die("write");
		off += n;
		if (chunk < len)
			usleep(200);
	}
}

static void srv_send(struct vici_msg *m, size_t chunk)
{
	if (vici_end(m))
		srv_die(m->errmsg);
	srv_write(m->buf, m->len, chunk);
	vici_msg_free(m);
}

static void srv_simple(enum vici_type type)
{
	struct vici_msg m;

	vici_begin_packet(&m, type, NULL);
	srv_send(&m, 64);
}

static void srv_event(const char *name, const char *ike, unsigned int id,
		      size_t chunk)
{
	struct vici_msg m;

	vici_begin_packet(&m, VICI_EVENT, name);
	vici_section_start(&m, ike);
	vici_kvf(&m, "uniqueid", "%u", id);
	vici_section_start(&m, "child-sas");
	vici_section_start(&m, "l2tp_spd_entry-1");
	vici_kvf(&m, "spi-in", "%08x", 0xc0000000u + id);
	vici_section_end(&m);
	vici_section_end(&m);
	vici_section_end(&m);
	srv_send(&m, chunk);
}

static void srv_ok(size_t chunk)
{
	struct vici_msg m;

	vici_begin_packet(&m, VICI_CMD_RESPONSE, NULL);
	vici_kv(&m, "success", "yes");
	srv_send(&m, chunk);
}

/* Run @script as charon on one end of a socketpair; the client gets the other. */
static pid_t fake_charon(void (*script)(void), struct vici_conn *c,
			 int timeout_ms)
{
	int sv[2];
	pid_t pid;

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv))
		abort();
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		abort();
	if (!pid) {
		close(sv[0]);
		srv_fd = sv[1];
		script();
		_exit(0);
	}
	close(sv[1]);
	if (vici_conn_fd(c, sv[0], timeout_ms))
		abort();
	return pid;
}

/* The fake charon followed its script to the end. */
static bool charon_done(pid_t pid)
{
	int st;

	if (waitpid(pid, &st, 0) != pid)
		return false;
	if (!WIFEXITED(st) || WEXITSTATUS(st))
		fprintf(stderr, "  fake charon exit status %d\n", st);
	return WIFEXITED(st) && !WEXITSTATUS(st);
}

struct seen {
	int n;
	char names[8][64];
	uint32_t ids[8];
	int fail_at;	/* return -EINTR for this event (1-based), 0: never */
};

static int on_event(void *arg, const struct vici_packet *ev)
{
	struct seen *s = arg;
	const struct vici_node *ike = ev->root->child;
	uint32_t id = 0;

	if (s->n < 8) {
		snprintf(s->names[s->n], sizeof(s->names[0]), "%.30s/%.30s", ev->name,
			 ike ? ike->name : "-");
		vici_u32(ike, "uniqueid", 10, &id);
		s->ids[s->n] = id;
	}
	s->n++;
	return s->n == s->fail_at ? -EINTR : 0;
}

static void script_version(void)
{
	struct vici_msg m;

	srv_expect(VICI_CMD_REQUEST, "version", NULL);
	vici_begin_packet(&m, VICI_CMD_RESPONSE, NULL);
	vici_kv(&m, "daemon", "charon");
	vici_kv(&m, "version", "5.9.8");
	srv_send(&m, 3);
}

static void test_call_version(void)
{
	struct vici_packet resp;
	struct vici_conn c;
	struct vici_msg req;
	pid_t pid;
	int ret;

	pid = fake_charon(script_version, &c, 2000);
	vici_begin(&req, "version");
	ret = vici_call(&c, &req, &resp);
	vici_msg_free(&req);
	check(!ret && same_str(vici_str(resp.root, "version"), "5.9.8") &&
	      charon_done(pid),
	      "client: version answered in 3-byte pieces");
	if (!ret)
		vici_packet_free(&resp);
	vici_close(&c);
}

/*
 * list-sas as charon streams it: register, the request, list-sa events
 * with an ike-updown among them, the response, unregister.
 */
static void script_list_sas(void)
{
	struct vici_packet req;

	srv_expect(VICI_EVENT_REGISTER, "list-sa", NULL);
	srv_simple(VICI_EVENT_CONFIRM);
	srv_expect(VICI_CMD_REQUEST, "list-sas", &req);
	if (!vici_yes(req.root, "noblock"))
		srv_die("list-sas without noblock=yes");
	vici_packet_free(&req);
	srv_event("list-sa", "peer-a", 1, 5);
	srv_event("ike-updown", "peer-x", 9, 1000);
	srv_event("list-sa", "peer-b", 2, 1);
	srv_event("list-sa", "peer-c", 3, 1000);
	srv_ok(2);
	srv_expect(VICI_EVENT_UNREGISTER, "list-sa", NULL);
	srv_simple(VICI_EVENT_CONFIRM);
	/* The same again: the connection is still in step. */
	srv_expect(VICI_EVENT_REGISTER, "list-sa", NULL);
	srv_simple(VICI_EVENT_CONFIRM);
	srv_expect(VICI_CMD_REQUEST, "list-sas", NULL);
	srv_event("list-sa", "peer-a", 1, 1000);
	srv_event("list-sa", "peer-b", 2, 1000);
	srv_event("list-sa", "peer-c", 3, 1000);
	srv_ok(1000);
	srv_expect(VICI_EVENT_UNREGISTER, "list-sa", NULL);
	srv_simple(VICI_EVENT_CONFIRM);
}

static void test_call_stream(void)
{
	struct seen sas = { 0 }, other = { 0 };
	struct vici_packet resp;
	struct vici_conn c;
	struct vici_msg req;
	pid_t pid;
	int ret;

	pid = fake_charon(script_list_sas, &c, 2000);
	c.on_event = on_event;
	c.arg = &other;
	vici_begin(&req, "list-sas");
	vici_kv(&req, "noblock", "yes");
	ret = vici_call_stream(&c, &req, "list-sa", on_event, &sas, &resp);
	if (ret)
		fprintf(stderr, "  %s\n", c.err);
	check(!ret && vici_yes(resp.root, "success") && sas.n == 3 &&
	      same_str(sas.names[0], "list-sa/peer-a") &&
	      same_str(sas.names[1], "list-sa/peer-b") &&
	      same_str(sas.names[2], "list-sa/peer-c") &&
	      sas.ids[2] == 3 && other.n == 1 &&
	      same_str(other.names[0], "ike-updown/peer-x"),
	      "client: list-sas streams 3 list-sa events in pieces, an ike-updown among them goes to on_event");
	if (!ret)
		vici_packet_free(&resp);
	vici_msg_free(&req);

	/* A handler that fails: the call reads on to the response. */
	sas = (struct seen){ .fail_at = 2 };
	vici_begin(&req, "list-sas");
	ret = vici_call_stream(&c, &req, "list-sa", on_event, &sas, &resp);
	vici_msg_free(&req);
	check(ret == -EINTR && sas.n == 2 && vici_connected(&c) &&
	      same_str(c.err, "vici: an event handler failed during 'list-sas'") &&
	      charon_done(pid),
	      "client: a handler's error stops the handler, the call reads on to the response and unregisters");
	vici_close(&c);
}

static void script_unknown(void)
{
	srv_expect(VICI_CMD_REQUEST, "no-such-cmd", NULL);
	srv_simple(VICI_CMD_UNKNOWN);
	srv_expect(VICI_EVENT_REGISTER, "no-such-event", NULL);
	srv_simple(VICI_EVENT_UNKNOWN);
	srv_expect(VICI_EVENT_UNREGISTER, "ike-updown", NULL);
	srv_simple(VICI_EVENT_UNKNOWN);
	script_version();
}

static void test_unknown(void)
{
	struct vici_packet resp;
	struct vici_conn c;
	struct vici_msg req;
	pid_t pid;
	int ret;

	pid = fake_charon(script_unknown, &c, 2000);
	vici_begin(&req, "no-such-cmd");
	ret = vici_call(&c, &req, &resp);
	vici_msg_free(&req);
	check(ret == -ENOENT && vici_connected(&c) &&
	      same_str(c.err, "vici: charon knows no command 'no-such-cmd'"),
	      "client: CMD_UNKNOWN -> ENOENT, the connection stays");
	ret = vici_register(&c, "no-such-event");
	check(ret == -ENOENT && same_str(c.err, "vici: charon knows no event 'no-such-event'"),
	      "client: EVENT_UNKNOWN to a registration -> ENOENT");
	ret = vici_unregister(&c, "ike-updown");
	check(ret == -ENOENT &&
	      same_str(c.err, "vici: charon has no registration for event 'ike-updown'"),
	      "client: EVENT_UNKNOWN to an unregistration -> ENOENT");
	vici_begin(&req, "version");
	ret = vici_call(&c, &req, &resp);
	vici_msg_free(&req);
	check(!ret && charon_done(pid), "client: a command after them works");
	if (!ret)
		vici_packet_free(&resp);
	vici_close(&c);
}

static void script_close_mid(void)
{
	struct vici_msg m;

	srv_expect(VICI_CMD_REQUEST, "load-conn", NULL);
	vici_begin_packet(&m, VICI_CMD_RESPONSE, NULL);
	vici_kv(&m, "success", "yes");
	vici_end(&m);
	srv_write(m.buf, 7, 7);	/* and go away */
	vici_msg_free(&m);
}

static void script_close(void)
{
	srv_expect(VICI_CMD_REQUEST, "load-conn", NULL);
}

static void script_nothing(void)
{
}

static void test_closed(void)
{
	struct vici_packet resp;
	struct vici_conn c;
	struct vici_msg req;
	pid_t pid;
	int ret;

	pid = fake_charon(script_close_mid, &c, 2000);
	vici_begin(&req, "load-conn");
	ret = vici_call(&c, &req, &resp);
	check(ret == -EPIPE && !vici_connected(&c) && charon_done(pid) &&
	      strstr(c.err, "vici: charon closed the connection (fd ") &&
	      strstr(c.err, ") 7 bytes into a packet, while awaiting the response to 'load-conn'"),
	      "client: charon gone in the middle of a response -> EPIPE: \"%s\"",
	      c.err);
	ret = vici_call(&c, &req, &resp);
	check(ret == -ENOTCONN && strstr(c.err, "vici: not connected, for request 'load-conn' (closed after: vici: charon closed"),
	      "client: a call on the closed connection -> ENOTCONN, saying why");
	vici_close(&c);

	pid = fake_charon(script_close, &c, 2000);
	ret = vici_call(&c, &req, &resp);
	check(ret == -EPIPE && charon_done(pid) &&
	      strstr(c.err, ") while awaiting the response to 'load-conn'"),
	      "client: charon gone before the response -> EPIPE: \"%s\"", c.err);
	vici_close(&c);

	pid = fake_charon(script_nothing, &c, 2000);
	charon_done(pid);
	ret = vici_call(&c, &req, &resp);
	check(ret == -EPIPE && strstr(c.err, ") before taking request 'load-conn'"),
	      "client: charon gone before the request -> EPIPE, no SIGPIPE: \"%s\"",
	      c.err);
	vici_close(&c);
	vici_msg_free(&req);
}

static void script_silent(void)
{
	srv_expect(VICI_CMD_REQUEST, "list-sas", NULL);
	srv_event("list-sa", "peer-a", 1, 1000);
	usleep(500 * 1000);
}

static void test_timeout(void)
{
	struct seen sas = { 0 };
	struct vici_packet resp;
	struct vici_conn c;
	struct vici_msg req;
	pid_t pid;
	int ret;

	pid = fake_charon(script_silent, &c, 100);
	vici_begin(&req, "list-sas");
	c.on_event = on_event;
	c.arg = &sas;
	ret = vici_call(&c, &req, &resp);
	vici_msg_free(&req);
	check(ret == -ETIMEDOUT && sas.n == 1 && !vici_connected(&c) &&
	      same_str(c.err, "vici: no response to 'list-sas' from charon within 100 ms"),
	      "client: a silent charon -> ETIMEDOUT, the connection closed");
	charon_done(pid);
	vici_close(&c);
}

static void script_garbage(void)
{
	/* A response whose errmsg claims 40 bytes where 3 are. */
	static const uint8_t bad[] = { 0, 0, 0, 33, VICI_CMD_RESPONSE,
		3, 7, 's', 'u', 'c', 'c', 'e', 's', 's', 0, 2, 'n', 'o',
		3, 6, 'e', 'r', 'r', 'm', 's', 'g', 0, 40, 'b', 'a', 'd',
		3, 1, 'x', 0, 1, 'y' };

	srv_expect(VICI_CMD_REQUEST, "load-conn", NULL);
	srv_write(bad, sizeof(bad), 1000);
}

static void script_confirm(void)
{
	srv_expect(VICI_CMD_REQUEST, "load-conn", NULL);
	srv_simple(VICI_EVENT_CONFIRM);
}

static void test_garbage(void)
{
	struct vici_packet resp;
	struct vici_conn c;
	struct vici_msg req;
	pid_t pid;
	int ret;

	pid = fake_charon(script_garbage, &c, 2000);
	vici_begin(&req, "load-conn");
	ret = vici_call(&c, &req, &resp);
	check(ret == -EBADMSG && charon_done(pid) && !vici_connected(&c) &&
	      same_str(c.err, "vici: response to 'load-conn': truncated at byte 24: the value of the key at byte 14 needs 40 bytes, 9 left"),
	      "client: a truncated response names the command and the byte");
	vici_close(&c);

	pid = fake_charon(script_confirm, &c, 2000);
	ret = vici_call(&c, &req, &resp);
	check(ret == -EPROTO && charon_done(pid) &&
	      same_str(c.err, "vici: EVENT_CONFIRM instead of the response to 'load-conn'"),
	      "client: an EVENT_CONFIRM for a command -> EPROTO");
	vici_close(&c);

	vici_msg_free(&req);
	vici_begin(&req, "load-conn");
	vici_section_start(&req, "x");
	pid = fake_charon(script_nothing, &c, 2000);
	ret = vici_call(&c, &req, &resp);
	check(ret == -EINVAL && vici_connected(&c) &&
	      same_str(c.err, "vici: request 'load-conn': packet 'load-conn' ends with 1 section open"),
	      "client: an unfinished request is not sent");
	vici_close(&c);
	charon_done(pid);
	vici_msg_free(&req);
}

/*
 * The event connection: registered once, then read without blocking as an
 * epoll loop would, a packet split over several reads.
 */
static int pipe_to_child[2];

static void srv_wait_parent(void)
{
	char go;

	if (read(pipe_to_child[0], &go, 1) != 1)
		srv_die("pipe");
}

static void script_events(void)
{
	uint8_t both[512];
	struct vici_msg m, ev;

	srv_expect(VICI_EVENT_REGISTER, "ike-updown", NULL);
	srv_simple(VICI_EVENT_CONFIRM);
	srv_expect(VICI_EVENT_REGISTER, "child-updown", NULL);
	/* An event already flowing before the confirmation... */
	srv_event("ike-updown", "peer-early", 4, 1000);
	/* ...and one in the same write as the confirmation. */
	vici_begin_packet(&m, VICI_EVENT_CONFIRM, NULL);
	vici_end(&m);
	vici_begin_packet(&ev, VICI_EVENT, "ike-updown");
	vici_section_start(&ev, "peer-along");
	vici_section_end(&ev);
	vici_end(&ev);
	memcpy(both, m.buf, m.len);
	memcpy(both + m.len, ev.buf, ev.len);
	srv_write(both, m.len + ev.len, m.len + ev.len);
	vici_msg_free(&m);
	vici_msg_free(&ev);

	vici_begin_packet(&m, VICI_EVENT, "child-updown");
	vici_kv(&m, "up", "yes");
	vici_section_start(&m, "peer-a");
	vici_kv(&m, "uniqueid", "5");
	vici_section_end(&m);
	vici_end(&m);
	/* Half of it, then the rest once the parent has read that half. */
	srv_wait_parent();
	srv_write(m.buf, m.len / 2, 1000);
	srv_wait_parent();
	srv_write(m.buf + m.len / 2, m.len - m.len / 2, 1000);
	vici_msg_free(&m);
	srv_event("ike-updown", "peer-b", 6, 1000);
	/* And charon stops. */
}

static void test_events(void)
{
	struct seen early = { 0 };
	struct vici_packet p;
	struct vici_conn c;
	struct pollfd pfd;
	int ret, n, got = 0;
	bool ok;

	if (pipe(pipe_to_child))
		abort();
	pid_t pid = fake_charon(script_events, &c, 2000);

	c.on_event = on_event;
	c.arg = &early;
	ok = !vici_register(&c, "ike-updown") && !vici_register(&c, "child-updown");
	check(ok && early.n == 1 && same_str(early.names[0], "ike-updown/peer-early"),
	      "events: an event before the second confirmation goes to on_event");
	/* Read with the confirmation: in the buffer, before any EPOLLIN. */
	ok = vici_next(&c, &p) == 1 && p.root->child &&
	     same_str(p.root->child->name, "peer-along") &&
	     !vici_rx_pending(&c.rx);
	check(ok, "events: one that came in the confirmation's read waits in the buffer for vici_next()");
	if (ok)
		vici_packet_free(&p);

	if (write(pipe_to_child[1], "g", 1) != 1)
		abort();
	pfd = (struct pollfd){ .fd = c.fd, .events = POLLIN };
	ok = poll(&pfd, 1, 2000) == 1 && vici_read(&c) > 0 &&
	     vici_next(&c, &p) == 0 && vici_rx_pending(&c.rx) > 0 &&
	     vici_read(&c) == 0;
	check(ok, "events: half a packet read: no packet yet, kept; a read with nothing waiting -> 0");
	if (write(pipe_to_child[1], "h", 1) != 1)
		abort();

	for (n = 0; n < 50 && got < 2; n++) {
		if (poll(&pfd, 1, 2000) != 1)
			break;
		ret = vici_read(&c);
		if (ret < 0)
			break;
		while (vici_next(&c, &p) == 1) {
			if (got == 0)
				ok = ok && p.type == VICI_EVENT &&
				     same_str(p.name, "child-updown") &&
				     vici_yes(p.root, "up") &&
				     same_str(vici_str(p.root, "peer-a/uniqueid"), "5");
			else
				ok = ok && same_str(p.name, "ike-updown");
			got++;
			vici_packet_free(&p);
		}
	}
	check(ok && got == 2, "events: the rest of the packet completes it; the next follows");
	/* charon went away: reads say so, distinctly. */
	do {
		ret = poll(&pfd, 1, 2000);
		ret = ret == 1 ? vici_read(&c) : -ETIMEDOUT;
	} while (ret > 0);
	check(ret == -EPIPE && !vici_connected(&c) && charon_done(pid) &&
	      strstr(c.err, ") while awaiting events"),
	      "events: charon closing -> EPIPE: \"%s\"", c.err);
	vici_close(&c);
	close(pipe_to_child[0]);
	close(pipe_to_child[1]);
}

/* vici_connect() on a real path: a listener, one version call. */
static void test_connect(void)
{
	char dir[] = "/tmp/test-vici-XXXXXX", path[128];
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	struct vici_packet resp;
	struct vici_conn c;
	struct vici_msg req;
	int lfd, ret;
	pid_t pid;

	char longpath[200];

	memset(longpath, 'p', sizeof(longpath) - 1);
	longpath[sizeof(longpath) - 1] = '\0';
	ret = vici_connect(&c, longpath, 0);
	check(ret == -ENAMETOOLONG && c.timeout_ms == VICI_TIMEOUT_DEFAULT,
	      "connect: a path too long for sun_path -> ENAMETOOLONG");
	vici_close(&c);

	if (!mkdtemp(dir))
		abort();
	snprintf(path, sizeof(path), "%s/charon.vici", dir);
	ret = vici_connect(&c, path, 0);
	check(ret == -ENOENT && strstr(c.err, "No such file or directory (is charon running"),
	      "connect: no socket -> ENOENT: \"%s\"", c.err);
	vici_close(&c);

	strcpy(sun.sun_path, path);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	if (lfd < 0 || bind(lfd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    listen(lfd, 4))
		abort();
	fflush(NULL);
	pid = fork();
	if (!pid) {
		srv_fd = accept(lfd, NULL, NULL);
		if (srv_fd < 0)
			srv_die("accept");
		script_version();
		_exit(0);
	}
	close(lfd);
	ret = vici_connect(&c, path, 1000);
	vici_begin(&req, "version");
	if (!ret)
		ret = vici_call(&c, &req, &resp);
	vici_msg_free(&req);
	check(!ret && same_str(vici_str(resp.root, "daemon"), "charon") &&
	      charon_done(pid), "connect: a unix socket path, a version call");
	if (!ret)
		vici_packet_free(&resp);
	vici_close(&c);

	/* The listener is gone: the stale socket file refuses. */
	ret = vici_connect(&c, path, 0);
	check(ret == -ECONNREFUSED && strstr(c.err, "(is charon running"),
	      "connect: a stale socket file -> ECONNREFUSED");
	vici_close(&c);
	unlink(path);
	rmdir(dir);
}

/* ---- fuzz seeds --------------------------------------------------------- */

/*
 * fuzz_vici's input: byte 0 chooses the mode (bit 0: 0 = one payload, 1 = a
 * stream of framed packets) and, for a stream, the read size (byte 0 >> 1,
 * plus 1); the rest is the payload or the stream.
 */
static void seed(const char *dir, const char *name, uint8_t mode,
		 const void *b, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/gen-%s", dir, name);
	f = fopen(path, "w");
	if (!f || fputc(mode, f) == EOF || fwrite(b, 1, len, f) != len ||
	    fclose(f)) {
		perror(path);
		exit(1);
	}
}

static void seed_msg(const char *dir, const char *name, struct vici_msg *m)
{
	vici_end(m);
	if (m->err) {
		fprintf(stderr, "%s: %s\n", name, m->errmsg);
		exit(1);
	}
	seed(dir, name, 0, m->buf + VICI_HDR_LEN, m->len - VICI_HDR_LEN);
	vici_msg_free(m);
}

static int write_seeds(const char *dir)
{
	uint8_t buf[1024];
	struct vici_msg m;
	size_t len;

	build_full(&m);
	seed_msg(dir, "list-sa", &m);
	build_readme(&m, VICI_CMD_RESPONSE);
	seed_msg(dir, "readme", &m);

	vici_begin(&m, "load-conn");
	vici_section_start(&m, "l2tp-peer");
	vici_kv(&m, "version", "2");
	vici_list_start(&m, "local_addrs");
	vici_list_item(&m, "192.0.2.1");
	vici_list_end(&m);
	vici_section_start(&m, "local");
	vici_kv(&m, "auth", "psk");
	vici_section_end(&m);
	vici_section_start(&m, "children");
	vici_section_start(&m, "l2tp_spd_entry");
	vici_kv(&m, "mode", "transport");
	vici_list_start(&m, "local_ts");
	vici_list_item(&m, "dynamic[udp/1701]");
	vici_list_end(&m);
	vici_section_end(&m);
	vici_section_end(&m);
	vici_section_end(&m);
	seed_msg(dir, "load-conn", &m);

	vici_begin_packet(&m, VICI_CMD_RESPONSE, NULL);
	vici_section_start(&m, "counters");
	vici_section_start(&m, "");
	vici_kv(&m, "ike-rekey-init", "0");
	vici_section_end(&m);
	vici_section_end(&m);
	seed_msg(dir, "get-counters-empty-name", &m);

	vici_begin_packet(&m, VICI_EVENT_UNKNOWN, NULL);
	seed_msg(dir, "event-unknown", &m);

	/* A stream of three packets, read 7 bytes at a time. */
	len = stream3(buf, sizeof(buf));
	seed(dir, "stream-3", 6 << 1 | 1, buf, len);
	/* Its first 100 bytes: a packet cut short. */
	seed(dir, "stream-cut", 0 << 1 | 1, buf, 100);
	return 0;
}

/* ---- the CHILD_SA cache over a scripted charon ----------------------- */

/* One IKE_SA of @remote_id with one installed CHILD_SA, as list-sa. */
static void srv_list_sa(const char *conn, unsigned int ike_id, const char *remote_id,
			unsigned int reqid, uint32_t spi_in, uint32_t spi_out)
{
	struct vici_msg m;

	vici_begin_packet(&m, VICI_EVENT, "list-sa");
	vici_section_start(&m, conn);
	vici_kvf(&m, "uniqueid", "%u", ike_id);
	vici_kv(&m, "remote-id", remote_id);
	vici_section_start(&m, "child-sas");
	vici_section_start(&m, "l2tp_spd_entry-1");
	vici_kvf(&m, "uniqueid", "%u", ike_id * 10);
	vici_kvf(&m, "reqid", "%u", reqid);
	vici_kv(&m, "state", "INSTALLED");
	vici_kvf(&m, "spi-in", "%08x", spi_in);
	vici_kvf(&m, "spi-out", "%08x", spi_out);
	vici_section_end(&m);
	vici_section_end(&m);
	vici_section_end(&m);
	srv_send(&m, 1000);
}

static void srv_list_sas_begin(void)
{
	srv_expect(VICI_EVENT_REGISTER, "list-sa", NULL);
	srv_simple(VICI_EVENT_CONFIRM);
	srv_expect(VICI_CMD_REQUEST, "list-sas", NULL);
}

static void srv_list_sas_end(void)
{
	srv_ok(1000);
	srv_expect(VICI_EVENT_UNREGISTER, "list-sa", NULL);
	srv_simple(VICI_EVENT_CONFIRM);
}

/*
 * Three list-sas, then "version": a list-sas the cache should not have
 * made arrives where the script wants another packet, and it fails.
 */
static void script_cache(void)
{
	/* a: reqid 1; b and c, two identities: reqid 2; d twice: reqid 3. */
	srv_list_sas_begin();
	srv_list_sa("l2tp-ipsec-a", 1, "a.example", 1, 0xc0000001, 0xd0000001);
	srv_list_sa("l2tp-ipsec-b", 2, "b.example", 2, 0xc0000002, 0xd0000002);
	srv_list_sa("l2tp-ipsec-c", 3, "c.example", 2, 0xc0000003, 0xd0000003);
	srv_list_sa("l2tp-ipsec-d", 4, "d.example", 3, 0xc0000004, 0xd0000004);
	srv_list_sa("l2tp-ipsec-d", 5, "d.example", 3, 0xc0000005, 0xd0000005);
	srv_list_sas_end();
	/* A second later, for an SPI not listed: e came up since. */
	srv_list_sas_begin();
	srv_list_sa("l2tp-ipsec-a", 1, "a.example", 1, 0xc0000001, 0xd0000001);
	srv_list_sa("l2tp-ipsec-e", 6, "e.example", 4, 0xc0000006, 0xd0000006);
	srv_list_sas_end();
	/* After an IKE event: a rekeyed, with a new SPI. */
	srv_list_sas_begin();
	srv_list_sa("l2tp-ipsec-a", 1, "a.example", 1, 0xc0000011, 0xd0000011);
	srv_list_sas_end();
	script_version();
}

/* A lookup by SPI (@reqid 0) or reqid on @c at @now: its identity. */
static const char *lookup(struct ike_sas_cache *c, struct vici_conn *conn,
			  uint64_t now, uint32_t reqid, uint32_t spi)
{
	const char *id = "unset";
	int ret;

	ret = reqid ? ike_sas_cache_reqid(c, conn, now, reqid, &id) :
		      ike_sas_cache_spi(c, conn, now, spi, &id);
	if (ret) {
		fprintf(stderr, "  %s\n", conn->err);
		return "error";
	}
	return id ? id : "(none)";
}

static void test_sas_cache(void)
{
	struct ike_sas_cache cache;
	struct vici_packet resp;
	char buf[IKE_ID_LEN];
	const char *tunnel, *sa;
	struct vici_conn c;
	struct vici_msg req;
	uint64_t t = 5000;
	pid_t pid;
	int ret;

	ike_sas_cache_init(&cache);
	memset(&c, 0, sizeof(c));
	c.fd = -1;
	check(same_str(lookup(&cache, &c, t, 0, 0xc0000001), "(none)") &&
	      same_str(lookup(&cache, &c, t, 1, 0), "(none)") && cache.stale,
	      "sas cache: no charon: no identity, nothing asked");

	pid = fake_charon(script_cache, &c, 2000);
	check(same_str(lookup(&cache, &c, t, 0, 0xc0000001), "a.example") && !cache.stale &&
	      cache.sas.n == 5,
	      "sas cache: a known inbound SPI names its peer (one list-sas)");
	check(same_str(lookup(&cache, &c, t, 0, 0xd0000001), "(none)") &&
	      same_str(lookup(&cache, &c, t + 999, 0, 0x12345678), "(none)"),
	      "sas cache: an outbound SPI or an unknown one names nobody, and a list under a second old is not asked again");
	check(same_str(lookup(&cache, &c, t, 1, 0), "a.example") &&
	      same_str(lookup(&cache, &c, t, 3, 0), "d.example") &&
	      lookup(&cache, &c, t, 2, 0) == ike_identity_ambiguous,
	      "sas cache: by reqid; two CHILD_SAs of one identity name it, of two identities: ambiguous");
	ret = ike_sas_cache_identities(&cache, &c, t, 2, 0xc0000001, 0xc0000001, &tunnel, &sa, buf);
	check(!ret && tunnel == ike_identity_ambiguous && same_str(sa, "a.example"),
	      "sas cache: a violation's identities: the reqid's first (ambiguous here), the packet's SPI's");
	ret = ike_sas_cache_identities(&cache, &c, t, 0, 0xc0000004, 0, &tunnel, &sa, buf);
	check(!ret && tunnel == buf && same_str(tunnel, "d.example") && !sa,
	      "sas cache: a binding pinned by SPI alone, a cleartext packet: that SPI's identity and none");

	check(same_str(lookup(&cache, &c, t + 1000, 0, 0xc0000006), "e.example") &&
	      cache.sas.n == 2 && cache.listed_ms == t + 1000,
	      "sas cache: a miss on a list a second old lists again (a CHILD_SA ahead of its event)");
	t += 1000;
	ike_sas_cache_stale(&cache);
	check(same_str(lookup(&cache, &c, t, 0, 0xc0000001), "(none)") &&
	      same_str(lookup(&cache, &c, t, 0, 0xc0000011), "a.example") &&
	      same_str(lookup(&cache, &c, t, 1, 0), "a.example"),
	      "sas cache: refreshed after an event marked it stale: the old SPI names nobody, the new one its peer");

	vici_begin(&req, "version");
	ret = vici_call(&c, &req, &resp);
	vici_msg_free(&req);
	if (!ret)
		vici_packet_free(&resp);
	check(!ret && charon_done(pid), "sas cache: three list-sas in all, none more");
	vici_close(&c);
	ike_sas_cache_free(&cache);
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "--seeds"))
		return write_seeds(argv[2]);
	/* SIGPIPE stays fatal: the client must never raise it. */

	test_readme();
	test_round_trips();
	test_builder_errors();
	test_truncation();
	test_malformed();
	test_frame_len();
	test_lookup();
	test_rx();
	test_call_version();
	test_call_stream();
	test_unknown();
	test_closed();
	test_timeout();
	test_garbage();
	test_events();
	test_connect();
	test_sas_cache();
	return harness_exit();
}
