// SPDX-License-Identifier: GPL-2.0
/*
 * ike/conn.c: what a PAD entry becomes in charon. Each request is built,
 * decoded again with the agent's own VICI decoder and read back by path,
 * as charon would read it (its keys are swanctl.conf's).
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "ike/conn.h"
#include "ike/pad.h"
#include "ike/sas.h"
#include "ike/vici.h"

static struct vici_packet pkt;

/* Build with @ret, then decode m's payload into pkt: true if both worked. */
static bool decoded(struct vici_msg *m, int ret)
{
	char err[VICI_ERR_LEN];
	bool ok;

	vici_packet_free(&pkt);
	memset(&pkt, 0, sizeof(pkt));
	ok = !ret && !vici_decode(&pkt, m->buf + VICI_HDR_LEN, m->len - VICI_HDR_LEN,
				   err, sizeof(err));
	if (!ok)
		fprintf(stderr, "  build %d: %s\n", ret, ret ? m->errmsg : err);
	vici_msg_free(m);
	return ok;
}

static const char *str(const char *path)
{
	const char *v = vici_str(pkt.root, path);

	return v ? v : "(none)";
}

/* The items of the list at @path joined by ' '. */
static const char *items(const char *path)
{
	static char buf[512];
	const struct vici_node *n = vici_find(pkt.root, path);
	size_t len = 0;

	buf[0] = '\0';
	for (n = n ? n->child : NULL; n; n = n->next)
		len += (size_t)snprintf(buf + len, sizeof(buf) - len, "%s%.*s",
					len ? " " : "", (int)n->len, n->value);
	return buf;
}

static struct pad_peer peer(const char *name, enum pad_auth auth)
{
	struct pad_peer p;

	memset(&p, 0, sizeof(p));
	strcpy(p.name, name);
	p.remote_id = "si1@example.org";
	p.auth = auth;
	return p;
}

static void lns_psk(void)
{
	static const char *addrs[] = { "192.0.2.1", "2001:db8::1" };
	struct ike_local l = { addrs, 2, false };
	struct pad_peer p = peer("si-1", PAD_AUTH_PSK);
	struct ike_creds c;
	struct vici_msg m;
	char name[CONN_NAME_LEN];

	memset(&c, 0, sizeof(c));
	p.psk = (unsigned char *)"\x01\x02secret";
	p.psk_len = 8;
	p.local_id = "sc.example.org";
	check(same_str(ike_conn_name(&p, name), "l2tp-ipsec-si-1") && ike_name_ours(name) &&
	      !ike_name_ours("si-1"), "conn: the name carries the agent's prefix");
	if (!check(decoded(&m, ike_load_conn_msg(&m, &p, &l, &c)), "conn: LNS, PSK: builds"))
		return;
	check(same_str(pkt.name, "load-conn") && vici_find(pkt.root, "l2tp-ipsec-si-1"),
	      "conn: load-conn of one connection named l2tp-ipsec-si-1");
	check(same_str(str("l2tp-ipsec-si-1/version"), "2"),
	      "conn: IKEv2 only (RFC 5619 section 3.4.2)");
	check(same_str(items("l2tp-ipsec-si-1/local_addrs"), "192.0.2.1 2001:db8::1") &&
	      same_str(items("l2tp-ipsec-si-1/remote_addrs"), "%any"),
	      "conn: LNS: every local address, the peer from anywhere");
	check(same_str(str("l2tp-ipsec-si-1/mobike"), "no"),
	      "conn: no MOBIKE (the SA must not move under a bound tunnel)");
	check(same_str(str("l2tp-ipsec-si-1/local/auth"), "psk") &&
	      same_str(str("l2tp-ipsec-si-1/local/id"), "sc.example.org") &&
	      same_str(str("l2tp-ipsec-si-1/remote/auth"), "psk") &&
	      same_str(str("l2tp-ipsec-si-1/remote/id"), "si1@example.org") &&
	      !vici_find(pkt.root, "l2tp-ipsec-si-1/local/certs"),
	      "conn: PSK both ways, the peer's identity exactly");
	check(same_str(str("l2tp-ipsec-si-1/children/l2tp_spd_entry/mode"), "transport") &&
	      same_str(items("l2tp-ipsec-si-1/children/l2tp_spd_entry/local_ts"),
		       "dynamic[udp/1701]") &&
	      same_str(items("l2tp-ipsec-si-1/children/l2tp_spd_entry/remote_ts"),
		       "dynamic[udp]"),
	      "conn: CHILD_SA l2tp_spd_entry, transport, UDP 1701 here, any port of the peer's");
	check(same_str(str("l2tp-ipsec-si-1/children/l2tp_spd_entry/start_action"), "none") &&
	      same_str(str("l2tp-ipsec-si-1/children/l2tp_spd_entry/close_action"), "none"),
	      "conn: the agent starts and stops the CHILD_SA, not charon");
	check(!vici_find(pkt.root, "l2tp-ipsec-si-1/children/l2tp_spd_entry/mark_in"),
	      "conn: LNS: no marks unless the peer's clients may share a NAT");
	p.shared_nat = true;
	if (!check(decoded(&m, ike_load_conn_msg(&m, &p, &l, &c)), "conn: LNS, shared_nat: builds"))
		return;
	check(same_str(str("l2tp-ipsec-si-1/children/l2tp_spd_entry/mark_in"), "%unique") &&
	      same_str(str("l2tp-ipsec-si-1/children/l2tp_spd_entry/mark_out"), "%unique") &&
	      same_str(str("l2tp-ipsec-si-1/children/l2tp_spd_entry/set_mark_in"), "%same"),
	      "conn: LNS, shared_nat: each CHILD_SA its own mark both ways, on what it decrypts too");

	if (!check(decoded(&m, ike_load_shared_msg(&m, &p)), "shared: builds"))
		return;
	check(same_str(pkt.name, "load-shared") && same_str(str("id"), "l2tp-ipsec-si-1") &&
	      same_str(str("type"), "IKE") && vici_find(pkt.root, "data")->len == 8 &&
	      !memcmp(vici_find(pkt.root, "data")->value, "\x01\x02secret", 8) &&
	      same_str(items("owners"), "si1@example.org"),
	      "shared: the key's bytes, owned by the one remote identity (RFC 3193 section 5.1.4)");
}

static void lac_pubkey(void)
{
	static const char *addrs[] = { "198.51.100.2" };
	struct ike_local l = { addrs, 1, true };
	struct pad_peer p = peer("sc", PAD_AUTH_PUBKEY);
	struct ike_creds c = {
		.cert = { "CERT", 4 }, .key = { "KEY", 3 }, .ca = { "CA", 2 },
	};
	struct vici_msg m;

	p.remote_id = "C=CH, O=Example, CN=sc";
	p.remote_addrs = "192.0.2.1";
	if (!check(decoded(&m, ike_load_conn_msg(&m, &p, &l, &c)), "conn: LAC, pubkey: builds"))
		return;
	check(same_str(items("l2tp-ipsec-sc/remote_addrs"), "192.0.2.1") &&
	      same_str(items("l2tp-ipsec-sc/children/l2tp_spd_entry/remote_ts"),
		       "dynamic[udp/1701]"),
	      "conn: LAC: the LNS's address, its port 1701");
	check(!vici_find(pkt.root, "l2tp-ipsec-sc/children/l2tp_spd_entry/mark_in") &&
	      !vici_find(pkt.root, "l2tp-ipsec-sc/children/l2tp_spd_entry/mark_out") &&
	      !vici_find(pkt.root, "l2tp-ipsec-sc/children/l2tp_spd_entry/set_mark_in"),
	      "conn: LAC: no marks (one LNS per CHILD_SA)");
	check(same_str(str("l2tp-ipsec-sc/local/auth"), "pubkey") &&
	      same_str(items("l2tp-ipsec-sc/local/certs"), "CERT") &&
	      same_str(str("l2tp-ipsec-sc/remote/auth"), "pubkey") &&
	      same_str(str("l2tp-ipsec-sc/remote/id"), "C=CH, O=Example, CN=sc") &&
	      same_str(items("l2tp-ipsec-sc/remote/cacerts"), "CA"),
	      "conn: certificates: ours, and the CA the peer's must chain to");
	if (check(decoded(&m, ike_load_key_msg(&m, &c.key)), "key: builds"))
		check(same_str(str("type"), "any") && vici_find(pkt.root, "data")->len == 3,
		      "key: load-key of any type, the file's bytes");
	if (check(decoded(&m, ike_load_cert_msg(&m, &c.ca, true)), "cert: builds"))
		check(same_str(str("type"), "X509") && same_str(str("flag"), "CA"),
		      "cert: load-cert X509, flagged CA");
	if (check(decoded(&m, ike_initiate_msg(&m, "l2tp-ipsec-sc", -1)), "initiate: builds"))
		check(same_str(str("child"), "l2tp_spd_entry") &&
		      same_str(str("ike"), "l2tp-ipsec-sc") && same_str(str("timeout"), "-1"),
		      "initiate: the CHILD_SA of that connection, without waiting");
	if (check(decoded(&m, ike_terminate_msg(&m, "l2tp-ipsec-sc", 7, 0)), "terminate: builds"))
		check(same_str(str("child-id"), "7") && !vici_find(pkt.root, "child"),
		      "terminate: one CHILD_SA by its unique id");
	if (check(decoded(&m, ike_terminate_ike_msg(&m, 3, -1)), "terminate IKE_SA: builds"))
		check(same_str(str("ike-id"), "3") && !vici_find(pkt.root, "child") &&
		      !vici_find(pkt.root, "child-id"),
		      "terminate: an IKE_SA by its unique id, with its CHILD_SAs");
}

static void lns_eap(void)
{
	static const char *addrs[] = { "192.0.2.1" };
	struct ike_local l = { addrs, 1, false };
	struct pad_peer p = peer("roaming", PAD_AUTH_EAP);
	struct ike_creds c = { .cert = { "CERT", 4 } };
	struct vici_msg m;

	p.eap = "eap-mschapv2";
	if (!check(decoded(&m, ike_load_conn_msg(&m, &p, &l, &c)), "conn: EAP: builds"))
		return;
	check(same_str(str("l2tp-ipsec-roaming/local/auth"), "pubkey") &&
	      same_str(str("l2tp-ipsec-roaming/remote/auth"), "eap-mschapv2") &&
	      same_str(str("l2tp-ipsec-roaming/remote/eap_id"), "si1@example.org"),
	      "conn: EAP: the peer by EAP as its identity, we by certificate");

	p.eap = "eap-md5";
	p.eap_secret = (unsigned char *)"carol's";
	p.eap_secret_len = 7;
	if (!check(decoded(&m, ike_load_shared_msg(&m, &p)), "shared: EAP: builds"))
		return;
	check(same_str(str("id"), "l2tp-ipsec-roaming") && same_str(str("type"), "EAP") &&
	      vici_find(pkt.root, "data")->len == 7 &&
	      !memcmp(vici_find(pkt.root, "data")->value, "carol's", 7) &&
	      same_str(items("owners"), "si1@example.org"),
	      "shared: EAP: the peer's EAP secret, owned by its one identity");
}

/* A list-sa event as charon 5.9.8 sends it, and what the agent reads. */
static void sas(void)
{
	struct vec v = { NULL, 0, 0 };
	const struct ike_child *c;
	struct vici_msg m;

	vici_begin_packet(&m, VICI_EVENT, "list-sa");
	vici_section_start(&m, "l2tp-ipsec-si-1");
	vici_kv(&m, "uniqueid", "3");
	vici_kv(&m, "remote-port", "4500");
	vici_kv(&m, "remote-id", "si1@example.org");
	vici_section_start(&m, "child-sas");
	vici_section_start(&m, "l2tp_spd_entry-7");
	vici_kv(&m, "uniqueid", "7");
	vici_kv(&m, "reqid", "1");
	vici_kv(&m, "state", "INSTALLED");
	vici_kv(&m, "spi-in", "c1a2b3c4");
	vici_kv(&m, "spi-out", "0d0e0f10");
	vici_section_end(&m);
	vici_section_start(&m, "l2tp_spd_entry-8");
	vici_kv(&m, "uniqueid", "8");
	vici_kv(&m, "reqid", "1");
	vici_kv(&m, "state", "REKEYING");
	vici_kv(&m, "spi-in", "11111111");
	vici_kv(&m, "spi-out", "22222222");
	vici_section_end(&m);
	vici_section_end(&m);
	vici_section_end(&m);
	if (!check(decoded(&m, vici_end(&m)), "sas: a list-sa event builds"))
		return;
	check(!ike_sas_parse(&pkt, &v) && v.n == 1, "sas: the installed CHILD_SA read, the one rekeying left out");
	c = ike_child_of_spi(&v, 0xc1a2b3c4, NULL);
	check(c && c == ike_child_of_spi(&v, 0x0d0e0f10, NULL) && c->reqid == 1 && c->child_id == 7 &&
	      c->ike_id == 3 && c->children == 2 && c->remote_port == 4500 &&
	      !strcmp(c->remote_id, "si1@example.org") && !strcmp(c->conn, "l2tp-ipsec-si-1"),
	      "sas: by either SPI: reqid, ids, the NAT-T port and the identity");
	check(!ike_child_of_spi(&v, 0x11111111, NULL) && !ike_child_of_spi(&v, 0, NULL),
	      "sas: no CHILD_SA for an SPI charon did not list as installed, nor for 0");
	{
		/* Another peer chose as our outbound SPI the first's inbound. */
		struct ike_child twin = *c;
		bool amb = false;

		twin.spi_in = 0x33333333;
		twin.spi_out = 0xc1a2b3c4;
		twin.child_id = 9;
		strcpy(twin.remote_id, "mallory@example.org");
		if (!vec_push(&v, &twin, sizeof(twin)))
			check(!ike_child_of_spi(&v, 0xc1a2b3c4, &amb) && amb &&
			      ike_child_of_spi(&v, 0x33333333, &amb) && !amb &&
			      !strcmp(ike_identity_of_spi_in(&v, 0xc1a2b3c4), "si1@example.org"),
			      "sas: an SPI two CHILD_SAs have (one peer's outbound is another's inbound): none picked; by inbound SPI, the right one");
	}
	vec_free(&v);
}

int main(void)
{
	sas();
	lns_psk();
	lac_pubkey();
	lns_eap();
	vici_packet_free(&pkt);
	return harness_exit();
}
