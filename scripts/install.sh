#!/usr/bin/env bash
# Puts `fabricscope` on PATH: builds the release binary (Swift runtime linked in, as
# scripts/demo.sh does) and copies it to PREFIX/bin, by default ~/.local/bin (or
# /usr/local/bin as root). Refuses to replace a different binary there without --force.
#
#   scripts/install.sh [--prefix DIR] [--force]
#
# The copied binary needs only Debian's libpcap0.8, libsqlite3-0, zlib1g and libstdc++6 at run
# time (no Swift toolchain), so it can also be copied to other hosts of the same
# architecture.
set -euo pipefail
cd "$(dirname "$0")/.."
prefix=$([[ $(id -u) -eq 0 ]] && echo /usr/local || echo "$HOME/.local") force=0
while (($#)); do
  case $1 in
    --prefix) prefix=$2; shift 2 ;;
    --force) force=1; shift ;;
    *) echo "usage: scripts/install.sh [--prefix DIR] [--force]" >&2; exit 2 ;;
  esac
done
scripts/setup.sh
swift build -c release --static-swift-stdlib --product fabricscope >&2
built=.build/release/fabricscope target="$prefix/bin/fabricscope"
mkdir -p "$prefix/bin"
if [[ -e $target ]] && ! cmp -s "$built" "$target" && ((force == 0)); then
  echo "install.sh: $target exists and differs; --force replaces it" >&2
  exit 2
fi
install -m 0755 "$built" "$target"
echo "installed $target ($("$target" --version))"
case ":$PATH:" in
  *":$prefix/bin:"*) ;;
  *) echo "note: $prefix/bin is not on PATH; add it, e.g. export PATH=\"$prefix/bin:\$PATH\"" ;;
esac
