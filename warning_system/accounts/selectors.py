"""Who a user is in the workspace."""

from warning_system.accounts.models import StaffProfile


def staff_profile(user) -> StaffProfile | None:
    """The user's department and role, or None for an account that is not a regulator's."""
    if not getattr(user, "is_authenticated", False):
        return None
    try:
        return StaffProfile.objects.select_related("department").get(user=user)
    except StaffProfile.DoesNotExist:
        return None


def enterprise_account(user):
    """The enterprise account of `user` (with its subject), or None."""
    from warning_system.accounts.models import EnterpriseAccount

    if not getattr(user, "is_authenticated", False):
        return None
    return EnterpriseAccount.objects.select_related("subject").filter(user=user).first()
