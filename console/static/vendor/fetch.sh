#!/bin/sh
# Fetch the pinned htmx build from the npm registry into console/static/vendor/.
# Pinned here (and checked by integrity) so every install serves the same bytes; never a CDN.
# Run by the test and run scripts (console.vendor.ensure_vendor calls it when the file is missing).
set -eu
HTMX_VERSION="2.0.11"
HTMX_INTEGRITY="sha512-Thx/WtpeOQqSrqBCw/A1cwGJGg4UrVa3+sW0GmrM3p4gJgO89ecH4qtbnyzDDWFvBTqjnIMCgELTNt636dtamA=="

here="$(cd "$(dirname "$0")" && pwd)"
if [ -f "$here/htmx.min.js" ] && [ "$(cat "$here/htmx.version" 2>/dev/null)" = "$HTMX_VERSION" ]; then
  exit 0
fi
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cd "$work"
tarball="$(npm pack --silent "htmx.org@$HTMX_VERSION")"
got="sha512-$(openssl dgst -sha512 -binary "$tarball" | openssl base64 -A)"
if [ "$got" != "$HTMX_INTEGRITY" ]; then
  echo "htmx.org@$HTMX_VERSION integrity mismatch: $got" >&2
  exit 1
fi
tar -xzf "$tarball"
cp package/dist/htmx.min.js "$here/htmx.min.js"
echo "$HTMX_VERSION" > "$here/htmx.version"
echo "htmx.org@$HTMX_VERSION -> $here/htmx.min.js"
