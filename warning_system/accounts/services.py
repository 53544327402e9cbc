"""Creating regulator accounts and enterprise accounts."""

from django.contrib.auth import get_user_model
from django.db import transaction

from warning_system.accounts.models import ActivationCode, EnterpriseAccount, Role, StaffProfile
from warning_system.registry.models import Department


@transaction.atomic
def staff_create(
    *, username: str, password: str, department: Department, role: str = Role.STAFF, full_name: str = ""
) -> StaffProfile:
    """A login for one department. System administrators are also Django superusers (admin site)."""
    user_model = get_user_model()
    user = user_model.objects.create_user(
        username=username,
        password=password,
        first_name=full_name,
        is_staff=role == Role.ADMIN,
        is_superuser=role == Role.ADMIN,
    )
    return StaffProfile.objects.create(user=user, department=department, role=role)


# --------------------------------------------------------------------------- enterprise accounts


class ActivationError(Exception):
    """An activation or a code that cannot be made; the message says why."""


def activation_code_issue(*, uscc: str, issuer=None) -> str:
    """A new one-time code for the enterprise, returned once in plain text (only its hash is kept).

    Issued by staff of the department that registered the subject (the registration authority), or
    by the system in its name (`issuer` None: a management command)."""
    from warning_system.accounts.identity import code_expiry, code_hash, new_code
    from warning_system.audit.models import Action
    from warning_system.audit.services import audit_record
    from warning_system.registry.models import Subject

    staff = getattr(issuer, "staff", None)
    subject = Subject.objects.filter(uscc=uscc, withdrawn=False).first()
    if subject is None:
        raise ActivationError("主体不存在")
    if issuer is not None and (staff is None or staff.department_id != subject.registered_by_id):
        raise ActivationError("激活码只能由该主体的登记机关签发")
    code = new_code()
    with transaction.atomic():
        issued = ActivationCode.objects.create(
            subject=subject, code_hash=code_hash(code), issued_by=issuer, department_id=subject.registered_by_id,
            expires_at=code_expiry(),
        )  # fmt: skip
        audit_record(
            action=Action.ENTERPRISE_CODE, actor=issuer, department_id=subject.registered_by_id,
            subject_uscc=subject.uscc, obj=issued,
            after={"expires_at": issued.expires_at.isoformat()},
        )  # fmt: skip
    return code


def enterprise_activate(*, uscc: str, code: str, username: str, password: str) -> EnterpriseAccount:
    """Open the enterprise's account: the identity step (ENTERPRISE_IDENTITY) consumes the code, the
    password passes Django's validators, one account per enterprise. All in one transaction."""
    from django.contrib.auth.password_validation import validate_password
    from django.core.exceptions import ValidationError

    from warning_system.accounts.identity import IdentityError, identity
    from warning_system.audit.models import Action
    from warning_system.audit.services import audit_record
    from warning_system.registry.codes import compact_code
    from warning_system.registry.models import Subject

    uscc = compact_code(uscc)
    user_model = get_user_model()
    if not username.strip():
        raise ActivationError("请填写用户名")
    if user_model.objects.filter(username=username).exists():
        raise ActivationError("该用户名已被使用")
    try:
        validate_password(password, user_model(username=username))
    except ValidationError as exc:
        raise ActivationError("；".join(exc.messages)) from exc
    with transaction.atomic():
        subject = Subject.objects.filter(uscc=uscc, withdrawn=False).first()
        user = user_model.objects.create_user(username=username, password=password)
        try:
            if subject is None:
                raise IdentityError("激活码无效、已使用或已过期，请向登记机关重新申领")
            identity().confirm(uscc=uscc, proof=code, user=user)
        except IdentityError as exc:
            raise ActivationError(str(exc)) from exc
        if EnterpriseAccount.objects.filter(subject=subject).exists():
            raise ActivationError("该企业已开通账号；如需重置请联系登记机关")
        account = EnterpriseAccount.objects.create(user=user, subject=subject)
        audit_record(
            action=Action.ENTERPRISE_ACTIVATE, actor=user, department_id="", subject_uscc=uscc, obj=account,
            after={"username": username},
        )  # fmt: skip
    return account
