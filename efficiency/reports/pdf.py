"""HTML → PDF with WeasyPrint: one engine per process, local files only.

The engine (a WeasyPrint ``FontConfiguration`` with the Chinese fonts declared, and the parsed
print stylesheet) is built once per process and reused: registering the fonts and parsing the
CSS for every document costs more than laying out a one-page form.

WeasyPrint fetches every URL in what it renders. :class:`local_fetcher` answers only for the
static files (``/static/...``, through Django's finders) and the font files, and refuses
everything else: no HTTP, not even to the app's own server, no other file on the disk.
"""

import atexit
import functools
import mimetypes
import threading
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from . import fonts

PRINT_CSS = "efficiency/print.css"
# Templates write static URLs as /static/...; against this base they become
# file:///static/..., which the fetcher maps through the static finders.
BASE_URL = "file:///"
LANGUAGE = "zh-hans"  # the office's paperwork is in Chinese whatever the reader's UI language


class RefusedURL(ValueError):
    pass


def static_path(url_path: str) -> Path | None:
    """The file behind a ``/static/...`` path, or None if it is not one of ours."""
    prefix = "/" + settings.STATIC_URL.strip("/") + "/"
    if not url_path.startswith(prefix):
        return None
    relative = PurePosixPath(url_path[len(prefix) :])
    if relative.is_absolute() or ".." in relative.parts or not relative.parts:
        return None
    found = finders.find(str(relative))
    return Path(found) if found else None


def resolve(url: str, allowed_files: frozenset[Path]) -> Path:
    """The local file a URL may be read from; :class:`RefusedURL` for anything else."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        raise RefusedURL(f"refused: {url}")
    url_path = unquote(parts.path)
    found = static_path(url_path)
    if found is not None:
        return found
    path = Path(url2pathname(parts.path)).resolve()
    if path in {allowed.resolve() for allowed in allowed_files}:
        return path
    raise RefusedURL(f"refused: {url}")


@functools.cache
def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class LocalFetcher(URLFetcher):
        """Static files and the declared font files; ``data:`` URLs; nothing else."""

        def __init__(self, allowed_files: frozenset[Path]) -> None:
            super().__init__(allowed_protocols=("file", "data"))
            self.allowed_files = allowed_files

        def fetch(self, url, headers=None):
            if url.startswith("data:"):
                return super().fetch(url, headers)
            path = resolve(url, self.allowed_files)
            mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
            return URLFetcherResponse(
                path.as_uri(), body=path.read_bytes(), headers={"Content-Type": mimetype}
            )

    return LocalFetcher


def local_fetcher(allowed_files: frozenset[Path] = frozenset()):
    return _fetcher_class()(allowed_files)


@dataclass
class Engine:
    font_config: object
    stylesheets: list
    fetcher: object
    fonts: fonts.CJKFonts


_engine: Engine | None = None
_lock = threading.Lock()
# One document at a time per process: the engine's Pango/fontconfig state is shared and not
# made for threads. Processes (gunicorn workers, the ZIP's pool) render side by side.
_render_lock = threading.Lock()


def engine() -> Engine:
    """This process's engine, built on first use; :class:`fonts.NoCJKFont` without fonts."""
    global _engine
    if _engine is None:
        with _lock:
            if _engine is None:
                _engine = _build_engine()
                # Let WeasyPrint remove its font folder while the interpreter is still whole.
                atexit.register(reset)
    return _engine


def _build_engine() -> Engine:
    from weasyprint import CSS
    from weasyprint.text.fonts import FontConfiguration

    cjk = fonts.require()
    fetcher = local_fetcher(cjk.files)
    font_config = FontConfiguration()
    css_file = finders.find(PRINT_CSS)
    stylesheets = [
        CSS(string=cjk.css(), font_config=font_config, url_fetcher=fetcher, base_url=BASE_URL),
        CSS(
            string=Path(css_file).read_text(encoding="utf-8"),
            font_config=font_config,
            url_fetcher=fetcher,
            base_url=BASE_URL,
        ),
    ]
    return Engine(font_config=font_config, stylesheets=stylesheets, fetcher=fetcher, fonts=cjk)


def reset() -> None:
    """Forget the engine and the fonts found (tests; a worker process starting afresh)."""
    global _engine
    with _lock:
        _engine = None
    fonts.cached.cache_clear()


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    current = engine()
    with _render_lock:
        document = HTML(string=html, base_url=BASE_URL, url_fetcher=current.fetcher)
        return document.write_pdf(stylesheets=current.stylesheets, font_config=current.font_config)


def render_html(template: str, context: dict) -> str:
    with translation.override(LANGUAGE):
        return render_to_string(template, context)


def render_pdf(template: str, context: dict) -> bytes:
    """A print template (``templates/reports/*_pdf.html``) as PDF bytes."""
    engine()  # refuse before rendering anything if there is no Chinese font
    return html_to_pdf(render_html(template, context))
