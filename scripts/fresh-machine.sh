#!/usr/bin/env bash
# Runs the README's two commands (install + demo; test) on a clean clone of this repository as a
# machine with only Node and the base Debian image would: the optional parts scripts/install-deps.sh
# adds (bubblewrap, Chromium, Xvfb, xdotool, ImageMagick, LibreOffice, pdftoppm, Redis) are taken
# off PATH in a private mount namespace, so a test that needs one must skip with its reason and one
# that does not must pass without it. A green `npm test` here can hide nothing installed by hand.
#   sudo bash scripts/fresh-machine.sh [REF]     (REF: what to clone; default HEAD)
# Needs root (unshare -m, mount --bind). Leaves the clone in a temp folder and says where.
set -euo pipefail

if [ "${1:-}" != "--inside" ]; then
  [ "$(id -u)" = 0 ] || { echo "fresh-machine: needs root (a private mount namespace hides the optional parts)" >&2; exit 1; }
  repo=$(git rev-parse --show-toplevel)
  ref=${1:-HEAD}
  clone=$(mktemp -d /tmp/colleague-fresh-XXXXXX)
  # Readable by everyone: some tests run colleague as an unprivileged user.
  chmod 755 "$clone"
  git clone -q "$repo" "$clone"
  git -C "$clone" checkout -q "$(git -C "$repo" rev-parse "$ref")"
  echo "fresh-machine: $(git -C "$clone" log --oneline -1) in $clone"
  # A hidden /usr directory keeps relative lookups working (gcc finds cc1 through ../lib from its own path).
  mkdir -p /usr/.colleague-origbin
  status=0
  unshare -m bash "$0" --inside "$clone" || status=$?
  rmdir /usr/.colleague-origbin 2>/dev/null || true
  exit "$status"
fi

clone=$2
HIDDEN=" bwrap chromium chromium-browser soffice libreoffice localc loimpress lowriter Xvfb xvfb-run xdotool convert magick import openbox pdftoppm redis-server redis-cli "
orig=/usr/.colleague-origbin
fake=$(mktemp -d /tmp/colleague-fakebin-XXXXXX)
chmod 755 "$fake"
mount --bind /usr/bin "$orig"
for f in /usr/bin/*; do
  name=$(basename "$f")
  case "$HIDDEN" in *" $name "*) continue ;; esac
  if [ -L "$f" ]; then
    target=$(readlink -f "$f")
    case "$target" in /usr/bin/*) target="$orig/${target#/usr/bin/}" ;; esac
  else
    target="$orig/$name"
  fi
  ln -s "$target" "$fake/$name"
done
mount --bind "$fake" /usr/bin
for part in bwrap chromium soffice Xvfb redis-server; do
  if command -v "$part" >/dev/null; then echo "fresh-machine: $part is still on PATH ($(command -v "$part")); take it off PATH first" >&2; exit 1; fi
done
cd "$clone"
npm install
node bin/colleague.js demo
npm test
