#!/usr/bin/env bash
# A self-signed certificate for a trial or CI: deploy/selfsigned-cert.sh DIR [NAME]. Browsers warn
# about it; a real site puts its CA-issued fullchain.pem and privkey.pem into DIR instead.
set -euo pipefail
dir="${1:?usage: $0 DIR [NAME]}"
name="${2:-localhost}"
mkdir -p "$dir"
openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=$name" \
  -addext "subjectAltName=DNS:$name" \
  -keyout "$dir/privkey.pem" -out "$dir/fullchain.pem" 2>/dev/null
chmod 600 "$dir/privkey.pem"
echo "self-signed certificate for $name in $dir"
