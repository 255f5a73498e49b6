#!/usr/bin/env bash
# What colleague's tests and sandbox use from the system, for developers on Debian or Ubuntu:
# bubblewrap (the first sandbox backend), util-linux (unshare, setpriv, mount: the second),
# tmux (the terminal UI tests), git and curl, chromium (the browser tools and the dashboard's
# browser tests, driven by playwright-core, which never downloads a browser), xvfb, xdotool,
# imagemagick and openbox (the desktop of computer use), LibreOffice and poppler-utils (office
# rendering), redis-server and postgresql (the scale-out tests). Idempotent: installs only what is missing.
set -euo pipefail

need=()
command -v bwrap >/dev/null || need+=(bubblewrap)
{ command -v unshare && command -v setpriv; } >/dev/null || need+=(util-linux)
command -v tmux >/dev/null || need+=(tmux)
command -v git >/dev/null || need+=(git)
command -v curl >/dev/null || need+=(curl)
[ -x /usr/bin/chromium ] || need+=(chromium)
# Office rendering (office_render): LibreOffice converts to PDF, pdftoppm draws the pages.
command -v soffice >/dev/null || need+=(libreoffice-calc libreoffice-impress libreoffice-writer)
command -v pdftoppm >/dev/null || need+=(poppler-utils)
# Computer use: the desktop's virtual display, input, screenshots and window manager.
command -v Xvfb >/dev/null || need+=(xvfb)
command -v xdotool >/dev/null || need+=(xdotool)
command -v import >/dev/null || need+=(imagemagick)
command -v openbox >/dev/null || need+=(openbox)
# The scaled-out store and queue (scripts/services.sh starts them on 127.0.0.1 for the tests).
command -v redis-server >/dev/null || need+=(redis-server)
ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || need+=(postgresql)
if [ "${#need[@]}" -eq 0 ]; then
  echo "install-deps: everything is installed"
  exit 0
fi
if ! command -v apt-get >/dev/null; then
  echo "install-deps: please install ${need[*]} with your package manager" >&2
  exit 1
fi
sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
$sudo apt-get update -qq
$sudo apt-get install -y -qq "${need[@]}" >/dev/null
echo "install-deps: installed ${need[*]}"
