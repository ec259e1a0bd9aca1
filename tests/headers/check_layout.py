#!/usr/bin/env python3
"""The layout and house rules of include/godefer, checked on every header:

  - no #include after the first namespace, and no include cycle;
  - a detail/ header includes no public header (the machinery sits below the public API);
  - no header includes the headers kept for 0.1 (errors.hpp, panic_value.hpp, panic_site.hpp);
  - godefer headers are included as <godefer/...>, after the standard headers;
  - one namespace form: `namespace godefer {` or `namespace godefer::detail {` at file level,
    never a `namespace detail {` opened inside `namespace godefer`;
  - each header starts with `// godefer/<its path>:` and a usage comment;
  - internal macros are GODEFER_DETAIL_*; any other GODEFER_ macro is a public one, listed in
    docs/headers.md;
  - static_assert messages read "godefer::<entity>: <rule>; <fix>.";
  - comments cite only documents of the repository: no SPEC, RULES.md or issue numbers, and
    every Go rule id (R11, R27b, ...) is listed in docs/go-rules.md.

    python3 tests/headers/check_layout.py <repository root>
Prints each violation as path:line: message and exits 1 if there is any.
"""
import os
import re
import sys

root = os.path.abspath(sys.argv[1] if len(sys.argv) > 1 else '.')
inc = os.path.join(root, 'include')
errors = []


def err(path, line, msg):
    errors.append('%s:%d: %s' % (os.path.relpath(path, root), line, msg))


headers = []
for d, _, files in os.walk(os.path.join(inc, 'godefer')):
    headers += [os.path.join(d, f) for f in files if f.endswith('.hpp')]
headers.sort()

COMPAT = {'godefer/errors.hpp', 'godefer/panic_value.hpp', 'godefer/panic_site.hpp'}
INCLUDE = re.compile(r'\s*#\s*include\s+([<"])([^>"]+)[>"]')
rules_doc = os.path.join(root, 'docs', 'go-rules.md')
rule_ids = set(re.findall(r'\bR\d+[a-z]?\b', open(rules_doc).read())) if os.path.exists(rules_doc) else set()
headers_doc = os.path.join(root, 'docs', 'headers.md')
public_macros = set(re.findall(r'\bGODEFER_[A-Z0-9_]+', open(headers_doc).read())) if os.path.exists(headers_doc) else set()
graph = {}

for path in headers:
    rel = os.path.relpath(path, inc)
    text = open(path).read()
    lines = text.split('\n')
    is_detail = rel.startswith('godefer/detail/')
    if not lines[0].startswith('// %s: ' % rel):
        err(path, 1, 'the header must start with "// %s: <what it is>" and a usage comment' % rel)
    graph[rel] = []
    first_ns = None
    seen_own = False
    depth_godefer = False
    cond = 0  # depth of #if blocks, the include guard's included
    for n, line in enumerate(lines, 1):
        stripped = line.strip()
        if re.match(r'#\s*if', stripped):
            cond += 1
        elif re.match(r'#\s*endif', stripped):
            cond -= 1
        m = INCLUDE.match(line)
        if m:
            quote, name = m.groups()
            if first_ns is not None:
                err(path, n, 'an #include after the first namespace (line %d)' % first_ns)
            if name.startswith('godefer/'):
                graph[rel].append(name)
                seen_own = True
                if quote != '<':
                    err(path, n, 'include godefer headers as <%s>' % name)
                if is_detail and not name.startswith('godefer/detail/'):
                    err(path, n, 'a detail/ header includes the public header %s' % name)
                if name in COMPAT and rel not in COMPAT:
                    err(path, n, '%s is kept for code written for 0.1; include <godefer/panic.hpp>' % name)
            elif seen_own and cond <= 1 and first_ns is None:
                err(path, n, 'standard header <%s> after a godefer header: standard headers first' % name)
        if re.match(r'namespace\s', stripped):
            if first_ns is None:
                first_ns = n
            if line.startswith('namespace '):
                if not re.match(r'namespace godefer(::detail)? \{$', line):
                    err(path, n, 'file-level namespaces are `namespace godefer {` or `namespace godefer::detail {`')
                depth_godefer = line.startswith('namespace godefer {')
            elif depth_godefer and re.match(r'namespace detail\b', stripped):
                err(path, n, 'open `namespace godefer::detail {` at file level, not inside namespace godefer')
        for macro in re.findall(r'\b(GODEFER_[A-Z0-9_]+)', line):
            if macro.startswith('GODEFER_DETAIL_') or macro.endswith('_HPP') or macro.endswith('_'):
                continue
            if macro not in public_macros:
                err(path, n, '%s is neither GODEFER_DETAIL_* nor a public macro listed in docs/headers.md' % macro)
        if '//' in line or stripped.startswith('*'):
            comment = line[line.find('//'):] if '//' in line else line
            if re.search(r'\bSPEC\b|RULES\.md|\bissue \d+|\bIssue \d+', comment):
                err(path, n, 'a comment cites a document outside the repository: ' + comment.strip())
            for rid in re.findall(r'\bR\d+[a-z]?\b', comment):
                if rid not in rule_ids:
                    err(path, n, 'rule id %s is not listed in docs/go-rules.md' % rid)
    for m in re.finditer(r'static_assert\s*\((?:[^;]*?),\s*((?:"[^"]*"\s*)+)\)', text, re.S):
        msg = ''.join(re.findall(r'"([^"]*)"', m.group(1)))
        n = text[:m.start()].count('\n') + 1
        if not re.match(r'godefer::[A-Za-z_:<>]+: [^;]+; .+\.$', msg):
            err(path, n, 'static_assert message "%s" is not "godefer::<entity>: <rule>; <fix>."' % msg)

# Include cycles (depth-first search over the godefer include graph).
state = {}


def visit(h, stack):
    state[h] = 1
    for d in graph.get(h, []):
        if state.get(d) == 1:
            cyc = stack[stack.index(d):] + [d] if d in stack else [h, d]
            errors.append('include cycle: ' + ' -> '.join(cyc))
        elif state.get(d) is None and d in graph:
            visit(d, stack + [d])
    state[h] = 2


for h in sorted(graph):
    if h not in state:
        visit(h, [h])

for e in errors:
    print(e)
print('%d headers checked, %d violations' % (len(headers), len(errors)))
sys.exit(1 if errors else 0)
