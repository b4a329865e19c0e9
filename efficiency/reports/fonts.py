"""The Chinese font the PDFs are set in: found once per process, declared to WeasyPrint once.

Where it comes from, first found wins:

1. ``$REPORT_FONT_DIR`` or ``var/fonts/``: Noto Serif SC Regular (宋体 for the text) and Noto
   Sans SC Bold (黑体 for titles, headers and emphasis), whole TrueType files (SIL Open Font
   Licence 1.1) from the npm packages ``@expo-google-fonts/noto-serif-sc`` and
   ``@expo-google-fonts/noto-sans-sc``. ``python -m efficiency.reports.fonts install`` puts them
   there (checked against pinned SHA-256 sums); ``make run`` runs it.
2. fontconfig: Noto Serif/Sans CJK SC (Debian's ``fonts-noto-cjk``), or any font fontconfig
   says covers Simplified Chinese. Collections (.ttc) hold Japanese and Korean faces too: the
   print templates say ``<html lang="zh-CN">`` so Pango picks the Chinese glyph shapes.

Never chunked web fonts (unicode-range files): WeasyPrint printed wrong characters with them.
With no usable font, :func:`require` raises :class:`NoCJKFont` (views and commands show its
message instead of printing empty boxes) and the system check below warns at start-up.
"""

import argparse
import ctypes.util
import functools
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.core import checks
from django.utils.translation import gettext as _

from . import ReportError

BASE_DIR = Path(__file__).resolve().parent.parent.parent

# CSS family names of the embedded files. Never "serif"/"sans-serif": WeasyPrint would
# replace the generic families with them everywhere.
SONG = "EA Report Song"
HEI = "EA Report Hei"

# System families in order of preference, for text (宋体-like first) and for headings (黑体).
SYSTEM_SONG = (
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "Source Han Serif CN",
    "AR PL UMing CN",
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
)
SYSTEM_HEI = (
    "Noto Sans CJK SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Micro Hei",
    "WenQuanYi Zen Hei",
    "Noto Serif CJK SC",
    "Source Han Serif SC",
    "AR PL UMing CN",
)
# TrueType, OpenType/CFF, old Apple TrueType, and collections (the template sets lang).
TRUETYPE_MAGIC = (b"\x00\x01\x00\x00", b"OTTO", b"true", b"ttcf")


@dataclass(frozen=True)
class Download:
    """One whole font file inside a pinned npm package."""

    package: str
    member: str
    target: str
    sha256: str
    licence_member: str = "package/LICENSE_FONT"


DOWNLOADS = (
    Download(
        package="@expo-google-fonts/noto-serif-sc@0.4.3",
        member="package/400Regular/NotoSerifSC_400Regular.ttf",
        target="NotoSerifSC-Regular.ttf",
        sha256="c358a69de3df5f423a8946a7b03e3126fb6ba116f1130a463455b4e39e1f0742",
    ),
    Download(
        package="@expo-google-fonts/noto-sans-sc@0.4.3",
        member="package/700Bold/NotoSansSC_700Bold.ttf",
        target="NotoSansSC-Bold.ttf",
        sha256="9a38ae0ab28cd5a256f9ea8e00dedc688aac17f7915fcb000572990afa956b96",
    ),
)
SONG_FILE, HEI_FILE = (d.target for d in DOWNLOADS)


class NoCJKFont(ReportError):
    def __init__(self) -> None:
        super().__init__(
            _(
                "No Chinese font is installed for the PDF reports, so none can be made: the "
                "characters would print as empty boxes. Ask the administrator to run "
                "“python -m efficiency.reports.fonts install” or to install Debian's "
                "fonts-noto-cjk package."
            )
        )


@dataclass(frozen=True)
class FontFace:
    family: str
    weight: int
    path: Path


@dataclass(frozen=True)
class CJKFonts:
    """The fonts a report uses: files to embed (``faces``) and CSS family lists."""

    source: str  # "files" (var/fonts or $REPORT_FONT_DIR) or "fontconfig"
    faces: tuple[FontFace, ...]
    song: tuple[str, ...]  # text
    hei: tuple[str, ...]  # titles, table headers, emphasis (always bold)

    @property
    def files(self) -> frozenset[Path]:
        return frozenset(face.path for face in self.faces)

    def describe(self) -> str:
        if self.faces:
            return ", ".join(sorted({str(face.path) for face in self.faces}))
        return f"fontconfig: {self.song[0]} / {self.hei[0]}"

    def css(self) -> str:
        """``@font-face`` rules and the two font stacks, for one parsed stylesheet."""
        rules = [
            f'@font-face {{ font-family: "{face.family}"; font-weight: {face.weight}; '
            f'font-style: normal; src: url("{face.path.as_uri()}"); }}'
            for face in self.faces
        ]
        song = ", ".join(f'"{name}"' for name in self.song)
        hei = ", ".join(f'"{name}"' for name in self.hei)
        rules.append(f"html {{ font-family: {song}; }}")
        # Everything bold is set in 黑体: one bold face embedded, not a second copy of it.
        rules.append(
            "h1, h2, h3, h4, th, strong, b, .hei, .strong, .total td, .final, .who "
            f"{{ font-family: {hei}; font-weight: 700; }}"
        )
        return "\n".join(rules)


def font_dir() -> Path:
    if settings.configured:
        return Path(settings.REPORT_FONT_DIR)
    # Standalone (`make fonts` runs this module before any settings exist): the same variable
    # and default as settings.REPORT_FONT_DIR.
    return Path(os.environ.get("REPORT_FONT_DIR", "").strip() or BASE_DIR / "var" / "fonts")


def _usable_file(path: Path) -> bool:
    try:
        with path.open("rb") as handle:
            return handle.read(4) in TRUETYPE_MAGIC
    except OSError:
        return False


def _fontconfig_families() -> list[str]:
    """Families fontconfig says cover Simplified Chinese, as it lists them."""
    try:
        listed = subprocess.run(
            ["fc-list", "--format", "%{family}\n", ":lang=zh-cn"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        return []
    names: list[str] = []
    for line in listed.splitlines():
        for name in line.split(","):
            name = name.strip()
            if name and name not in names:
                names.append(name)
    return names


def _ordered(preferred: tuple[str, ...], present: list[str]) -> tuple[str, ...]:
    known = [name for name in preferred if name in present]
    # Families we do not know (a Japanese-first collection, say) only when nothing else is.
    return tuple(known or present)


def find() -> CJKFonts | None:
    """Look for the fonts afresh (see the module docstring for the order)."""
    system = _fontconfig_families()
    system_song = _ordered(SYSTEM_SONG, system)
    system_hei = _ordered(SYSTEM_HEI, system)
    directory = font_dir()
    song_file, hei_file = directory / SONG_FILE, directory / HEI_FILE
    if _usable_file(song_file) and _usable_file(hei_file):
        return CJKFonts(
            source="files",
            faces=(
                FontFace(SONG, 400, song_file),
                # Bold in running text is set in 黑体, as in the office's own documents.
                FontFace(SONG, 700, hei_file),
                FontFace(HEI, 700, hei_file),
            ),
            # System fonts stay behind the files, for the odd character the files lack.
            song=(SONG, *system_song),
            hei=(HEI, *system_hei),
        )
    if system_song:
        return CJKFonts(source="fontconfig", faces=(), song=system_song, hei=system_hei)
    return None


@functools.cache
def cached() -> CJKFonts | None:
    """:func:`find`, once per process (the PDF engine and the system check share it)."""
    return find()


def require() -> CJKFonts:
    fonts = cached()
    if fonts is None:
        raise NoCJKFont
    return fonts


def harfbuzz_subset_available() -> bool:
    """Debian's libharfbuzz-subset0; without it WeasyPrint subsets with fontTools, ~20x slower."""
    return ctypes.util.find_library("harfbuzz-subset") is not None


@checks.register("reports")
def check_fonts(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    messages: list[checks.CheckMessage] = []
    if cached() is None:
        messages.append(
            checks.Warning(
                _(
                    "No Chinese font is installed for the PDF reports: every PDF will be "
                    "refused with an explanation until one is."
                ),
                hint=_(
                    "Run “python -m efficiency.reports.fonts install” (make run does), or "
                    "install Debian's fonts-noto-cjk package."
                ),
                id="efficiency.W501",
            )
        )
    if not harfbuzz_subset_available():
        messages.append(
            checks.Warning(
                _(
                    "HarfBuzz's subsetting library is missing: each PDF report will take "
                    "ten seconds or more instead of under one."
                ),
                hint=_("Install Debian's libharfbuzz-subset0 package."),
                id="efficiency.W502",
            )
        )
    return messages


# --- installing the files -------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def installed(directory: Path | None = None) -> bool:
    directory = directory or font_dir()
    return all(
        (directory / d.target).is_file() and _sha256(directory / d.target) == d.sha256
        for d in DOWNLOADS
    )


def install(directory: Path | None = None, *, out=sys.stdout) -> None:
    """Fetch the two font files with npm's own client, check them, and put them in place."""
    directory = directory or font_dir()
    if installed(directory):
        print(f"Report fonts are in place in {directory}.", file=out)
        return
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            "npm is not installed, so the report fonts cannot be fetched. Install Node.js "
            "(npm), or Debian's fonts-noto-cjk package instead."
        )
    directory.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="report-fonts-") as scratch:
        work = Path(scratch)
        for download in DOWNLOADS:
            if (directory / download.target).is_file() and _sha256(
                directory / download.target
            ) == download.sha256:
                continue
            print(f"Fetching {download.package} from the npm registry…", file=out)
            packed = subprocess.run(
                [
                    npm,
                    "pack",
                    download.package,
                    "--pack-destination",
                    str(work),
                    "--cache",
                    str(work / "cache"),
                    "--silent",
                ],
                capture_output=True,
                text=True,
                timeout=900,
                check=False,
            )
            tarballs = sorted(work.glob("*.tgz"))
            if packed.returncode != 0 or not tarballs:
                raise RuntimeError(
                    f"npm pack {download.package} failed: {packed.stderr.strip()[-500:]}"
                )
            with tarfile.open(tarballs[-1]) as archive:
                font = archive.extractfile(download.member)
                licence = archive.extractfile(download.licence_member)
                if font is None or licence is None:
                    raise RuntimeError(f"{download.member} is missing from {download.package}")
                partial = directory / f"{download.target}.part"
                partial.write_bytes(font.read())
                (directory / f"{Path(download.target).stem}-OFL.txt").write_bytes(licence.read())
            if _sha256(partial) != download.sha256:
                partial.unlink()
                raise RuntimeError(f"{download.target} does not have the expected SHA-256 sum")
            partial.replace(directory / download.target)
            for tarball in tarballs:
                tarball.unlink()
    cached.cache_clear()
    print(f"Report fonts installed in {directory}.", file=out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m efficiency.reports.fonts",
        description="The Chinese fonts of the PDF reports: install them, or say which are used.",
    )
    parser.add_argument("action", choices=["install", "status"])
    parser.add_argument(
        "--optional",
        action="store_true",
        help="If the fonts cannot be fetched, say so and exit 0 (the app then refuses PDFs "
        "with an explanation, or uses a system font).",
    )
    args = parser.parse_args(argv)
    if args.action == "status":
        fonts = find()
        print(fonts.describe() if fonts else "No Chinese font for the PDF reports.")
        return 0 if fonts else 1
    try:
        install()
    except (OSError, RuntimeError, subprocess.SubprocessError, tarfile.TarError) as error:
        print(f"Report fonts not installed: {error}", file=sys.stderr)
        return 0 if args.optional else 1
    return 0


if __name__ == "__main__":
    # Standalone (make, set-up scripts): Django settings are not needed to install fonts.
    sys.exit(main())
