// SPDX-License-Identifier: GPL-2.0
/*
 * fuzz_vici: the VICI decoder (agent/ike/vici.c) and the reassembly of a
 * stream into packets (agent/ike/vici_client.c), on what charon could
 * send. Byte 0 of the input chooses: bit 0 clear, the rest is one payload
 * for vici_decode(); bit 0 set, the rest is a stream of framed packets,
 * fed to a vici_rx (byte 0 >> 1) + 1 bytes at a time.
 *
 * Checked: a decoded tree keeps the limits (depth, element count), links
 * parents and children consistently, terminates every name and value, and
 * encodes back with the builder to exactly the input (the decoder accepts
 * nothing the builder cannot write); a refusal leaves a message and
 * nothing to free; vici_rx gives the same packets, the same errors and
 * the same leftover bytes as decoding the frames one by one, whatever the
 * read size.
 *
 * Seeds: gen-* from "tests/host/test-vici --seeds DIR"; charon-* are
 * packets charon 5.9.8 sent to tests/host/vici-charon.sh.
 */

#include <errno.h>
#include <string.h>

#include "fuzz.h"
#include "ike/vici.h"
#include "ike/vici_client.h"

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
	(void)argc;
	(void)argv;
	return 0;
}

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
		default:
			FUZZ_ASSERT(!"node of an unknown type");
		}
	}
}

/* Walk the tree: links, terminations, depth; returns the nodes seen. */
static size_t walk(const struct vici_node *n, int depth)
{
	const struct vici_node *c;
	size_t seen = 1;
	uint32_t u32;
	uint64_t u64;

	FUZZ_ASSERT(depth <= VICI_DEPTH_MAX);
	for (c = n->child; c; c = c->next) {
		FUZZ_ASSERT(c->parent == n);
		FUZZ_ASSERT(c->name && strlen(c->name) <= VICI_NAME_MAX);
		switch (c->type) {
		case VICI_SECTION_START:
			FUZZ_ASSERT(n->type == VICI_SECTION_START && !c->value);
			seen += walk(c, depth + 1);
			break;
		case VICI_LIST_START:
			FUZZ_ASSERT(n->type == VICI_SECTION_START && !c->value &&
				    c->name[0]);
			seen += walk(c, depth);
			break;
		case VICI_KEY_VALUE:
		case VICI_LIST_ITEM:
			FUZZ_ASSERT(!c->child && c->value && c->value[c->len] == '\0');
			FUZZ_ASSERT((c->type == VICI_KEY_VALUE) ==
				    (n->type == VICI_SECTION_START));
			FUZZ_ASSERT(c->type == VICI_LIST_ITEM ? !c->name[0] :
				    c->name[0] != '\0');
			seen++;
			break;
		default:
			FUZZ_ASSERT(!"node of an unknown type");
		}
		/* A name without '/' is its own path; the first match wins. */
		if (n->parent == NULL && n->type == VICI_SECTION_START &&
		    !strchr(c->name, '/') && c->name[0]) {
			const struct vici_node *f = vici_find(n, c->name);

			FUZZ_ASSERT(f && !strcmp(f->name, c->name));
			if (f->type == VICI_KEY_VALUE) {
				(void)vici_u32(n, c->name, 16, &u32);
				(void)vici_u64(n, c->name, 10, &u64);
				FUZZ_ASSERT(!vici_str(n, c->name) ||
					    strlen(vici_str(n, c->name)) == f->len);
			}
		}
	}
	return seen;
}

/* @p is a sound tree and encodes back to the @len bytes at @payload. */
static void check_packet(const struct vici_packet *p, const uint8_t *payload,
			 size_t len)
{
	char err[VICI_ERR_LEN];
	struct vici_msg m;

	FUZZ_ASSERT(p->root && p->mem && !p->root->parent);
	FUZZ_ASSERT(p->nodes <= VICI_ELEMENTS_MAX + 1);
	FUZZ_ASSERT(walk(p->root, 0) == p->nodes);
	FUZZ_ASSERT(vici_type_has_msg(p->type) || !p->root->child);
	FUZZ_ASSERT(vici_type_named(p->type) == (p->name[0] != '\0'));
	vici_dump(fuzz_sink(), p->root, 0);
	(void)vici_success(p, "fuzz", err, sizeof(err));

	vici_begin_packet(&m, p->type, p->name);
	encode_node(&m, p->root);
	if (vici_end(&m))
		fprintf(stderr, "re-encoding failed: %s\n", m.errmsg);
	FUZZ_ASSERT(!m.err);
	FUZZ_ASSERT(m.len == VICI_HDR_LEN + len &&
		    !memcmp(m.buf + VICI_HDR_LEN, payload, len));
	vici_msg_free(&m);
}

static void one_payload(const uint8_t *data, size_t size)
{
	char err[VICI_ERR_LEN];
	struct vici_packet p;
	int ret;

	err[0] = '\0';
	ret = vici_decode(&p, data, size, err, sizeof(err));
	if (ret) {
		FUZZ_ASSERT(ret == -EBADMSG || ret == -EMSGSIZE);
		FUZZ_ASSERT(err[0] && memchr(err, '\0', sizeof(err)));
		FUZZ_ASSERT(!p.mem && !p.root && !p.nodes);
		vici_packet_free(&p);
		return;
	}
	check_packet(&p, data, size);
	vici_packet_free(&p);
}

/* What decoding the frame at @off by itself gives, to compare with vici_rx. */
static size_t expect(const uint8_t *data, size_t size, size_t off, int got,
		     const struct vici_packet *p)
{
	char err[VICI_ERR_LEN];
	struct vici_packet q;
	size_t plen = 0;
	int ret;

	ret = vici_frame_len(data + off, size - off, &plen);
	if (ret < 0) {
		FUZZ_ASSERT(got == ret);
		return 0;
	}
	FUZZ_ASSERT(ret == 1 && size - off - VICI_HDR_LEN >= plen);
	ret = vici_decode(&q, data + off + VICI_HDR_LEN, plen, err, sizeof(err));
	FUZZ_ASSERT(ret == got);
	if (!ret) {
		FUZZ_ASSERT(q.nodes == p->nodes && q.type == p->type &&
			    !strcmp(q.name, p->name));
		check_packet(p, data + off + VICI_HDR_LEN, plen);
		vici_packet_free(&q);
	}
	return VICI_HDR_LEN + plen;
}

static void one_stream(const uint8_t *data, size_t size, size_t chunk)
{
	char err[VICI_ERR_LEN];
	struct vici_rx rx = { 0 };
	struct vici_packet p;
	size_t fed = 0, off = 0, n, plen;
	int ret = 0;

	while (fed < size) {
		n = size - fed < chunk ? size - fed : chunk;
		FUZZ_ASSERT(!vici_rx_feed(&rx, data + fed, n, err, sizeof(err)));
		fed += n;
		/* Take every packet complete in what was fed so far. */
		while ((ret = vici_rx_next(&rx, &p, err, sizeof(err))) != 0) {
			n = expect(data, fed, off, ret < 0 ? ret : 0, &p);
			vici_packet_free(&p);
			if (!n)
				goto lost;	/* framing gone: no more packets */
			off += n;
		}
		/* None is complete: what is left is a frame begun. */
		FUZZ_ASSERT(vici_rx_pending(&rx) == fed - off);
		if (fed - off >= VICI_HDR_LEN) {
			FUZZ_ASSERT(vici_frame_len(data + off, fed - off, &plen) == 1);
			FUZZ_ASSERT(fed - off - VICI_HDR_LEN < plen);
		}
	}
lost:
	vici_rx_free(&rx);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!size)
		return 0;
	if (data[0] & 1)
		one_stream(data + 1, size - 1, (size_t)(data[0] >> 1) + 1);
	else
		one_payload(data + 1, size - 1);
	return 0;
}
