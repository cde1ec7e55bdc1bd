"""Who may see and change what: the only door to data, above the apps whose models it guards.

Every view, download, fragment and API endpoint fetches through a `get_<thing>_for_user`
getter or a `<things>_visible_to(user)` queryset from here (`from zeren import access`). Anything
a user may not see is a 404 (never a 403 that would confirm it exists); a thing they may see but
not change is a 403. One module per concern; the role predicates themselves live below the apps
(zeren.accounts.roles) so that every floor may ask who holds which role.
"""

from zeren.access.assessments import (
    can_edit_answer,
    can_manage_assessment,
    get_answer_for_autosave,
    get_answer_for_user,
    get_assignment_for_user,
    get_self_assessment_for_user,
    self_assessments_visible_to,
)
from zeren.access.audit import audit_events_visible_to, describe_all
from zeren.access.campaigns import campaigns_visible_to, get_campaign_for_user
from zeren.access.documents import get_document_job_for_user
from zeren.access.files import get_stored_file_for_user, stored_files_visible_to
from zeren.access.intake import (
    get_import_batch_for_user,
    get_import_item_for_user,
    get_scan_check_for_user,
)
from zeren.access.people import colleagues, enterprises_visible_to
from zeren.access.results import (
    get_improvement_action_for_user,
    get_result_for_user,
    result_visible,
)
from zeren.access.submissions import (
    can_return_submission,
    get_submission_for_user,
    submissions_visible_to,
)
from zeren.access.tokens import api_tokens_of, get_api_token_for_user
from zeren.accounts.roles import (
    enterprise_ids,
    is_audit_admin,
    is_enterprise_admin,
    is_organizer,
    is_reviewer,
    roles,
)

__all__ = [
    "api_tokens_of",
    "audit_events_visible_to",
    "campaigns_visible_to",
    "can_edit_answer",
    "can_manage_assessment",
    "can_return_submission",
    "colleagues",
    "describe_all",
    "enterprise_ids",
    "enterprises_visible_to",
    "get_answer_for_autosave",
    "get_answer_for_user",
    "get_api_token_for_user",
    "get_assignment_for_user",
    "get_campaign_for_user",
    "get_document_job_for_user",
    "get_improvement_action_for_user",
    "get_import_batch_for_user",
    "get_import_item_for_user",
    "get_result_for_user",
    "get_scan_check_for_user",
    "get_self_assessment_for_user",
    "get_stored_file_for_user",
    "get_submission_for_user",
    "is_audit_admin",
    "is_enterprise_admin",
    "is_organizer",
    "is_reviewer",
    "roles",
    "result_visible",
    "self_assessments_visible_to",
    "stored_files_visible_to",
    "submissions_visible_to",
]
