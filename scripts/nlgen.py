#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""nlgen - the kernel side of the l2tp_ipsec family from its YAML spec.

    scripts/nlgen.py [--spec FILE] [--out DIR]

Reads Documentation/netlink/specs/l2tp_ipsec.yaml and writes into DIR
(default kmod/):

  netlink-policy.h   the policies' declarations
  netlink-policy.c   one nla_policy array per attribute set that a request
                     reaches, and the range structs of full-range checks
  netlink-ops.h      the handlers' prototypes and the multicast group enum
  netlink-ops.c      the genl_ops table (Linux 6.1's non-split ops), the
                     multicast groups and the genl_family

The generated files are committed; kmod's build regenerates them when the
spec or this script is newer, and tests/host/check-gen.py fails if they are
stale. Borrowed from the kernel's ynl-gen (which targets split ops, 6.2+):

  - an attribute set named S gives l2tp_ipsec_<s>_nl_policy, indexed up to
    its highest attribute; a "subset-of" set takes the types and checks of
    its superset's attributes and may name other nested-attributes;
  - scalar checks: min, max (a number or the name of a const); an attribute
    with an enum and no check of a bound is validated to the enum's range,
    written with the enum's C names; a bound beyond s16 (6.1's nla_policy)
    is a NLA_POLICY_FULL_RANGE with a range struct; binary: exact-len;
  - u32 with byte-order big-endian is NLA_BE32.

Operations (6.1 genl_ops carry one policy for do and dump):

  - an op's policy is its attribute-set's policy if its request lists
    attributes, else the shared empty policy of the family's root set
    (l2tp_ipsec_empty_req_nl_policy): no attribute at all;
  - a do and a dump request of one op must list the same attributes, and a
    dump without a request is validated with the do's policy;
  - flags: admin-perm is GENL_ADMIN_PERM; do gives .doit
    l2tp_ipsec_nl_<op>_doit, dump gives .dumpit l2tp_ipsec_nl_<op>_dumpit;
  - ops with neither (events) are not in the table.

The family: name, version ("version", default 1), netnsok, every op
strictly validated (resv_start_op is the first op).
"""

import argparse
import os
import sys

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SPEC = os.path.join(ROOT, "Documentation/netlink/specs/l2tp_ipsec.yaml")
SPEC_REL = "Documentation/netlink/specs/l2tp_ipsec.yaml"

S16_MIN, S16_MAX = -32768, 32767
TYPE_MAX = {"u8": 0xff, "u16": 0xffff, "u32": 0xffffffff,
            "u64": 0xffffffffffffffff}
NLA_TYPE = {"u8": "NLA_U8", "u16": "NLA_U16", "u32": "NLA_U32",
            "u64": "NLA_U64", "flag": "NLA_FLAG", "binary": "NLA_BINARY",
            "string": "NLA_NUL_STRING"}


class SpecError(Exception):
    pass


def c_upper(name):
    return name.upper().replace("-", "_")


def c_lower(name):
    return name.lower().replace("-", "_")


class Family:
    def __init__(self, spec):
        self.spec = spec
        self.name = spec["name"]
        self.up = c_upper(self.name)
        self.low = c_lower(self.name)
        self.consts = {}
        self.enums = {}
        for d in spec.get("definitions", []):
            if d["type"] == "const":
                self.consts[d["name"]] = d["value"]
            elif d["type"] == "enum":
                entries = [e["name"] if isinstance(e, dict) else e
                           for e in d["entries"]]
                self.enums[d["name"]] = (d.get("value-start", 0), entries)
        self.sets = {s["name"]: s for s in spec["attribute-sets"]}
        self.root = spec["attribute-sets"][0]["name"]
        self.ranges = []	# (C name, min text, max text)
        self.policies = []	# (set name, C lines)
        self.done = set()

    # Names -------------------------------------------------------------

    def real_set(self, sname):
        s = self.sets[sname]
        return s.get("subset-of", sname)

    def attr_enum(self, sname, aname):
        real = self.real_set(sname)
        if c_lower(real) == self.low:
            return "%s_A_%s" % (self.up, c_upper(aname))
        if real == "port" and aname == "port":	# the header's exception
            return "%s_A_PORT" % self.up
        return "%s_A_%s_%s" % (self.up, c_upper(real), c_upper(aname))

    def policy_name(self, sname):
        return "%s_%s_nl_policy" % (self.low, c_lower(sname))

    def const_c(self, name):
        return "%s_%s" % (self.up, c_upper(name))

    # Attributes --------------------------------------------------------

    def attr(self, sname, aname):
        """The attribute @aname of set @sname, merged with its superset's."""
        s = self.sets[sname]
        local = next((a for a in s["attributes"] if a["name"] == aname), None)
        if local is None:
            raise SpecError("set %s has no attribute %s" % (sname, aname))
        if "subset-of" not in s:
            return dict(local)
        sup = self.attr(s["subset-of"], aname)
        for key in local:
            if key not in ("name", "nested-attributes"):
                raise SpecError("set %s: %s: subset attributes may only "
                                "name nested-attributes, not %s"
                                % (sname, aname, key))
        sup.update(local)
        return sup

    def attr_index(self, sname, aname):
        real = self.sets[self.real_set(sname)]
        names = [a["name"] for a in real["attributes"]]
        return names.index(aname) + 1

    def bound(self, value, enum):
        """(number, C text) of a check's bound."""
        if isinstance(value, int):
            if enum is not None:
                start, entries = self.enums[enum]
                i = value - start
                if 0 <= i < len(entries):
                    return value, "%s_%s_%s" % (self.up, c_upper(enum),
                                                c_upper(entries[i]))
            return value, str(value)
        if value in self.consts:
            return self.consts[value], self.const_c(value)
        raise SpecError("unknown bound %s" % value)

    def scalar_policy(self, sname, a):
        t = a["type"]
        checks = dict(a.get("checks", {}))
        enum = a.get("enum")
        for key in checks:
            if key not in ("min", "max"):
                raise SpecError("%s.%s: check %s on %s" % (sname, a["name"], key, t))
        if a.get("byte-order") == "big-endian":
            if t != "u32" or checks or enum:
                raise SpecError("%s.%s: only unchecked big-endian u32 is "
                                "handled" % (sname, a["name"]))
            return "{ .type = NLA_BE32 }"
        if enum is not None:
            start, entries = self.enums[enum]
            if start != 0 or "min" in checks:
                checks.setdefault("min", start)
            checks.setdefault("max", start + len(entries) - 1)
        nla = NLA_TYPE[t]
        if not checks:
            return "{ .type = %s }" % nla
        lo = self.bound(checks["min"], enum) if "min" in checks else None
        hi = self.bound(checks["max"], enum) if "max" in checks else None
        fits = all(b is None or S16_MIN <= b[0] <= S16_MAX for b in (lo, hi))
        if fits:
            if lo and hi:
                return "NLA_POLICY_RANGE(%s, %s, %s)" % (nla, lo[1], hi[1])
            if lo:
                return "NLA_POLICY_MIN(%s, %s)" % (nla, lo[1])
            return "NLA_POLICY_MAX(%s, %s)" % (nla, hi[1])
        rname = "%s_a_%s_%s_range" % (self.low, c_lower(self.real_set(sname)),
                                      c_lower(a["name"]))
        if rname not in [r[0] for r in self.ranges]:
            self.ranges.append((rname, lo[1] if lo else "0",
                                hi[1] if hi else str(TYPE_MAX[t])))
        return "NLA_POLICY_FULL_RANGE(%s, &%s)" % (nla, rname)

    def attr_policy(self, sname, aname):
        a = self.attr(sname, aname)
        t = a["type"]
        if t == "nest":
            nested = a["nested-attributes"]
            self.gen_set(nested)
            return "NLA_POLICY_NESTED(%s)" % self.policy_name(nested)
        if t == "flag":
            if a.get("checks"):
                raise SpecError("%s.%s: checks on a flag" % (sname, aname))
            return "{ .type = NLA_FLAG }"
        if t == "binary":
            checks = a.get("checks", {})
            if set(checks) - {"exact-len"}:
                raise SpecError("%s.%s: binary checks %s" % (sname, aname, checks))
            if "exact-len" in checks:
                n = self.bound(checks["exact-len"], None)[1]
                return "NLA_POLICY_EXACT_LEN(%s)" % n
            return "{ .type = NLA_BINARY }"
        if t in ("u8", "u16", "u32", "u64"):
            return self.scalar_policy(sname, a)
        raise SpecError("%s.%s: type %s in a request" % (sname, aname, t))

    # Policies ----------------------------------------------------------

    def policy_size(self, sname):
        last = max(self.attr_index(sname, a["name"])
                   for a in self.sets[sname]["attributes"])
        real = self.sets[self.real_set(sname)]
        return self.attr_enum(sname, real["attributes"][last - 1]["name"])

    def gen_set(self, sname, only=None):
        """The policy of set @sname (its @only attributes if given)."""
        if sname in self.done:
            return
        self.done.add(sname)
        s = self.sets[sname]
        names = [a["name"] for a in s["attributes"]]
        if only is not None and only != names:
            raise SpecError("set %s: a request lists %s, the set %s"
                            % (sname, only, names))
        names.sort(key=lambda n: self.attr_index(sname, n))
        entries = [(self.attr_enum(sname, n), self.attr_policy(sname, n))
                   for n in names]
        self.policies.append((sname, self.policy_size(sname), entries,
                              s.get("doc")))

    # Operations ---------------------------------------------------------

    def ops(self):
        out = []
        for o in self.spec["operations"]["list"]:
            if "do" not in o and "dump" not in o:
                continue
            reqs = []
            for kind in ("do", "dump"):
                if kind in o and o[kind] and "request" in o[kind]:
                    reqs.append(o[kind]["request"].get("attributes", []))
            if len(reqs) == 2 and reqs[0] != reqs[1]:
                raise SpecError("op %s: do and dump requests differ (6.1 ops "
                                "carry one policy)" % o["name"])
            attrs = reqs[0] if reqs else []
            sname = o.get("attribute-set", self.root)
            if attrs:
                self.gen_set(sname, attrs)
                policy = self.policy_name(sname)
                maxattr = self.policy_size(sname)
            else:
                policy = "%s_empty_req_nl_policy" % self.low
                maxattr = "%s_A_MAX" % self.up
            flags = []
            for f in o.get("flags", []):
                if f != "admin-perm":
                    raise SpecError("op %s: flag %s" % (o["name"], f))
                flags.append("GENL_ADMIN_PERM")
            handlers = []
            base = "%s_nl_%s" % (self.low, c_lower(o["name"]))
            if "do" in o:
                handlers.append(("doit", base + "_doit"))
            if "dump" in o:
                handlers.append(("dumpit", base + "_dumpit"))
            out.append({"cmd": "%s_CMD_%s" % (self.up, c_upper(o["name"])),
                        "name": o["name"], "handlers": handlers,
                        "policy": policy, "maxattr": maxattr,
                        "flags": " | ".join(flags)})
        return out


def banner(comment_start):
    return [comment_start,
            "/* Generated by scripts/nlgen.py from the YAML spec: do not edit. */",
            "/* Spec: %s */" % SPEC_REL]


def width(line):
    return len(line.expandtabs(8))


def wrap_assign(lhs, rhs, indent="\t"):
    line = "%s%s = %s," % (indent, lhs, rhs)
    if width(line) <= 80:
        return [line]
    first = "%s%s =" % (indent, lhs)
    line = "%s\t%s," % (indent, rhs)
    if width(line) <= 80 or "(" not in rhs:
        return [first, line]
    # Break a macro's arguments, aligned after its parenthesis.
    head, args = rhs.split("(", 1)
    args = args[:-1].split(", ")
    lines = ["%s\t%s(%s" % (indent, head, args[0])]
    pad = tabify(" " * (width("%s\t%s(" % (indent, head))))
    for arg in args[1:]:
        if width(lines[-1] + ", " + arg + "),") <= 80:
            lines[-1] += ", " + arg
        else:
            lines[-1] += ","
            lines.append(pad + arg)
    lines[-1] += "),"
    return [first] + lines


def wrap_decl(prefix, name, size, suffix):
    one = "%s %s[%s + 1]%s" % (prefix, name, size, suffix)
    if len(one) <= 80:
        return [one]
    return [prefix, "%s[%s + 1]%s" % (name, size, suffix)]


def comment(text):
    words = " ".join(text.split())
    if len(words) <= 74:
        return ["/* %s */" % words]
    lines, cur = ["/*"], " *"
    for w in words.split():
        if len(cur) + 1 + len(w) > 78:
            lines.append(cur)
            cur = " *"
        cur += " " + w
    return lines + [cur, " */"]


def generate(spec):
    fam = Family(spec)
    ops = fam.ops()
    empty = any(o["policy"].endswith("_empty_req_nl_policy") for o in ops)
    up = fam.up
    low = fam.low
    files = {}

    # netlink-policy.h
    h = banner("/* SPDX-License-Identifier: GPL-2.0 */")
    guard = "_%s_NETLINK_POLICY_H" % up
    h += ["", "#ifndef " + guard, "#define " + guard, "",
          "#include <net/netlink.h>", "#include <linux/%s.h>" % low, ""]
    for sname, size, _, _ in fam.policies:
        h += wrap_decl("extern const struct nla_policy", fam.policy_name(sname),
                       size, ";")
    if empty:
        h += wrap_decl("extern const struct nla_policy",
                       "%s_empty_req_nl_policy" % low, "%s_A_MAX" % up, ";")
    h += ["", "#endif /* %s */" % guard]
    files["netlink-policy.h"] = h

    # netlink-policy.c
    c = banner("// SPDX-License-Identifier: GPL-2.0")
    c += ["", '#include "netlink-policy.h"']
    for rname, lo, hi in fam.ranges:
        # 6.1's nla_policy points to a non-const range.
        c += ["", "static struct netlink_range_validation %s = {" % rname,
              "\t.min = %s," % lo, "\t.max = %s," % hi, "};"]
    for sname, size, entries, doc in fam.policies:
        c += [""]
        if doc:
            c += comment(doc)
        c += wrap_decl("const struct nla_policy", fam.policy_name(sname), size,
                       " = {")
        for idx, pol in entries:
            c += wrap_assign("[%s]" % idx, pol)
        c += ["};"]
    if empty:
        c += ["", "/* Requests that take no attribute at all. */"]
        c += wrap_decl("const struct nla_policy", "%s_empty_req_nl_policy" % low,
                       "%s_A_MAX" % up, ";")
    files["netlink-policy.c"] = c

    # netlink-ops.h
    groups = [g["name"] for g in spec.get("mcast-groups", {}).get("list", [])]
    h = banner("/* SPDX-License-Identifier: GPL-2.0 */")
    guard = "_%s_NETLINK_OPS_H" % up
    h += ["", "#ifndef " + guard, "#define " + guard, "",
          "#include <net/genetlink.h>", ""]
    for o in ops:
        for kind, fn in o["handlers"]:
            if kind == "doit":
                args = "struct sk_buff *skb, struct genl_info *info"
            else:
                args = "struct sk_buff *skb, struct netlink_callback *cb"
            one = "int %s(%s);" % (fn, args)
            if len(one) <= 80:
                h.append(one)
            else:
                a, b = args.split(", ")
                h += ["int %s(%s," % (fn, a),
                      " " * (len("int %s(" % fn)) + b + ");"]
                h[-1] = tabify(h[-1])
    if groups:
        h += ["", "enum %s_nlgrp {" % low]
        h += ["\t%s_NLGRP_%s," % (up, c_upper(g)) for g in groups]
        h += ["};"]
    h += ["", "extern struct genl_family %s_nl_family;" % low,
          "", "#endif /* %s */" % guard]
    files["netlink-ops.h"] = h

    # netlink-ops.c
    c = banner("// SPDX-License-Identifier: GPL-2.0")
    c += ["", "#include <net/genetlink.h>", "",
          '#include "netlink-ops.h"', '#include "netlink-policy.h"', "",
          "static const struct genl_ops %s_nl_ops[] = {" % low]
    for o in ops:
        c += ["\t{", "\t\t.cmd = %s," % o["cmd"]]
        for kind, fn in o["handlers"]:
            c += wrap_assign(".%s" % kind, fn, "\t\t")
        c += wrap_assign(".policy", o["policy"], "\t\t")
        c += wrap_assign(".maxattr", o["maxattr"], "\t\t")
        if o["flags"]:
            c += ["\t\t.flags = %s," % o["flags"]]
        c += ["\t},"]
    c += ["};"]
    if groups:
        c += ["", "static const struct genl_multicast_group %s_nl_mcgrps[] = {"
              % low]
        for g in groups:
            c += ["\t[%s_NLGRP_%s] = { .name = %s_MCGRP_%s },"
                  % (up, c_upper(g), up, c_upper(g))]
        c += ["};"]
    c += ["", "struct genl_family %s_nl_family __ro_after_init = {" % low,
          "\t.name = %s_GENL_NAME," % up,
          "\t.version = %s_GENL_VERSION," % up,
          "\t.netnsok = true,",
          "\t.module = THIS_MODULE,",
          "\t.ops = %s_nl_ops," % low,
          "\t.n_ops = ARRAY_SIZE(%s_nl_ops)," % low,
          "\t.resv_start_op = %s," % ops[0]["cmd"]]
    if groups:
        c += ["\t.mcgrps = %s_nl_mcgrps," % low,
              "\t.n_mcgrps = ARRAY_SIZE(%s_nl_mcgrps)," % low]
    c += ["};"]
    files["netlink-ops.c"] = c
    return {k: "\n".join(v) + "\n" for k, v in files.items()}


def tabify(line):
    n = len(line) - len(line.lstrip(" "))
    return "\t" * (n // 8) + " " * (n % 8) + line.lstrip(" ")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--spec", default=SPEC)
    ap.add_argument("--out", default=os.path.join(ROOT, "kmod"))
    args = ap.parse_args()
    with open(args.spec) as f:
        spec = yaml.safe_load(f)
    try:
        files = generate(spec)
    except (SpecError, KeyError, ValueError) as e:
        print("nlgen: %s: %s" % (args.spec, e), file=sys.stderr)
        return 1
    os.makedirs(args.out, exist_ok=True)
    for name, text in sorted(files.items()):
        path = os.path.join(args.out, name)
        try:
            with open(path) as f:
                if f.read() == text:
                    os.utime(path)	# up to date: newer than its inputs
                    continue
        except FileNotFoundError:
            pass
        tmp = path + ".tmp"
        with open(tmp, "w") as f:
            f.write(text)
        os.replace(tmp, path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
