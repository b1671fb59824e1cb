#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that the generated netlink files of kmod/ are fresh.

scripts/nlgen.py writes kmod/netlink-policy.[ch] and kmod/netlink-ops.[ch]
from Documentation/netlink/specs/l2tp_ipsec.yaml; they are committed. This
regenerates them into a temporary directory and compares each with the
committed file: one "PASS host: gen: <file>" or "FAIL host: gen: <file>"
line per file, with a diff on stderr, and exits 1 if any differs. Fix a
FAIL with "make nlgen" (never by editing the generated files).

--self-test proves that the check catches a hand edit of a generated file
and a changed range in the spec: each mutation must make it fail.
"""

import difflib
import os
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NLGEN = os.path.join(ROOT, "scripts/nlgen.py")
SPEC = os.path.join(ROOT, "Documentation/netlink/specs/l2tp_ipsec.yaml")
KMOD = os.path.join(ROOT, "kmod")
FILES = ["netlink-policy.c", "netlink-policy.h", "netlink-ops.c", "netlink-ops.h"]


def result(ok, case, detail=None):
    print("%s host: gen: %s" % ("PASS" if ok else "FAIL", case), flush=True)
    if not ok and detail:
        print(detail, file=sys.stderr)
    return ok


def stale(spec, committed):
    """{file: diff} of the files of @committed that the generator, run on
    @spec, would write otherwise; None for a file that is fine. Raises
    RuntimeError if the generator fails."""
    out = {}
    with tempfile.TemporaryDirectory(prefix="nlgen-") as tmp:
        r = subprocess.run([sys.executable, NLGEN, "--spec", spec, "--out", tmp],
                           capture_output=True, text=True)
        if r.returncode != 0:
            raise RuntimeError("scripts/nlgen.py failed: %s" % r.stderr.strip())
        for name in FILES:
            want = open(os.path.join(tmp, name)).read().splitlines(True)
            path = os.path.join(committed, name)
            got = open(path).read().splitlines(True) if os.path.exists(path) else []
            diff = "".join(difflib.unified_diff(got, want, "kmod/" + name,
                                                "generated/" + name))
            out[name] = diff or None
    return out


def check():
    try:
        res = stale(SPEC, KMOD)
    except RuntimeError as e:
        result(False, "scripts/nlgen.py runs", str(e))
        return 1
    bad = 0
    for name in FILES:
        if not result(res[name] is None,
                      "kmod/%s is what scripts/nlgen.py generates" % name,
                      "%s\n  (run \"make nlgen\")" % res[name]):
            bad += 1
    return 1 if bad else 0


# (what, file, text to replace, replacement); file is a generated file or
# "spec".
MUTATIONS = [
    ("a hand edit of a generated range", "netlink-policy.c",
     "[L2TP_IPSEC_A_BINDING_SPI] = NLA_POLICY_MIN(NLA_U32, 256),",
     "[L2TP_IPSEC_A_BINDING_SPI] = NLA_POLICY_MIN(NLA_U32, 1),"),
    ("a hand-added attribute in a generated policy", "netlink-policy.c",
     "\t[L2TP_IPSEC_A_BINDING_ENCAP_DPORT] = NLA_POLICY_MIN(NLA_U16, 1),\n};",
     "\t[L2TP_IPSEC_A_BINDING_ENCAP_DPORT] = NLA_POLICY_MIN(NLA_U16, 1),\n"
     "\t[L2TP_IPSEC_A_BINDING_OWNER] = NLA_POLICY_MIN(NLA_U32, 1),\n};"),
    ("admin-perm removed by hand from the ops table", "netlink-ops.c",
     "\t\t.policy = l2tp_ipsec_config_set_req_nl_policy,\n"
     "\t\t.maxattr = L2TP_IPSEC_A_CONFIG,\n\t\t.flags = GENL_ADMIN_PERM,\n",
     "\t\t.policy = l2tp_ipsec_config_set_req_nl_policy,\n"
     "\t\t.maxattr = L2TP_IPSEC_A_CONFIG,\n"),
    ("a hand edit of a generated header", "netlink-ops.h",
     "enum l2tp_ipsec_nlgrp {", "enum l2tp_ipsec_nl_groups {"),
    ("a changed range in the spec (max-bindings' full range)", "spec",
     "          min: 1\n          max: max-bindings-limit\n",
     "          min: 1\n          max: 65536\n"),
    ("a changed range in the spec (l2tp-version)", "spec",
     "          min: 2\n          max: 3\n", "          min: 2\n          max: 4\n"),
    ("a changed exact length in the spec", "spec",
     "checks:\n          exact-len: 16", "checks:\n          exact-len: 4"),
    ("an op's admin-perm dropped in the spec", "spec",
     "      name: binding-flush\n      doc: Delete every binding of the namespace.\n"
     "      attribute-set: l2tp-ipsec\n      flags: [ admin-perm ]\n",
     "      name: binding-flush\n      doc: Delete every binding of the namespace.\n"
     "      attribute-set: l2tp-ipsec\n"),
]


def self_test():
    results = []
    for what, where, old, new in MUTATIONS:
        with tempfile.TemporaryDirectory(prefix="check-gen-") as tmp:
            kmod = os.path.join(tmp, "kmod")
            os.mkdir(kmod)
            for name in FILES:
                shutil.copy(os.path.join(KMOD, name), kmod)
            spec = os.path.join(tmp, "spec.yaml")
            shutil.copy(SPEC, spec)
            path = spec if where == "spec" else os.path.join(kmod, where)
            text = open(path).read()
            if old not in text or old == new:
                results.append((False, what + " (text to mutate not found)"))
                continue
            with open(path, "w") as f:
                f.write(text.replace(old, new, 1))
            try:
                res = stale(spec, kmod)
                caught = any(d is not None for d in res.values())
            except RuntimeError:
                caught = False	# the spec must stay valid: not a catch
            results.append((caught, what))
    # The unmutated copy must pass, or every catch above means nothing.
    res = stale(SPEC, KMOD)
    results.append((all(d is None for d in res.values()),
                    "the committed files themselves (control)"))
    bad = 0
    for ok, what in results:
        if what.endswith("(control)"):
            ok = result(ok, "self-test: %s pass the check" % what)
        else:
            ok = result(ok, "self-test: %s fails the check" % what)
        bad += not ok
    return 1 if bad else 0


def main():
    if "--self-test" in sys.argv[1:]:
        return self_test()
    return check()


if __name__ == "__main__":
    sys.exit(main())
