#!/bin/sh
# Embed a text file in the binary as a C string: embed.sh FILE SYMBOL
set -eu
printf '/* Generated from %s by collector/embed.sh; do not edit. */\n' "$1"
printf 'const char %s[] =\n' "$2"
sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/\t"/' -e 's/$/\\n"/' "$1"
printf ';\n'
