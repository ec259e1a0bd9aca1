#!/usr/bin/env bash
# One house style: every C++ file of include/, src/, tests/, examples/ and bench/ is formatted by
# the repository's .clang-format (clang-format 14, as Debian 12 ships it), and its includes are in
# the house order (tools/fix_includes.py). Prints the files that differ and fails if there are any.
#
#   tools/check_format.sh          check (CI)
#   tools/check_format.sh --fix    rewrite the files in place
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
mapfile -t files < <(git ls-files 'include/*.hpp' 'tests/*.cpp' 'tests/*.hpp' 'examples/*.cpp' \
  'examples/*.hpp' 'bench/*.cpp' 'bench/*.hpp' 'src/*.cpp' 'src/*.hpp')
if [[ "${1:-}" == "--fix" ]]; then
  python3 tools/fix_includes.py "${files[@]}"
  clang-format -i "${files[@]}"
  exit 0
fi
python3 tools/fix_includes.py --check "${files[@]}"
clang-format --dry-run --Werror "${files[@]}"
echo "format: ${#files[@]} files in the house style"
