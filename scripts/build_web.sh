#!/usr/bin/env bash
# Builds the web app into web/dist (served by `seedcast serve`): npm packages from the lock file
# (`npm ci`; nothing is fetched at run time), a TypeScript check, then Vite.
set -euo pipefail
cd "$(dirname "$0")/../web"
npm ci --no-audit --no-fund --silent
npm run build --silent >&2
