"""The workspace's side of the enterprises' accounts and evidence: registration staff issue an
activation code (printed on the 告知书); the deciding department reads a repair application's evidence."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from supervision.access import require_own_department, workspace_view
from supervision.selectors import dual as selectors
from warning_system.accounts.services import ActivationError, activation_code_issue
from warning_system.evidence.selectors import evidence_by_pk
from warning_system.evidence.services import evidence_read


@require_POST
@workspace_view
def issue_activation_code(request: HttpRequest, uscc: str) -> HttpResponse:
    """A new one-time code, shown once on the 告知书 to print and hand over (only its hash is kept)."""
    subject, notifications = selectors.subject_notice(request.staff, uscc)
    try:
        code = activation_code_issue(uscc=subject.uscc, issuer=request.user)
    except ActivationError as exc:
        return render(
            request, "supervision/dual/notice.html",
            {"subject": subject, "notifications": notifications, "code_error": str(exc)}, status=400,
        )  # fmt: skip
    context = {
        "subject": subject, "notifications": notifications, "activation_code": code, "may_issue_code": True,
        "code_days": settings.ENTERPRISE_ACTIVATION_DAYS,
    }  # fmt: skip
    return render(request, "supervision/dual/notice.html", context)


@require_GET
@workspace_view
def repair_evidence(request: HttpRequest, pk: int) -> FileResponse:
    """A file of an application to the user's own department; another department's is a 403 (audited),
    administrators included: evidence is the enterprise's and the deciding department's only."""
    found = evidence_by_pk(pk)
    if found is None:
        raise Http404
    require_own_department(request.staff, found.department_id)
    path = evidence_read(evidence=found, reader=request.user)
    if not path.exists():
        raise Http404
    return FileResponse(
        path.open("rb"), content_type=found.content_type, as_attachment=True, filename=found.name
    )
