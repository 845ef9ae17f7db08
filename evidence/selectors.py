"""Every read of evidence goes through here, scoped to the user through the case selectors."""

from django.db.models import QuerySet
from django.http import Http404

from cases.selectors import case_rows, case_rows_filter, compiled_case_rows
from evidence.models import CustodyEvent, EvidenceFile, WorkingCopy


def files_for(user, *, case, perm: str = "view_case") -> QuerySet[EvidenceFile]:
    """The files of a case the caller already resolved; empty if the user may not see the case (or hold `perm`)."""
    return (
        EvidenceFile.objects.filter(case_rows_filter(user, case, perm=perm))
        .select_related("received_by", "destroyed_by", "event", "source")
        .prefetch_related("working_copies")
        .order_by("-received_at")
    )


_LISTED = compiled_case_rows(lambda rows: EvidenceFile.objects.filter(rows).order_by("-received_at"))


def files_listed_for(user, *, case) -> list[EvidenceFile]:
    """The files of a case as its page lists them (name, type, size, receipt, state): no related rows."""
    return case_rows(_LISTED, user, case)


def file_get_for(user, *, case, file_id, perm: str = "view_case") -> EvidenceFile:
    """One file of the case, or Http404 whether it is missing, of another case, or not this user's."""
    try:
        file = files_for(user, case=case, perm=perm).get(pk=file_id)
    except (EvidenceFile.DoesNotExist, ValueError):
        raise Http404("No such file.") from None
    file.case = case  # the case the caller resolved (the filter matched its id): not fetched a second time
    return file


def custody_for(user, *, file: EvidenceFile) -> QuerySet[CustodyEvent]:
    """A file's chain of custody, oldest first."""
    return CustodyEvent.objects.filter(file__in=files_for(user, case=file.case).filter(pk=file.pk)).select_related("working_copy")


def working_copy_get_for(user, *, file: EvidenceFile, copy_id, perm: str = "download_evidence") -> WorkingCopy:
    """A preview shows the file's content, so it needs what a download needs (download_evidence)."""
    try:
        return WorkingCopy.objects.filter(original__in=files_for(user, case=file.case, perm=perm).filter(pk=file.pk)).get(
            pk=copy_id, wrapped_key__isnull=False
        )
    except (WorkingCopy.DoesNotExist, ValueError):
        raise Http404("No such copy.") from None
