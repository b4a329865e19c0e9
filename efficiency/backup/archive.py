"""The backup archive: ``manifest.json``, the database dump and the generated files, as tar.gz.

What is in it, and why (the README says the same to the office):

- the database: everything the office entered, its history and the report jobs;
- ``files/reports/``: the finished ZIPs of personal forms (``reports/`` of the default storage,
  ``MEDIA_ROOT``), so a restored job's download still works; half-written ``.part`` files and
  pid files are left out (they belong to a process, not to the data). A shared store
  configured in ``STORAGES`` (S3) is backed up by its own means;
- ``files/uploads/``: Excel uploads waiting for confirmation (``EXCEL_UPLOAD_DIR``), so a
  restore made minutes after a crash does not lose someone's checked upload.
- ``files/attachments/``: the evidence attached to incidents (``ATTACHMENT_DIR``); removed
  attachments too, since removal keeps the file. A shared store named ``"attachments"`` in
  ``STORAGES`` is backed up by its own means.

Left out: ``var/secret-key`` (a server takes ``SECRET_KEY`` from its environment; a backup
that carried it would let whoever holds a copy forge signed links and cookies, and losing it
costs only a new login), ``var/fonts`` (downloaded again by ``make fonts``), the static files
(built from the code) and earlier backups.

Reading checks everything before anything is changed: a tar.gz, member names inside the
archive, a manifest of this format, and every member's size and SHA-256 as the manifest lists.
"""

import hashlib
import json
import os
import shutil
import subprocess
import tarfile
import tempfile
import time
import zlib
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from . import database
from .database import BackupError

FORMAT = "efficiency-backup"
FORMAT_VERSION = 1
MANIFEST = "manifest.json"
DB_MEMBER = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}
SKIP_SUFFIXES = (".part", ".pid")
NAME_PREFIX = "efficiency-backup-"
NAME_SUFFIX = ".tar.gz"


def areas() -> dict[str, Path]:
    """The folders of generated files kept in a backup, by their name in the archive."""
    return {
        "reports": Path(settings.MEDIA_ROOT) / "reports",
        "uploads": Path(settings.EXCEL_UPLOAD_DIR),
        "attachments": Path(settings.ATTACHMENT_DIR),
    }


def default_dir() -> Path:
    return Path(settings.BACKUP_DIR)


def default_name() -> str:
    return f"{NAME_PREFIX}{timezone.localtime():%Y%m%d-%H%M%S}{NAME_SUFFIX}"


def _sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def _git_describe() -> str | None:
    try:
        result = subprocess.run(
            ["git", "-C", str(settings.BASE_DIR), "describe", "--always", "--tags", "--dirty"],
            capture_output=True,
            text=True,
            timeout=10,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return result.stdout.strip() or None if result.returncode == 0 else None


def _app_version() -> str | None:
    try:
        return metadata.version("efficiency")
    except metadata.PackageNotFoundError:
        return None


def _stage_files(stage: Path) -> list[dict]:
    listed = []
    for area, folder in areas().items():
        if not folder.is_dir():
            continue
        for path in sorted(folder.rglob("*")):
            if not path.is_file() or path.is_symlink() or path.name.endswith(SKIP_SUFFIXES):
                continue
            relative = path.relative_to(folder).as_posix()
            copy = stage / "files" / area / relative
            copy.parent.mkdir(parents=True, exist_ok=True)
            try:
                shutil.copy2(path, copy)
            except FileNotFoundError:
                continue  # swept or replaced while we walked: not part of this backup
            listed.append(
                {
                    "area": area,
                    "path": relative,
                    "size": copy.stat().st_size,
                    "sha256": _sha256(copy),
                }
            )
    return listed


def create(target: Path) -> dict:
    """Write the archive to ``target`` (through ``target.part``); return its manifest."""
    vendor = database.vendor()
    if vendor not in DB_MEMBER:
        raise BackupError(_("Unsupported database: %(vendor)s.") % {"vendor": vendor})
    partial = target.with_name(target.name + ".part")
    with tempfile.TemporaryDirectory(prefix=".backup-", dir=target.parent) as tmp:
        stage = Path(tmp)
        db_file = stage / DB_MEMBER[vendor]
        started = time.monotonic()
        described = database.dump(db_file)
        manifest = {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "created_at": timezone.now().isoformat(),
            "app_version": _app_version(),
            "git": _git_describe(),
            "database": {
                "vendor": vendor,
                "member": db_file.name,
                "size": db_file.stat().st_size,
                "sha256": _sha256(db_file),
                "seconds": round(time.monotonic() - started, 3),
            },
            "counts": described["counts"],
            "chain_head": described["chain_head"],
            "migrations": described["migrations"],
            "files": _stage_files(stage),
        }
        (stage / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
        try:
            with tarfile.open(partial, "w:gz", compresslevel=6) as tar:
                tar.add(stage / MANIFEST, arcname=MANIFEST)
                tar.add(db_file, arcname=db_file.name)
                if (stage / "files").is_dir():
                    tar.add(stage / "files", arcname="files")
            os.replace(partial, target)
        finally:
            partial.unlink(missing_ok=True)
    return manifest


# --- reading ---------------------------------------------------------------------------------


@dataclass
class Opened:
    manifest: dict
    root: Path  # where the archive was unpacked

    @property
    def vendor(self) -> str:
        return self.manifest["database"]["vendor"]

    @property
    def db_file(self) -> Path:
        return self.root / self.manifest["database"]["member"]


def _not_ours() -> BackupError:
    return BackupError(_("This file is not a backup of this system."))


def _damaged(detail: str) -> BackupError:
    return BackupError(
        _("The backup file is damaged (%(detail)s): it cannot be restored.") % {"detail": detail}
    )


def _safe_name(name: str) -> bool:
    path = PurePosixPath(name)
    return not path.is_absolute() and ".." not in path.parts and bool(path.parts)


def open_archive(path: Path, workdir: Path) -> Opened:
    """Unpack ``path`` into ``workdir`` and check it whole; raise BackupError if anything is off."""
    if not path.is_file():
        raise BackupError(_("There is no file %(path)s.") % {"path": path})
    if path.stat().st_size == 0:
        raise BackupError(_("The file %(path)s is empty: it is not a backup.") % {"path": path})
    with path.open("rb") as handle:
        if handle.read(2) != b"\x1f\x8b":  # every backup is gzip-compressed
            raise _not_ours()
    try:
        with tarfile.open(path, "r:gz") as tar:
            members = tar.getmembers()
            for member in members:
                if not _safe_name(member.name) or not (member.isfile() or member.isdir()):
                    raise _not_ours()
            names = {member.name for member in members}
            if MANIFEST not in names:
                raise _not_ours()
            tar.extractall(workdir, filter="data")
    except tarfile.ReadError as error:
        if "truncated" in str(error) or "unexpected end" in str(error):
            raise _damaged(_("it ends too early")) from error
        raise _not_ours() from error
    except (EOFError, zlib.error, tarfile.TarError, OSError) as error:
        raise _damaged(str(error) or error.__class__.__name__) from error
    try:
        manifest = json.loads((workdir / MANIFEST).read_text(encoding="utf-8"))
    except (ValueError, OSError) as error:
        raise _not_ours() from error
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise _not_ours()
    if manifest.get("format_version") != FORMAT_VERSION:
        raise BackupError(
            _("This backup is in format %(version)s, which this version cannot read.")
            % {"version": manifest.get("format_version")}
        )
    try:
        db = manifest["database"]
        expected = [(db["member"], db["size"], db["sha256"])] + [
            (f"files/{item['area']}/{item['path']}", item["size"], item["sha256"])
            for item in manifest["files"]
        ]
        if db["vendor"] not in DB_MEMBER or db["member"] != DB_MEMBER[db["vendor"]]:
            raise _not_ours()
        for item in manifest["files"]:
            if item["area"] not in areas() or not _safe_name(item["path"]):
                raise _not_ours()
        manifest["counts"], manifest["migrations"]  # noqa: B018 - both must be there
    except (KeyError, TypeError) as error:
        raise _not_ours() from error
    for name, size, digest in expected:
        member = workdir / name
        if not member.is_file():
            raise _damaged(_("%(name)s is missing") % {"name": name})
        if member.stat().st_size != size or _sha256(member) != digest:
            raise _damaged(_("%(name)s does not match its checksum") % {"name": name})
    return Opened(manifest=manifest, root=workdir)


def restore_files(opened: Opened) -> None:
    """Put each area's files in place: the old folder moves aside, the archive's moves in."""
    stamp = time.strftime("%Y%m%d-%H%M%S")
    for area, folder in areas().items():
        incoming = opened.root / "files" / area
        incoming.mkdir(parents=True, exist_ok=True)
        folder.parent.mkdir(parents=True, exist_ok=True)
        old = folder.with_name(f"{folder.name}.before-restore-{stamp}")
        if folder.exists():
            folder.rename(old)
        shutil.move(str(incoming), str(folder))
        shutil.rmtree(old, ignore_errors=True)


def backups_in(folder: Path) -> list[Path]:
    """The archives this command named in ``folder``, oldest first."""
    return sorted(
        path
        for path in folder.glob(f"{NAME_PREFIX}*{NAME_SUFFIX}")
        if path.is_file() and not path.name.endswith(".part")
    )


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` archives in ``folder``; return the ones deleted."""
    old = backups_in(folder)[:-keep] if keep > 0 else []
    for path in old:
        path.unlink(missing_ok=True)
    return old
