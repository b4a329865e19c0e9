"""Uploads waiting for confirmation: read once, kept as their rows, capped per person.

An upload is read the moment it arrives; what is kept on the server, under a random name in
a folder of the uploader's own, is the table it was read into (or the reason it was refused),
as JSON, through Django's storage API (:func:`storage`): the ``"uploads"`` storage of
``STORAGES`` when a deployment names one (a private bucket for several machines), else a
private folder ``EXCEL_UPLOAD_DIR`` (default ``var/uploads``) outside ``MEDIA_ROOT``, with no
URL: a waiting upload is never served. The uploaded file itself is only read from a local
scratch folder under ``EXCEL_UPLOAD_DIR`` and deleted at once. The preview and the confirmation
load that: reloading the preview never parses the file again, and the confirmation re-checks
the same rows against the database as it is then. The browser never sends rows back.

Each person has at most :data:`PENDING_LIMIT` uploads waiting, whatever the number of their
sessions; older ones are dropped. Waiting uploads are swept when their owner signs out, after
:func:`max_age` seconds on every upload, and by ``manage.py sweep_uploads`` (run it from cron
or a systemd timer, e.g. hourly).

:class:`SizeLimitHandler` refuses an oversized request body from its Content-Length, before
Django writes any of it to disk.
"""

import datetime
import json
import os
import time
from pathlib import Path

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from . import cleaners
from .reader import FileRefused, Row, Table, max_upload_bytes

PENDING_LIMIT = 5  # uploads waiting for confirmation per person
# What a multipart body may carry besides the file itself: its headers, the CSRF token.
FORM_OVERHEAD = 64 * 1024


def max_age() -> int:
    return settings.EXCEL_UPLOAD_MAX_AGE


STORAGE = "uploads"  # the name a deployment may give its own storage in STORAGES


def upload_dir() -> Path:
    """The local private folder: the default storage's, and the scratch of incoming files."""
    path = Path(settings.EXCEL_UPLOAD_DIR)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    return path


def storage() -> Storage:
    """Where waiting uploads are kept (read at each call: settings may change in tests)."""
    if STORAGE in settings.STORAGES:
        return storages[STORAGE]
    return FileSystemStorage(
        location=upload_dir(),
        base_url="/no-url/",  # never served: nothing maps this path
        file_permissions_mode=0o600,
        directory_permissions_mode=0o700,
    )


def user_folder(user_pk: int) -> str:
    return f"user-{int(user_pk)}"


def name_of(user_pk: int, token: str) -> str:
    return f"{user_folder(user_pk)}/{token}.json"


# --- the table as JSON -----------------------------------------------------------------------


def _encode(value):
    if isinstance(value, datetime.datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"date": value.isoformat()}
    if isinstance(value, datetime.time):
        return {"time": value.isoformat()}
    if isinstance(value, datetime.timedelta):
        return {"seconds": value.total_seconds()}
    if isinstance(value, cleaners.FormulaWithoutValue):
        return {"formula": value.formula}
    if isinstance(value, cleaners.FormulaErrorValue):
        return {"error": value.code}
    if isinstance(value, str | int | float | bool) or value is None:
        return value
    return str(value)


def _decode(value):
    if not isinstance(value, dict):
        return value
    ((kind, raw),) = value.items()
    if kind == "datetime":
        return datetime.datetime.fromisoformat(raw)
    if kind == "date":
        return datetime.date.fromisoformat(raw)
    if kind == "time":
        return datetime.time.fromisoformat(raw)
    if kind == "seconds":
        return datetime.timedelta(seconds=raw)
    if kind == "formula":
        return cleaners.FormulaWithoutValue(raw)
    return cleaners.FormulaErrorValue(raw)


def save(user_pk: int, token: str, result: Table | FileRefused, *, sheet: str, name: str) -> None:
    """Keep what an upload was read into, making room among its owner's waiting uploads."""
    store = storage()
    waiting = sorted(
        (name for name in _files(store, user_folder(user_pk)) if name.endswith(".json")),
        key=lambda name: _mtime(store, name),
    )
    for old in waiting[: max(0, len(waiting) - PENDING_LIMIT + 1)]:
        store.delete(old)
    content: dict = {"sheet": sheet, "name": name}
    if isinstance(result, FileRefused):
        content["refused"] = result.message
    else:
        content["table"] = {
            "file_name": result.file_name,
            "sheet_name": result.sheet_name,
            "header_row": result.header_row,
            "columns": result.columns,
            "ignored": result.ignored,
            "rows": [
                [row.number, {k: _encode(v) for k, v in row.values.items()}] for row in result.rows
            ],
        }
    name = name_of(user_pk, token)
    saved = store.save(name, ContentFile(json.dumps(content, ensure_ascii=False).encode()))
    if saved != name:  # the token is random: a clash means something is wrong, keep nothing
        store.delete(saved)
        raise FileExistsError(name)


def load(user_pk: int, token: str) -> tuple[dict, Table | FileRefused] | None:
    """The upload's sheet and name, and its table (or why it was refused); None if gone."""
    try:
        with storage().open(name_of(user_pk, token), "rb") as handle:
            content = json.loads(handle.read().decode("utf-8"))
    except (OSError, ValueError):
        return None
    meta = {"sheet": content.get("sheet"), "name": content.get("name", "")}
    if "refused" in content:
        return meta, FileRefused(content["refused"])
    data = content["table"]
    return meta, Table(
        file_name=data["file_name"],
        sheet_name=data["sheet_name"],
        header_row=data["header_row"],
        columns=data["columns"],
        ignored=data["ignored"],
        rows=[
            Row(number=number, values={k: _decode(v) for k, v in values.items()})
            for number, values in data["rows"]
        ],
    )


def forget(user_pk: int, token: str) -> None:
    storage().delete(name_of(user_pk, token))


def _mtime(store: Storage, name: str) -> float:
    try:
        return store.get_modified_time(name).timestamp()
    except OSError:
        return 0.0


def _files(store: Storage, folder: str = "") -> list[str]:
    """Every file under ``folder`` of the storage, at any depth (names relative to its root)."""
    try:
        folders, files = store.listdir(folder)
    except FileNotFoundError:
        return []
    prefix = f"{folder}/" if folder else ""
    found = [prefix + name for name in files]
    for sub in folders:
        found += _files(store, prefix + sub)
    return found


def sweep(*, older_than: float | None = None) -> int:
    """Delete waiting uploads older than ``older_than`` seconds (default :func:`max_age`);
    returns how many went."""
    cutoff = time.time() - (max_age() if older_than is None else older_than)
    removed = 0
    store = storage()
    for name in _files(store):
        if _mtime(store, name) < cutoff:
            store.delete(name)
            removed += 1
    # A person's local folder left empty goes too (a bucket has no folders to leave behind);
    # not the scratch folders of uploads being read right now.
    try:
        folders, _names = store.listdir("")
    except FileNotFoundError:
        folders = []
    for folder in folders:
        if folder.startswith("user-"):
            try:
                os.rmdir(store.path(folder))
            except (OSError, NotImplementedError):
                pass  # not empty, or not a local folder
    return removed


# --- the request body ------------------------------------------------------------------------


def body_limit() -> int:
    return max_upload_bytes() + FORM_OVERHEAD


class SizeLimitHandler(FileUploadHandler):
    """First of ``FILE_UPLOAD_HANDLERS``: a body whose Content-Length is over the limit is not
    read at all (the connection is reset rather than drained) and no file of it reaches the
    disk; the view finds ``request.upload_refused_size`` set and says why in Chinese."""

    def handle_raw_input(self, input_data, META, content_length, boundary, encoding=None):
        self.refused = content_length > body_limit()
        if self.refused:
            self.request.upload_refused_size = content_length

    def new_file(self, *args, **kwargs):
        if self.refused:
            raise StopUpload(connection_reset=True)

    def receive_data_chunk(self, raw_data, start):
        return raw_data

    def file_complete(self, file_size):
        return None
