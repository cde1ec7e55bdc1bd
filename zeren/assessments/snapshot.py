"""FormData to and from the models."""

from __future__ import annotations

from django.db.models import Prefetch

from zeren.assessments.formdata import (
    Answer as AnswerData,
)
from zeren.assessments.formdata import (
    Cover,
    Evidence,
    FileRef,
    FormData,
    FrameworkRef,
    Pledge,
)
from zeren.assessments.models import Answer, EvidenceItem, SelfAssessment, StoredFile


def file_ref(f: StoredFile) -> FileRef:
    return FileRef(name=f.original_name, sha256=f.sha256, size=f.size, content_type=f.content_type)


def answers_with_evidence(sa: SelfAssessment):  # type: ignore[no-untyped-def]
    """The self-assessment's answers with everything the overview and snapshot read (3 queries)."""
    return (
        Answer.objects.filter(self_assessment=sa)
        .select_related("indicator", "assignee")
        .prefetch_related(
            Prefetch(
                "evidence",
                queryset=EvidenceItem.objects.order_by("seq").prefetch_related(
                    Prefetch("files", queryset=StoredFile.objects.order_by("original_name", "pk"))
                ),
            )
        )
        .order_by("indicator__number")
    )


def form_from_assessment(sa: SelfAssessment, answers: list[Answer] | None = None) -> FormData:
    """The self-assessment as FormData (a constant number of queries).

    Pass answers already fetched with answers_with_evidence() to spend no more queries.
    """
    framework = sa.campaign.framework
    if answers is None:
        answers = list(answers_with_evidence(sa))
    answer_data = [
        AnswerData(
            indicator=a.indicator.number,
            level=a.level,
            remarks=a.remarks,
            work_summary=a.work_summary,
            evidence=[
                Evidence(
                    seq=e.seq,
                    title=e.title,
                    note=e.note,
                    text=e.text,
                    files=[file_ref(f) for f in e.files.all()],
                )
                for e in a.evidence.all()
            ],
        )
        for a in answers
    ]
    return FormData(
        framework=FrameworkRef(id=framework.key, version=framework.version),
        cover=Cover(
            enterprise_name=sa.enterprise_name,
            business_scope=sa.business_scope,
            contact_person=sa.contact_person,
            contact_info=sa.contact_info,
            submission_date=sa.submission_date,
        ),
        pledge=Pledge(
            enterprise_name=sa.enterprise_name,
            lead=sa.pledge_lead,
            date=sa.pledge_date,
            scan=file_ref(sa.pledge_scan) if sa.pledge_scan_id and sa.pledge_scan else None,
        ),
        answers=answer_data,
    )


def apply_form(
    form: FormData, sa: SelfAssessment, *, files_by_sha: dict[str, StoredFile] | None = None
) -> None:
    """Writes FormData's content into a self-assessment's rows (the caller holds the transaction).

    Files are linked by SHA-256 when the caller supplies them (a carried-over library); a file
    named in FormData but not supplied is left out.
    """
    files_by_sha = files_by_sha or {}
    sa.enterprise_name = form.cover.enterprise_name or form.pledge.enterprise_name
    sa.contact_person = form.cover.contact_person
    sa.contact_info = form.cover.contact_info
    sa.submission_date = form.cover.submission_date
    sa.pledge_lead = form.pledge.lead
    sa.pledge_date = form.pledge.date
    scan = form.pledge.scan
    sa.pledge_scan = files_by_sha.get(scan.sha256) if scan is not None else None
    if form.cover.business_scope:
        sa.business_scope = form.cover.business_scope
    sa.save()
    by_number = {a.indicator.number: a for a in sa.answers.select_related("indicator")}
    for data in form.answers:
        answer = by_number.get(data.indicator)
        if answer is None:
            continue
        answer.level = data.level
        answer.remarks = data.remarks
        answer.work_summary = data.work_summary
        answer.version += 1
        answer.save(update_fields=["level", "remarks", "work_summary", "version", "updated_at"])
        answer.evidence.all().delete()
        for ev in data.evidence:
            item = EvidenceItem.objects.create(
                answer=answer, seq=ev.seq, title=ev.title, note=ev.note, text=ev.text
            )
            linked = [files_by_sha[f.sha256] for f in ev.files if f.sha256 in files_by_sha]
            if linked:
                item.files.add(*linked)
