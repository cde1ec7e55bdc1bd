# Jobs queued before the job room existed name their task modules (zeren.documents.tasks.*).
# Those modules are gone: a job still waiting, or running when the upgrade stopped its worker,
# is rewritten to the one task that runs a registered kind, so nothing queued is lost.

from django.db import migrations

RUN = "zeren.jobs.tasks.run"
DOCUMENT_KINDS = {"pdf", "campaign_export"}  # the rest of DocumentJob's kinds are reports'


def rewrite(apps, schema_editor):
    DBTaskResult = apps.get_model("django_tasks_database", "DBTaskResult")
    DocumentJob = apps.get_model("documents", "DocumentJob")
    for row in DBTaskResult.objects.filter(status__in=["READY", "RUNNING"]):
        old = row.task_path.rsplit(".", 1)[-1]
        kwargs = dict(row.args_kwargs.get("kwargs", {}))
        if not row.task_path.startswith("zeren.documents.tasks."):
            continue
        if old == "run_document_job":
            job = DocumentJob.objects.filter(pk=kwargs.get("job_id")).first()
            kind = "document" if job is None or job.kind in DOCUMENT_KINDS else "report"
        elif old == "run_import_batch":
            kind = "import_batch"
        elif old == "run_scan_check":
            kind = "scan_check"
        else:
            continue
        row.task_path = RUN
        row.args_kwargs = {"args": [], "kwargs": {"kind": kind, **kwargs}}
        row.save(update_fields=["task_path", "args_kwargs"])


class Migration(migrations.Migration):

    dependencies = [
        ('jobs', '0001_initial'),
        ('documents', '0005_scancheck'),
        ('django_tasks_database', '0021_conditional_partial_index_ordering'),
    ]

    operations = [migrations.RunPython(rewrite, migrations.RunPython.noop)]
