/* SPDX-License-Identifier: GPL-2.0 */
#ifndef AGENT_IKE_VICI_H
#define AGENT_IKE_VICI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/*
 * The wire format of strongSwan's VICI (src/libcharon/plugins/vici/README.md
 * of 5.9.8), written and read without libvici: that library ships no header
 * in Debian and delivers events on libstrongswan's thread pool.
 *
 * A packet on the stream is a 32-bit big-endian length and that many bytes
 * of payload: a packet type, a name for the named types (u8 length, not
 * NUL-terminated), then for requests, responses and events a message. A
 * message is a flat sequence of elements describing a tree of sections,
 * key/values and lists (u8-length names, u16-length values, big-endian).
 *
 * What is accepted, in both directions (the decoder reads exactly what the
 * builder can write):
 * - payloads of 1 to VICI_PACKET_MAX bytes (charon's limit; it drops a
 *   client that announces more);
 * - packet names of 1 to 255 bytes, element names of 0 to 255 bytes where
 *   the element is a section (charon's get-counters names the global
 *   counters ""), 1 to 255 for keys and lists; no NUL in a name;
 * - values of 0 to 65535 arbitrary bytes;
 * - at most VICI_DEPTH_MAX nested sections and VICI_ELEMENTS_MAX elements;
 *   balanced sections, lists closed, no list in a list, only items in a
 *   list; nothing after the name of a type that carries no message.
 */

/* charon's VICI_MESSAGE_SIZE_MAX: payload bytes, the length field excluded. */
#define VICI_PACKET_MAX		(512 * 1024)
#define VICI_HDR_LEN		4
#define VICI_NAME_MAX		255
#define VICI_VALUE_MAX		65535
/* list-sa is 3 deep (ike/child-sas/<name>), child-rekey 4; 16 is plenty. */
#define VICI_DEPTH_MAX		16
/* Every element counts, ends included: ~1500 CHILD_SAs in one message. */
#define VICI_ELEMENTS_MAX	65536
/* Room for any error message of this codec and of vici_client.c. */
#define VICI_ERR_LEN		320

/* Packet types. */
enum vici_type {
	VICI_CMD_REQUEST	= 0,	/* named, message */
	VICI_CMD_RESPONSE	= 1,	/* message */
	VICI_CMD_UNKNOWN	= 2,	/* nothing */
	VICI_EVENT_REGISTER	= 3,	/* named */
	VICI_EVENT_UNREGISTER	= 4,	/* named */
	VICI_EVENT_CONFIRM	= 5,	/* nothing */
	VICI_EVENT_UNKNOWN	= 6,	/* nothing */
	VICI_EVENT		= 7,	/* named, message */
};

/* Message element types. */
enum vici_elem {
	VICI_SECTION_START	= 1,	/* name */
	VICI_SECTION_END	= 2,
	VICI_KEY_VALUE		= 3,	/* name, value */
	VICI_LIST_START		= 4,	/* name */
	VICI_LIST_ITEM		= 5,	/* value */
	VICI_LIST_END		= 6,
};

/* "CMD_RESPONSE", ...; "type 9" style for others (static buffer). */
const char *vici_type_str(unsigned int type);
/* Whether packets of @type carry a name, and a message. */
bool vici_type_named(unsigned int type);
bool vici_type_has_msg(unsigned int type);

/**
 * struct vici_msg - a packet being built
 * @buf: the packet as it goes on the wire, length field first; malloc()ed
 * @len: bytes in @buf; after vici_end(), the whole packet
 * @cap: room in @buf
 * @err: the first error (sticky: later calls do nothing and return it),
 *	-EINVAL for a misuse or a name or value out of bounds, -EMSGSIZE
 *	past VICI_PACKET_MAX or VICI_ELEMENTS_MAX, -ENOMEM
 * @errmsg: what @err is about, "" while @err is 0
 * @type: the packet's type
 * @name: its name ("" for the unnamed types)
 * @depth: sections open
 * @list: a list is open
 * @elements: elements written
 * @done: vici_end() succeeded; the message is sealed
 *
 * vici_begin() starts one, every call adds an element, vici_end() checks
 * that sections and lists are closed and writes the length. Each call
 * returns 0 or the sticky error, so a caller may check only vici_end().
 * vici_msg_free() releases @buf whatever happened.
 */
struct vici_msg {
	uint8_t *buf;
	size_t len;
	size_t cap;
	int err;
	char errmsg[VICI_ERR_LEN];
	uint8_t type;
	char name[VICI_NAME_MAX + 1];
	unsigned int depth;
	bool list;
	size_t elements;
	bool done;
};

/* A CMD_REQUEST named @cmd ("load-conn"). */
int vici_begin(struct vici_msg *m, const char *cmd);
/* A packet of any type; @name is ignored (may be NULL) for unnamed types. */
int vici_begin_packet(struct vici_msg *m, enum vici_type type,
		      const char *name);
int vici_section_start(struct vici_msg *m, const char *name);
int vici_section_end(struct vici_msg *m);
int vici_kv(struct vici_msg *m, const char *key, const char *value);
int vici_kv_bytes(struct vici_msg *m, const char *key, const void *value,
		  size_t len);
__attribute__((format(printf, 3, 4)))
int vici_kvf(struct vici_msg *m, const char *key, const char *fmt, ...);
int vici_list_start(struct vici_msg *m, const char *name);
int vici_list_item(struct vici_msg *m, const char *value);
int vici_list_item_bytes(struct vici_msg *m, const void *value, size_t len);
__attribute__((format(printf, 2, 3)))
int vici_list_itemf(struct vici_msg *m, const char *fmt, ...);
int vici_list_end(struct vici_msg *m);
/* Seal the packet: m->buf, m->len are then what goes on the wire. */
int vici_end(struct vici_msg *m);
void vici_msg_free(struct vici_msg *m);

/**
 * struct vici_node - an element of a decoded message
 * @type: VICI_SECTION_START (a section; also the root), VICI_KEY_VALUE,
 *	VICI_LIST_START (a list) or VICI_LIST_ITEM
 * @name: NUL-terminated; "" for the root and for list items
 * @value: of a key or an item, with a NUL after its @len bytes (so a value
 *	without NUL in it is a C string); NULL for sections and lists
 * @len: bytes of @value
 * @offset: of the element in the packet's payload (type byte = 0)
 * @parent: the section or list holding this node; NULL for the root
 * @child: first node inside a section or list, in wire order
 * @next: next node of the same parent
 */
struct vici_node {
	uint8_t type;
	uint16_t len;
	uint32_t offset;
	const char *name;
	const char *value;
	const struct vici_node *parent;
	const struct vici_node *child;
	const struct vici_node *next;
};

/**
 * struct vici_packet - a decoded packet
 * @type: its packet type
 * @name: its name, "" for the unnamed types
 * @root: its message, an unnamed section; empty for types without one
 * @nodes: nodes in the tree, the root included
 * @mem: one allocation holding every node and string; vici_packet_free()
 *
 * Owns copies of everything: the bytes decoded from may go.
 */
struct vici_packet {
	uint8_t type;
	char name[VICI_NAME_MAX + 1];
	const struct vici_node *root;
	size_t nodes;
	void *mem;
};

/*
 * Decode a payload (the bytes after the length field) into @p. 0, or
 * -EBADMSG for a malformed packet, -EMSGSIZE for one larger than
 * VICI_PACKET_MAX, -ENOMEM; then @err says what and at which byte, and @p
 * holds nothing to free. Any @len may be given; nothing past it is read.
 */
int vici_decode(struct vici_packet *p, const void *payload, size_t len,
		char *err, size_t errlen);
void vici_packet_free(struct vici_packet *p);

/*
 * Framing: the payload length announced by the 4 bytes at @buf, if
 * @len >= 4. 1 with *@payload_len set; 0 if fewer than 4 bytes; -EMSGSIZE
 * if the length exceeds VICI_PACKET_MAX, -EBADMSG if it is 0.
 */
int vici_frame_len(const void *buf, size_t len, size_t *payload_len);

/*
 * Lookup. A path is names joined by '/' ("child-sas/l2tp-7/spi-in"), each
 * a child of the previous node; "" is @from itself. Names holding a '/'
 * are reached with vici_get(). The first match wins (charon never repeats
 * a key in a section). A NULL @from finds nothing.
 */
const struct vici_node *vici_get(const struct vici_node *sec,
				 const char *name);
const struct vici_node *vici_find(const struct vici_node *from,
				  const char *path);
/* The value of the key at @path; NULL if absent, not a key, or NUL inside. */
const char *vici_str(const struct vici_node *from, const char *path);
/* Whether the key at @path is "yes". */
bool vici_yes(const struct vici_node *from, const char *path);
/*
 * The key at @path as a number of @base (10, or 16 as charon writes SPIs
 * and marks: "c1a2b3c4", no "0x"; a "0x" is accepted too). 0, -ENOENT if
 * absent or not a key, -EINVAL if not a number, -ERANGE if too large.
 */
int vici_u32(const struct vici_node *from, const char *path, int base,
	     uint32_t *out);
int vici_u64(const struct vici_node *from, const char *path, int base,
	     uint64_t *out);
/* Children of a section or list (items of a list). */
size_t vici_count(const struct vici_node *n);

/*
 * A command's verdict in its response: 0 if "success" is "yes";
 * -EREMOTEIO if "no" (@err says charon's errmsg), -EBADMSG if absent.
 * @cmd names the command in @err.
 */
int vici_success(const struct vici_packet *resp, const char *cmd, char *err,
		 size_t errlen);

/* The tree as indented text, swanctl-like, values escaped; for humans. */
void vici_dump(FILE *f, const struct vici_node *n, int indent);

#endif
