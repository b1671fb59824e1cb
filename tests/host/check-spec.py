#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Check that uapi/linux/l2tp_ipsec.h matches the netlink spec.

Reads Documentation/netlink/specs/l2tp_ipsec.yaml and checks that every
const, enum, attribute set and operation of the spec is in the header with
the expected C names, in the same order, with the same values:

  const X                 L2TP_IPSEC_<X> with the same value
  enum E, entry N         enum l2tp_ipsec_<e>: L2TP_IPSEC_<E>_<N> = 0, 1, ...
  set l2tp-ipsec, attr N  enum l2tp_ipsec_attrs: L2TP_IPSEC_A_<N> = 1, 2, ...
  set S, attr N           enum l2tp_ipsec_<s>_attrs: L2TP_IPSEC_A_<S>_<N>
  set port                L2TP_IPSEC_A_PORT (the header's one exception)
  operation O             enum l2tp_ipsec_cmd: L2TP_IPSEC_CMD_<O> = 1, 2, ...
  subset-of S             no enum; its attributes are S's
  version                 L2TP_IPSEC_GENL_VERSION

Attribute and command enums start with an _UNSPEC entry and end with
__<PREFIX>MAX and <PREFIX>MAX = __<PREFIX>MAX - 1. Names are upper-cased,
'-' becomes '_'. Also: family name, multicast groups, and that every enum of
the header belongs to something in the spec. Prints "PASS host: <case>" or
"FAIL host: <case>" per check; exits 1 if any failed.
"""

import os
import re
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SPEC = os.path.join(ROOT, "Documentation/netlink/specs/l2tp_ipsec.yaml")
HEADER = os.path.join(ROOT, "uapi/linux/l2tp_ipsec.h")

failures = 0
quiet = False


def check(ok, case, detail=None):
    global failures
    if not quiet:
        print("%s host: spec: %s" % ("PASS" if ok else "FAIL", case), flush=True)
    if not ok:
        failures += 1
        if detail and not quiet:
            print("  " + detail, file=sys.stderr)
    return ok


def c_upper(name):
    return name.upper().replace("-", "_")


def c_lower(name):
    return name.lower().replace("-", "_")


def strip_comments(text):
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    return re.sub(r"//[^\n]*", " ", text)


def eval_expr(expr, known):
    """Values of enum entries: a number, a name, or NAME +/- number."""
    expr = expr.strip()
    m = re.fullmatch(r"(\w+)\s*([-+])\s*(\w+)", expr)
    if m:
        a, op, b = eval_expr(m.group(1), known), m.group(2), eval_expr(m.group(3), known)
        return a - b if op == "-" else a + b
    if re.fullmatch(r"0[xX][0-9a-fA-F]+|\d+", expr):
        return int(expr, 0)
    if expr in known:
        return known[expr]
    raise ValueError("cannot evaluate '%s'" % expr)


def parse_header(text):
    """Return ({enum tag: [(name, value)]}, {define: text}) of the header."""
    text = strip_comments(text)
    enums = {}
    known = {}
    for m in re.finditer(r"enum\s+(\w+)\s*\{(.*?)\}\s*;", text, flags=re.S):
        entries = []
        value = -1
        for item in m.group(2).split(","):
            item = item.strip()
            if not item:
                continue
            name, _, expr = item.partition("=")
            name = name.strip()
            value = eval_expr(expr, known) if expr.strip() else value + 1
            known[name] = value
            entries.append((name, value))
        enums[m.group(1)] = entries
    defines = {}
    for m in re.finditer(r"^[ \t]*#[ \t]*define[ \t]+(\w+)[ \t]+(.+?)[ \t]*$", text,
                         flags=re.M):
        defines[m.group(1)] = m.group(2)
    return enums, defines


def define_value(text):
    text = text.strip()
    if text.startswith('"'):
        return text.strip('"')
    return int(text.strip("()"), 0)


def check_enum(case, enums, tag, want, first_value, unspec=None, max_prefix=None):
    """@want: C names in order, numbered from @first_value; the enum may
    start with @unspec and end with __<max_prefix>MAX and <max_prefix>MAX."""
    if not check(tag in enums, "%s: enum %s exists" % (case, tag)):
        return
    got = list(enums[tag])
    if unspec is not None:
        check(bool(got) and got[0] == (unspec, 0),
              "%s: starts with %s = 0" % (case, unspec),
              "got %s" % (got[:1],))
        got = [e for e in got if e[0] != unspec]
    if max_prefix is not None:
        cnt, mx = "__%sMAX" % max_prefix, "%sMAX" % max_prefix
        tail = got[-2:]
        last = first_value + len(want)
        check(tail == [(cnt, last), (mx, last - 1)],
              "%s: ends with %s and %s = %s - 1" % (case, cnt, mx, cnt),
              "got %s" % (tail,))
        got = [e for e in got if e[0] not in (cnt, mx)]
    expected = [(n, first_value + i) for i, n in enumerate(want)]
    names_ok = [n for n, _ in got] == [n for n, _ in expected]
    check(names_ok, "%s: entries named and ordered as in the spec" % case,
          "got %s, want %s" % ([n for n, _ in got], [n for n, _ in expected]))
    if names_ok:
        check(got == expected, "%s: entries numbered from %d" % (case, first_value),
              "got %s" % (got,))


def check_all(spec, header_text):
    enums, defines = parse_header(header_text)
    family = spec["name"]
    fam_upper = c_upper(family)
    fam_lower = c_lower(family)
    used_enums = set()

    check(defines.get("%s_GENL_NAME" % fam_upper) == '"%s"' % family,
          "family name %s_GENL_NAME is \"%s\"" % (fam_upper, family))

    groups = [g["name"] for g in spec.get("mcast-groups", {}).get("list", [])]
    for g in groups:
        name = "%s_MCGRP_%s" % (fam_upper, c_upper(g))
        check(defines.get(name) == '"%s"' % g,
              "multicast group %s is \"%s\"" % (name, g))

    for d in spec.get("definitions", []):
        if d["type"] == "const":
            name = "%s_%s" % (fam_upper, c_upper(d["name"]))
            ok = name in defines and define_value(defines[name]) == d["value"]
            check(ok, "const %s = %s" % (name, d["value"]),
                  "header: %s" % defines.get(name))
        elif d["type"] in ("enum", "flags"):
            tag = "%s_%s" % (fam_lower, c_lower(d["name"]))
            used_enums.add(tag)
            prefix = "%s_%s_" % (fam_upper, c_upper(d["name"]))
            entries = [e["name"] if isinstance(e, dict) else e for e in d["entries"]]
            if d["type"] == "flags":
                check(False, "enum %s: flags are not handled by this check" % tag)
                continue
            check_enum("enum %s" % tag, enums, tag,
                       [prefix + c_upper(e) for e in entries], d.get("value-start", 0))
        else:
            check(False, "definition %s of type %s is not handled by this check"
                  % (d["name"], d["type"]))

    version = spec.get("version", 1)
    name = "%s_GENL_VERSION" % fam_upper
    check(name in defines and define_value(defines[name]) == version,
          "family version %s = %s" % (name, version), "header: %s" % defines.get(name))

    set_names = [s["name"] for s in spec["attribute-sets"]]
    sets = {s["name"]: s for s in spec["attribute-sets"]}
    for s in spec["attribute-sets"]:
        if "subset-of" in s:
            # A request's view of a set: no enum of its own.
            sup = sets.get(s["subset-of"])
            if not check(sup is not None and "subset-of" not in sup,
                         "set %s: subset of existing set %s" % (s["name"], s["subset-of"])):
                continue
            names = [a["name"] for a in sup["attributes"]]
            for a in s["attributes"]:
                check(a["name"] in names, "set %s: %s is in set %s"
                      % (s["name"], a["name"], sup["name"]))
                ref = a.get("nested-attributes")
                if ref is not None:
                    check(ref in set_names, "set %s: %s nests existing set %s"
                          % (s["name"], a["name"], ref))
            continue
        if c_lower(s["name"]) == fam_lower:
            tag, prefix = "%s_attrs" % fam_lower, "%s_A_" % fam_upper
        else:
            tag = "%s_%s_attrs" % (fam_lower, c_lower(s["name"]))
            prefix = "%s_A_%s_" % (fam_upper, c_upper(s["name"]))
        used_enums.add(tag)
        names = []
        for a in s["attributes"]:
            if s["name"] == "port" and a["name"] == "port":
                names.append("%s_A_PORT" % fam_upper)	# the header's exception
            else:
                names.append(prefix + c_upper(a["name"]))
            if "value" in a:
                check(False, "set %s: attribute %s has an explicit value, not handled"
                      % (s["name"], a["name"]))
            ref = a.get("nested-attributes")
            if ref is not None:
                check(ref in set_names, "set %s: %s nests existing set %s"
                      % (s["name"], a["name"], ref))
            ref = a.get("enum")
            if ref is not None:
                check(any(d["name"] == ref for d in spec.get("definitions", [])),
                      "set %s: %s uses existing enum %s" % (s["name"], a["name"], ref))
        check_enum("set %s" % s["name"], enums, tag, names, 1,
                   unspec=prefix + "UNSPEC", max_prefix=prefix)

    ops = spec["operations"]["list"]
    tag = "%s_cmd" % fam_lower
    used_enums.add(tag)
    prefix = "%s_CMD_" % fam_upper
    check_enum("operations", enums, tag, [prefix + c_upper(o["name"]) for o in ops],
               1, unspec=prefix + "UNSPEC", max_prefix=prefix)
    for o in ops:
        if "mcgrp" in o:
            check(o["mcgrp"] in groups, "operation %s: multicast group %s exists"
                  % (o["name"], o["mcgrp"]))
        if "attribute-set" in o:
            check(o["attribute-set"] in set_names, "operation %s: attribute set %s exists"
                  % (o["name"], o["attribute-set"]))

    extra = sorted(set(enums) - used_enums)
    check(not extra, "every enum of the header is in the spec",
          "not in the spec: %s" % ", ".join(extra))


# Headers that must not pass: (what, text to replace, replacement).
MUTATIONS = [
    ("two attributes swapped",
     "L2TP_IPSEC_A_BINDING_LOCAL_IPV4,\n\tL2TP_IPSEC_A_BINDING_LOCAL_IPV6,",
     "L2TP_IPSEC_A_BINDING_LOCAL_IPV6,\n\tL2TP_IPSEC_A_BINDING_LOCAL_IPV4,"),
    ("a command renamed", "L2TP_IPSEC_CMD_STATS_GET,", "L2TP_IPSEC_CMD_STATS,"),
    ("a const changed", "L2TP_IPSEC_MAX_PORTS\t\t16", "L2TP_IPSEC_MAX_PORTS\t\t32"),
    ("the version changed", "L2TP_IPSEC_GENL_VERSION\t\t1", "L2TP_IPSEC_GENL_VERSION\t\t2"),
    ("the pad attribute missing", "L2TP_IPSEC_A_STATS_PAD,\n", ""),
    ("an enum entry added", "L2TP_IPSEC_POLICY_DROP,", "L2TP_IPSEC_POLICY_DROP,\n\tL2TP_IPSEC_POLICY_X,"),
    ("an enum numbered from 1", "L2TP_IPSEC_MODE_INHERIT,", "L2TP_IPSEC_MODE_INHERIT = 1,"),
    ("MAX without - 1",
     "L2TP_IPSEC_A_EVENT_MAX = __L2TP_IPSEC_A_EVENT_MAX - 1",
     "L2TP_IPSEC_A_EVENT_MAX = __L2TP_IPSEC_A_EVENT_MAX"),
    ("an attribute set's enum renamed", "enum l2tp_ipsec_port_attrs {", "enum l2tp_ipsec_ports {"),
    ("the group renamed", 'L2TP_IPSEC_MCGRP_EVENTS\t\t"events"',
     'L2TP_IPSEC_MCGRP_EVENTS\t\t"event"'),
]


def self_test(spec, header_text):
    """Each mutation of the header must make the check fail."""
    global failures, quiet
    results = []
    for what, old, new in MUTATIONS:
        if old not in header_text:
            results.append((False, what + " (text to mutate not found)"))
            continue
        failures, quiet = 0, True
        check_all(spec, header_text.replace(old, new, 1))
        results.append((failures > 0, what))
    failures, quiet = 0, False
    for ok, what in results:
        check(ok, "self-test: a header with %s fails the check" % what)


def main():
    spec = yaml.safe_load(open(SPEC))
    header_text = open(HEADER).read()
    if "--self-test" in sys.argv[1:]:
        self_test(spec, header_text)
    else:
        check_all(spec, header_text)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
