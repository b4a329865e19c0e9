#!/bin/sh
# Remake the LibreOffice-written sample workbooks of fixtures/workbooks/ from their sources in
# fixtures/workbooks/source/ (see fixtures/workbooks/README.md). Run by hand when a source
# changes; the tests and CI only read the committed results and never run LibreOffice.
#
# Needs Debian's LibreOffice without a GUI:
#   apt-get install -y --no-install-recommends libreoffice-calc-nogui
set -eu
cd "$(dirname "$0")/../fixtures/workbooks"
profile=$(mktemp -d)
trap 'rm -rf "$profile"' EXIT
convert() {  # source.fods format [name]
    HOME="$profile" soffice --headless "-env:UserInstallation=file://$profile/user" \
        --convert-to "$2" --outdir "$profile/out" "source/$1" >/dev/null 2>&1
    cp "$profile/out/${1%.fods}.$2" "${3:-libreoffice-${1%.fods}.$2}"
}
convert roster.fods xlsx
convert roster.fods xls
convert roster.fods ods
convert roster-whole-sheet.fods xlsx
soffice --version | grep . | sed "s/^/made with /"
