#!/usr/bin/env python3
"""Puts each header's top include block in the house order: standard headers first, a blank
line, then godefer headers, each group sorted, godefer headers spelled <godefer/...>.
Only the unconditional run of #include lines before the first namespace is rewritten.

    python3 tools/fix_includes.py include/godefer/*.hpp include/godefer/detail/*.hpp
"""
import re
import sys

INCLUDE = re.compile(r'#include\s+[<"]([^>"]+)[>"]')


def fix(path):
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
    names = [INCLUDE.match(l).group(1) for l in lines[first:last + 1] if INCLUDE.match(l)]
    std = sorted({n for n in names if not n.startswith('godefer/')})
    own = sorted({n for n in names if n.startswith('godefer/')})
    block = ['#include <%s>' % n for n in std]
    if std and own:
        block.append('')
    block += ['#include <%s>' % n for n in own]
    new = lines[:first] + block + lines[last + 1:]
    if new != lines:
        open(path, 'w').write('\n'.join(new))
        return True
    return False


if __name__ == '__main__':
    for p in sys.argv[1:]:
        if fix(p):
            print('fixed', p)
