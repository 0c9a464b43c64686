#!/bin/sh
# After install and after removal: the desktop's databases of file types and menu entries
# learn at once that Credence's workspace type and entry came or went (both tools optional).
set -e
if command -v update-mime-database >/dev/null 2>&1; then
  update-mime-database /usr/share/mime || true
fi
if command -v update-desktop-database >/dev/null 2>&1; then
  update-desktop-database -q /usr/share/applications || true
fi
exit 0
