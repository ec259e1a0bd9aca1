#!/usr/bin/env python3
"""Puts each file's top include block in the house order: standard and third-party headers
first, a blank line, then godefer headers, each group sorted, godefer headers spelled
<godefer/...>. Only the first run of #include lines (blank lines allowed) is rewritten; includes
under #if stay where they are.

    python3 tools/fix_includes.py [--check] FILE...
"""
import re
import sys

INCLUDE = re.compile(r'#include\s+([<"])([^>"]+)[>"]')


def fix(path, write=True):
    lines = open(path).read().split('\n')
    end = next((i for i, l in enumerate(lines) if l.startswith('namespace ')), len(lines))
    first = next((i for i in range(end) if INCLUDE.match(lines[i])), None)
    if first is None:
        return False
    last = first
    i = first
    while i < end and (INCLUDE.match(lines[i]) or lines[i].strip() == ''):
        if INCLUDE.match(lines[i]):
            last = i
        i += 1
    found = [INCLUDE.match(l) for l in lines[first:last + 1] if INCLUDE.match(l)]
    # clang-format's order inside a block (Google style): <name.h> headers, then the others.
    std = sorted({m.group(2) for m in found if m.group(1) == '<' and not m.group(2).startswith('godefer/')},
                 key=lambda n: (not n.endswith('.h'), n))
    own = sorted({m.group(2) for m in found if m.group(2).startswith('godefer/')})
    local = sorted({m.group(2) for m in found if m.group(1) == '"' and not m.group(2).startswith('godefer/')})
    block = []
    for group, fmt in ((std, '#include <%s>'), (own, '#include <%s>'), (local, '#include "%s"')):
        if group:
            if block:
                block.append('')
            block += [fmt % n for n in group]
    new = lines[:first] + block + lines[last + 1:]
    if new != lines:
        if write:
            open(path, 'w').write('\n'.join(new))
        return True
    return False


if __name__ == '__main__':
    check = '--check' in sys.argv[1:]
    bad = [p for p in sys.argv[1:] if p != '--check' and fix(p, write=not check)]
    for p in bad:
        print(('includes out of the house order: ' if check else 'fixed ') + p)
    sys.exit(1 if check and bad else 0)
