"""The office's daily background work, as django-tasks tasks run by ``manage.py db_worker``.

- :data:`send_reminders`: the automatic 催办 two working days before each deadline (the
  same work as ``manage.py send_reminders``, which stays for a dry run by hand);
- :data:`prune`: the ZIPs of jobs finished more than 30 days ago, and task results as old;
- :data:`backup`: the nightly backup (``manage.py backup``'s archive in ``BACKUP_DIR``), keeping
  the newest ``BACKUP_KEEP`` archives.

django-tasks has no scheduler: ``manage.py enqueue_daily`` queues them, run once a day by a
systemd timer or cron (README, "Background work"). The quarter's ZIP is a task of its own,
:data:`efficiency.reports.zipjob.make_zip`, queued from the reports page.
"""

import datetime

from django.conf import settings
from django.utils import timezone, translation
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from efficiency.backup import archive
from efficiency.reports import zipjob
from efficiency.services import reminders

# Finished task results are kept as long as the ZIPs they made.
KEEP_RESULTS_DAYS = zipjob.KEEP_DAYS


@task()
def send_reminders(day: str) -> int:
    """Send the reminders due on ``day`` (ISO date: the day it was queued for, so a worker
    that was down catches up on that day's reminders rather than skipping them)."""
    with translation.override(settings.LANGUAGE_CODE):
        plans = reminders.due_reminders(datetime.date.fromisoformat(day))
        return reminders.send_due(plans)


@task()
def prune() -> dict:
    """Delete old ZIPs (the job records stay) and finished task results past their time."""
    files = zipjob.prune()
    cutoff = timezone.now() - datetime.timedelta(days=KEEP_RESULTS_DAYS)
    results, _kinds = DBTaskResult.objects.finished().filter(finished_at__lt=cutoff).delete()
    return {"files": files, "task_results": results}


@task()
def backup() -> dict:
    """The nightly backup: one archive of the database and its files (efficiency.backup), then
    all but the newest ``BACKUP_KEEP`` archives of the folder deleted."""
    target = archive.default_dir() / archive.default_name()
    target.parent.mkdir(parents=True, exist_ok=True)
    manifest = archive.create(target)
    deleted = archive.prune(target.parent, settings.BACKUP_KEEP)
    return {
        "file": target.name,
        "history": manifest["counts"].get("efficiency.AuditEvent", 0),
        "deleted": [path.name for path in deleted],
    }


def enqueue_daily(day: datetime.date) -> list[str]:
    """Queue the day's work; returns the task ids. Queuing twice does no harm: reminders
    go out once per deadline, pruning twice deletes nothing more, and a second backup is one
    more archive that the retention rule later removes."""
    return [
        send_reminders.enqueue(day.isoformat()).id,
        prune.enqueue().id,
        backup.enqueue().id,
    ]
