"""The permission table: every URL of the portal, who may call it with which method, on an object
inside or outside the commune officer's scope, and what they get.

One row per URL name. ``tests/test_permission_sweep.py`` discovers the URL names from the resolver
and fails on a name without a row or a row without a URL; then it builds the objects once, calls
every row for every role, object and method, and compares the outcome with this table.
``manage.py permissions_doc`` renders the same table into ``docs/permissions.md``.

Objects: "inside" is in the scope of the officer of Ba Tơ (21484) and of district staff of
"Huyện Ba Tơ (cũ)"; "outside" is in Sơn Tịnh (21220), the scope of the outsider officer and the
outsider district staff ("Huyện Sơn Tịnh (cũ)"). Jobs are private: inside is a job of the Ba Tơ
officer, outside one of the outsider officer. Rows whose objects are not scoped (lists, rounds,
rollup runs) are called once ("any"). API tokens are private: inside is one of the Ba Tơ officer,
outside one of the outsider officer. Saved analyses are private too: inside is one of the Ba Tơ
district staff, outside one of the outsider district staff.

Outcomes, one per role in ``ROLES`` order:

- ``200``: the page (or file);
- ``302``: a redirect after the action (or to the page where it is shown);
- ``400``: the REST API's answer to an invalid body (an empty POST to a write endpoint): refused,
  nothing written;
- ``401``: the REST API's answer without credentials (no session, no token): it never redirects
  to the login page;
- ``login``: a redirect to the login page (the admin's login page for the admin);
- ``403``: refused (the user sees the object but may not do this);
- ``404``: not found (outside the user's scope, or nothing to show);
- ``405``: method not allowed.

Every POST is sent empty (no form data): an allowed user gets the form back with its errors (200)
or the result of the action. A refused POST (``login``, ``403``, ``404``, ``405``) must leave every
table as it was, and no response may be a server error.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

ROLES = ("anonymous", "officer", "district", "leader", "admin", "outsider", "outsider_district")
ROLE_LABELS = {
    "anonymous": "anonymous",
    "officer": "officer (Ba Tơ)",
    "district": "district (Ba Tơ cũ)",
    "leader": "leader",
    "admin": "admin",
    "outsider": "outsider officer (Sơn Tịnh)",
    "outsider_district": "outsider district (Sơn Tịnh cũ)",
}
OUTCOMES = ("200", "302", "400", "401", "login", "403", "404", "405")
REFUSED = ("400", "401", "login", "403", "404", "405")
METHODS = ("GET", "POST")
# Objects whose kwargs differ inside and outside the officer's scope; others are called once.
SCOPED_OBJECTS = (
    "unit",
    "commune",
    "household",
    "survey",
    "member",
    "average_request",
    "project",
    "model",
    "course",
    "export_job",
    "import_job",
    "saved_analysis",
    "helper",
    "plan_item",
    "fund_plan",
    "fund_allocation",
    "fund_disbursement",
    "visit",
    "recommendation",
    "visit_file",
    "contribution",
    "contribution_use",
    "communication_activity",
    "job_fair",
    "api_token",
)
GLOBAL_OBJECTS = ("round", "run")


@dataclass(frozen=True)
class Row:
    """``kwargs`` maps each URL kwarg to an object of the sweep (``SCOPED_OBJECTS`` or
    ``GLOBAL_OBJECTS``, by primary key); ``slugs`` gives fixed values of the other kwargs.
    ``expect`` maps a method to one outcome string (unscoped rows, or the same on both objects)
    or a pair (inside, outside), each string listing the outcome of every role in ``ROLES``
    order. ``post`` is the POST's data (``{object}`` stands for its primary key; empty by
    default). ``writes`` names the roles whose POST may change data: for any other role, and
    for any refused POST, every table must be left as it was."""

    kwargs: dict[str, str] = field(default_factory=dict)
    slugs: dict[str, str] = field(default_factory=dict)
    expect: dict[str, str | tuple[str, str]] = field(default_factory=dict)
    post: dict[str, str] = field(default_factory=dict)
    writes: str = ""

    @property
    def uses(self) -> set[str]:
        """The objects the row's URL and POST data name."""
        found = set(self.kwargs.values())
        for value in self.post.values():
            found |= set(re.findall(r"\{(\w+)\}", value))
        return found

    @property
    def scoped(self) -> bool:
        return bool(self.uses & set(SCOPED_OBJECTS))

    @property
    def objects(self) -> tuple[str, ...]:
        return ("inside", "outside") if self.scoped else ("any",)

    def outcomes(self, method: str, obj: str) -> dict[str, str]:
        value = self.expect[method]
        if isinstance(value, tuple):
            value = value[("inside", "outside").index(obj)]
        tokens = value.split()
        if len(tokens) != len(ROLES) or not set(tokens) <= set(OUTCOMES):
            raise ValueError(f"bad outcome string {value!r}")
        return dict(zip(ROLES, tokens, strict=True))


def _r(**kwargs) -> Row:
    return Row(**kwargs)


# fmt: off
TABLE: dict[str, Row] = {
    "home": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "unit_list": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "unit_detail": _r(
        kwargs={"pk": "unit"},
        expect={
            "GET":  ("login 200   200   200   200   404   404",
                      "login 404   404   200   200   200   200"),
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "household_list": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "household_list_totals": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "household_detail": _r(
        kwargs={"pk": "household"},
        expect={
            "GET":  ("login 200   200   200   200   404   404",
                      "login 404   404   200   200   200   200"),
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "household_move": _r(
        kwargs={"pk": "household"},
        expect={
            "GET":  ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
            "POST": ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
        },
    ),
    "household_create": _r(
        expect={
            "GET":  "login 200   403   403   200   200   403",
            "POST": "login 200   403   403   200   200   403",
        },
    ),
    "survey_edit": _r(
        kwargs={"pk": "survey"},
        expect={
            "GET":  ("login 200   200   200   200   404   404",
                      "login 404   404   200   200   200   200"),
            "POST": ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
        },
    ),
    "survey_preview": _r(
        kwargs={"pk": "survey"},
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
        },
    ),
    "survey_exclude": _r(
        kwargs={"pk": "survey"},
        expect={
            "GET":  ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
            "POST": ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
        },
    ),
    "average_request_list": _r(
        kwargs={"pk": "survey"},
        expect={
            "GET":  ("login 200   200   200   200   404   404",
                      "login 404   404   200   200   200   200"),
            "POST": ("login 200   302   302   200   404   404",
                      "login 404   404   302   200   200   302"),
        },
    ),
    "average_request_decide": _r(
        kwargs={"pk": "average_request"},
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": ("login 302   403   403   302   404   404",
                      "login 404   404   403   302   302   403"),
        },
    ),
    "round_list": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "round_open": _r(
        expect={
            "GET":  "login 403   403   403   200   403   403",
            "POST": "login 403   403   403   200   403   403",
        },
    ),
    "round_close": _r(
        kwargs={"pk": "round"},
        writes="admin",
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": "login 403   403   403   302   403   403",
        },
    ),
    "round_detail": _r(
        kwargs={"pk": "round"},
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "round_timetable": _r(
        kwargs={"pk": "round"},
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": "login 403   403   403   200   403   403",
        },
    ),
    "commune_round": _r(
        kwargs={"round_pk": "round", "commune_pk": "commune"},
        expect={
            "GET":  ("login 200   200   200   200   404   404",
                      "login 404   404   200   200   200   200"),
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "round_household_add": _r(
        kwargs={"round_pk": "round", "commune_pk": "commune"},
        expect={
            "GET":  ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
            "POST": ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
        },
    ),
    "commune_round_act": _r(
        kwargs={"round_pk": "round", "commune_pk": "commune"}, slugs={"action": "submit"},
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": ("login 302   403   403   302   404   404",
                      "login 404   404   403   302   302   403"),
        },
    ),
    "project_list": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "project_queue": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "model_register": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "project_create": _r(
        expect={
            "GET":  "login 200   403   403   200   200   403",
            "POST": "login 200   403   403   200   200   403",
        },
    ),
    "project_edit": _r(
        kwargs={"pk": "project"},
        expect={
            "GET":  ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
            "POST": ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
        },
    ),
    "project_budget": _r(
        kwargs={"pk": "project"},
        expect={
            "GET":  ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
            "POST": ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
        },
    ),
    "project_budget_totals": _r(
        kwargs={"pk": "project"},
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
        },
    ),
    "project_budget_row": _r(
        kwargs={"pk": "project"},
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
        },
    ),
    "project_participants": _r(
        kwargs={"pk": "project"},
        writes="officer admin outsider",
        expect={
            "GET":  ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
            "POST": ("login 302   403   403   302   404   404",
                      "login 404   404   403   302   302   403"),
        },
    ),
    "project_detail": _r(
        kwargs={"pk": "project"},
        expect={
            "GET":  ("login 200   200   200   200   404   404",
                      "login 404   404   200   200   200   200"),
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "project_minutes": _r(
        kwargs={"pk": "project"},
        expect={
            "GET":  ("login 200   200   200   200   404   404",
                      "login 404   404   200   200   200   200"),
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "project_evaluate": _r(
        kwargs={"pk": "model"},
        expect={
            "GET":  ("login 403   200   403   200   404   404",
                      "login 404   404   403   200   403   200"),
            "POST": ("login 403   200   403   200   404   404",
                      "login 404   404   403   200   403   200"),
        },
    ),
    "project_amend": _r(
        kwargs={"pk": "model"},
        expect={
            "GET":  ("login 403   200   403   200   404   404",
                      "login 404   404   403   200   403   200"),
            "POST": ("login 403   200   403   200   404   404",
                      "login 404   404   403   200   403   200"),
        },
    ),
    "model_replicate": _r(
        kwargs={"pk": "model"},
        expect={
            "GET":  ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
            "POST": ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
        },
    ),
    "project_step": _r(
        kwargs={"pk": "project"}, slugs={"action": "submit"},
        writes="officer admin",
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": ("login 302   403   403   302   404   404",
                      "login 404   404   403   200   200   403"),
        },
    ),
    "course_list": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "course_create": _r(
        expect={
            "GET":  "login 200   200   403   200   200   200",
            "POST": "login 200   200   403   200   200   200",
        },
    ),
    "course_detail": _r(
        kwargs={"pk": "course"},
        expect={
            "GET":  ("login 200   200   200   200   404   404",
                      "login 404   404   200   200   200   200"),
            "POST": ("login 302   302   403   302   404   404",
                      "login 404   404   403   302   302   302"),
        },
    ),
    "course_edit": _r(
        kwargs={"pk": "course"},
        expect={
            "GET":  ("login 200   200   403   200   404   404",
                      "login 404   404   403   200   200   200"),
            "POST": ("login 200   200   403   200   404   404",
                      "login 404   404   403   200   200   200"),
        },
    ),
    "course_participants": _r(
        kwargs={"pk": "course"},
        expect={
            "GET":  ("login 200   200   403   200   404   404",
                      "login 404   404   403   200   200   200"),
            "POST": ("login 302   302   403   302   404   404",
                      "login 404   404   403   302   302   302"),
        },
    ),
    "employment_list": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "employment_create": _r(
        kwargs={"member_pk": "member"},
        expect={
            "GET":  ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
            "POST": ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
        },
    ),
    # monitoring: inspection, check and supervision visits (docs/monitoring.md)
    "visit_list": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "visit_create": _r(
        expect={
            "GET":  "login 403   200   403   200   403   200",
            "POST": "login 403   200   403   200   403   200",
        },
    ),
    "monitoring_report": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "visit_detail": _r(
        kwargs={"pk": "visit"},
        expect={
            "GET":  ("login 200   200   200   200   404   404",
                      "login 404   404   200   200   200   200"),
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "visit_edit": _r(
        kwargs={"pk": "visit"},
        expect={
            "GET":  ("login 403   200   403   200   404   404",
                      "login 404   404   403   200   403   200"),
            "POST": ("login 403   200   403   200   404   404",
                      "login 404   404   403   200   403   200"),
        },
    ),
    "recommendation_add": _r(
        kwargs={"pk": "visit"},
        expect={
            "GET":  ("login 403   200   403   200   404   404",
                      "login 404   404   403   200   403   200"),
            "POST": ("login 403   200   403   200   404   404",
                      "login 404   404   403   200   403   200"),
        },
    ),
    "visit_file_upload": _r(
        kwargs={"pk": "visit"},
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": ("login 403   302   403   302   404   404",
                      "login 404   404   403   302   403   302"),
        },
    ),
    "visit_file": _r(
        kwargs={"pk": "visit", "file_pk": "visit_file"},
        expect={
            "GET":  ("login 200   200   200   200   404   404",
                      "login 404   404   200   200   200   200"),
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "recommendation_list": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "recommendation_detail": _r(
        kwargs={"pk": "recommendation"},
        expect={
            "GET":  ("login 200   200   200   200   404   404",
                      "login 404   404   200   200   200   200"),
            "POST": ("login 200   200   403   200   404   404",
                      "login 404   404   403   200   200   200"),
        },
    ),
    "recommendation_step": _r(
        kwargs={"pk": "recommendation"}, slugs={"action": "confirm"},
        writes="district admin outsider_district",
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": ("login 403   302   403   302   404   404",
                      "login 404   404   403   302   403   302"),
        },
    ),
    # communication/: project 6, communication and information poverty (docs/communication.md)
    "communication_list": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "communication_create": _r(
        expect={
            "GET":  "login 200   200   403   200   200   200",
            "POST": "login 200   200   403   200   200   200",
        },
    ),
    "communication_summary": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "communication_detail": _r(
        kwargs={"pk": "communication_activity"},
        expect={
            "GET":  ("login 200   200   200   200   404   404",
                      "login 404   404   200   200   200   200"),
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "communication_edit": _r(
        kwargs={"pk": "communication_activity"},
        expect={
            "GET":  ("login 200   200   403   200   404   404",
                      "login 404   404   403   200   200   200"),
            "POST": ("login 200   200   403   200   404   404",
                      "login 404   404   403   200   200   200"),
        },
    ),
    "communication_delete": _r(
        kwargs={"pk": "communication_activity"},
        writes="officer district admin outsider outsider_district",
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": ("login 302   302   403   302   404   404",
                      "login 404   404   403   302   302   302"),
        },
    ),
    "dashboard": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "dashboard_map": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "dashboard_charts": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "analysis": _r(
        expect={
            "GET":  "login 403   200   200   200   403   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "analysis_xlsx": _r(
        expect={
            "GET":  "login 403   200   200   200   403   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "analysis_save": _r(
        writes="district leader admin outsider_district",
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": "login 403   200   200   200   403   200",
        },
    ),
    "analysis_saved_edit": _r(
        kwargs={"pk": "saved_analysis"},
        writes="district outsider_district",
        expect={
            "GET":  ("login 403   200   404   404   403   404",
                      "login 403   404   404   404   403   200"),
            "POST": ("login 403   200   404   404   403   404",
                      "login 403   404   404   404   403   200"),
        },
    ),
    "analysis_saved_pin": _r(
        kwargs={"pk": "saved_analysis"},
        writes="district outsider_district",
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": ("login 403   302   404   404   403   404",
                      "login 403   404   404   404   403   302"),
        },
    ),
    "analysis_saved_delete": _r(
        kwargs={"pk": "saved_analysis"},
        writes="district outsider_district",
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": ("login 403   302   404   404   403   404",
                      "login 403   404   404   404   403   302"),
        },
    ),
    "rollup_start": _r(
        kwargs={"round_pk": "round"},
        writes="admin",
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": "login 403   403   403   302   403   403",
        },
    ),
    "rollup_run": _r(
        kwargs={"pk": "run"},
        expect={
            "GET":  "login 403   403   403   200   403   403",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "job_list": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "job_detail": _r(
        kwargs={"pk": "export_job"},
        expect={
            "GET":  ("login 200   404   404   404   404   404",
                      "login 404   404   404   404   200   404"),
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "job_retry": _r(
        kwargs={"pk": "export_job"},
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": ("login 302   404   404   404   404   404",
                      "login 404   404   404   404   302   404"),
        },
    ),
    "job_download": _r(
        kwargs={"pk": "export_job"}, slugs={"which": "ket-qua"},
        expect={
            "GET":  ("login 200   404   404   404   404   404",
                      "login 404   404   404   404   200   404"),
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "export_index": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "export_create": _r(
        post={"report": "list_poor", "round": "{round}", "area": "unit:{commune}"},
        writes="officer district leader admin outsider outsider_district",
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": ("login 302   302   302   302   404   404",
                      "login 404   404   302   302   302   302"),
        },
    ),
    "export_households_shown": _r(
        writes="officer district leader admin outsider outsider_district",
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": "login 302   302   302   302   302   302",
        },
    ),
    "export_projects_shown": _r(
        writes="officer district leader admin outsider outsider_district",
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": "login 302   302   302   302   302   302",
        },
    ),
    "import_upload": _r(
        expect={
            "GET":  "login 200   403   403   200   200   403",
            "POST": "login 200   403   403   200   200   403",
        },
    ),
    "import_template": _r(
        expect={
            "GET":  "login 200   403   403   200   200   403",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    # Offline collection (reports/views/offline.py): the XLSForm, and a commune's household list
    # (called without a commune here: 404; its scope is tested in tests/reports/test_offline.py).
    "import_odk": _r(
        expect={
            "GET":  "login 200   403   403   200   200   403",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "import_odk_form": _r(
        expect={
            "GET":  "login 200   403   403   200   200   403",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "import_odk_households": _r(
        expect={
            "GET":  "login 404   403   403   404   404   403",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "import_prefilled": _r(
        post={"round": "{round}", "commune": "{commune}"},
        writes="officer admin outsider",
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": ("login 302   403   403   302   404   403",
                      "login 404   403   403   302   302   403"),
        },
    ),
    "import_detail": _r(
        kwargs={"pk": "import_job"},
        expect={
            "GET":  ("login 200   404   404   404   404   404",
                      "login 404   404   404   404   200   404"),
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "import_confirm": _r(
        kwargs={"pk": "import_job"},
        writes="officer outsider",
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": ("login 302   403   403   404   404   403",
                      "login 404   403   403   404   302   403"),
        },
    ),
    # Funds (finance/): plans are set by administrators; allocations and disbursements are
    # written by district staff over the plan's unit / the allocation's communes, and admins.
    "finance_plan_list": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "finance_plan_create": _r(
        expect={
            "GET":  "login 403   403   403   200   403   403",
            "POST": "login 403   403   403   200   403   403",
        },
    ),
    "finance_plan_detail": _r(
        kwargs={"pk": "fund_plan"},
        expect={
            "GET":  ("login 200   200   200   200   404   404",
                      "login 404   404   200   200   200   200"),
            "POST": ("login 403   200   403   200   404   404",
                      "login 404   404   403   200   403   200"),
        },
    ),
    "finance_plan_edit": _r(
        kwargs={"pk": "fund_plan"},
        expect={
            "GET":  ("login 403   403   403   200   404   404",
                      "login 404   404   403   200   403   403"),
            "POST": ("login 403   403   403   200   404   404",
                      "login 404   404   403   200   403   403"),
        },
    ),
    "finance_allocation_detail": _r(
        kwargs={"pk": "fund_allocation"},
        expect={
            "GET":  ("login 200   200   200   200   404   404",
                      "login 404   404   200   200   200   200"),
            "POST": ("login 403   200   403   200   404   404",
                      "login 404   404   403   200   403   200"),
        },
    ),
    "finance_allocation_edit": _r(
        kwargs={"pk": "fund_allocation"},
        expect={
            "GET":  ("login 403   200   403   200   404   404",
                      "login 404   404   403   200   403   200"),
            "POST": ("login 403   200   403   200   404   404",
                      "login 404   404   403   200   403   200"),
        },
    ),
    # The sweep's allocation has a disbursement: deleting it is refused with a message (302,
    # nothing changed).
    "finance_allocation_delete": _r(
        kwargs={"pk": "fund_allocation"},
        writes="district admin outsider_district",
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": ("login 403   302   403   302   404   404",
                      "login 404   404   403   302   403   302"),
        },
    ),
    "finance_disbursement_delete": _r(
        kwargs={"pk": "fund_disbursement"},
        writes="district admin outsider_district",
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": ("login 403   302   403   302   404   404",
                      "login 404   404   403   302   403   302"),
        },
    ),
    "finance_summary": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "finance_summary_export": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    # Quỹ Vì người nghèo (contributions/): a commune's fund is kept by its officers, a former
    # district's or the province's by district staff and administrators; leaders read.
    "contributions_list": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "contributions_create": _r(
        expect={
            "GET":  "login 200   200   403   200   200   200",
            "POST": "login 200   200   403   200   200   200",
        },
    ),
    "contributions_detail": _r(
        kwargs={"pk": "contribution"},
        expect={
            "GET":  ("login 200   200   200   200   404   404",
                      "login 404   404   200   200   200   200"),
            "POST": ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
        },
    ),
    "contributions_edit": _r(
        kwargs={"pk": "contribution"},
        expect={
            "GET":  ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
            "POST": ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
        },
    ),
    "contributions_use_delete": _r(
        kwargs={"pk": "contribution_use"},
        writes="officer admin outsider",
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": ("login 302   403   403   302   404   404",
                      "login 404   404   403   302   302   403"),
        },
    ),
    "contributions_summary": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "contributions_summary_export": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "login": _r(
        expect={
            "GET":  "200   302   302   302   302   302   302",
            "POST": "200   302   302   302   302   302   302",
        },
    ),
    "logout": _r(
        expect={
            "GET":  "405   405   405   405   405   405   405",
            "POST": "login login login login login login login",
        },
    ),
    "password_change": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 200   200   200   200   200   200",
        },
    ),
    # Every user's own e-mail choices; an empty POST is a valid form (everything off).
    "notification_settings": _r(
        writes="officer district leader admin outsider outsider_district",
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 302   302   302   302   302   302",
        },
    ),
    "password_change_done": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "admin:index": _r(
        expect={
            "GET":  "login login login login 200   login login",
            "POST": "login login login login 200   login login",
        },
    ),
    # labour/: project 4, training needs, job fairs, placements (docs/labour.md)
    "labour_index": _r(
        expect={
            "GET":  "login 302   302   302   302   302   302",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "labour_needs": _r(
        kwargs={"pk": "commune"},
        expect={
            "GET":  ("login 200   200   200   200   404   404",
                      "login 404   404   200   200   200   200"),
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "labour_needs_export": _r(
        kwargs={"pk": "commune"},
        expect={
            "GET":  ("login 200   200   200   200   404   404",
                      "login 404   404   200   200   200   200"),
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "labour_need_add": _r(
        kwargs={"pk": "commune"},
        expect={
            "GET":  ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
            "POST": ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
        },
    ),
    "job_fair_list": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "job_fair_create": _r(
        expect={
            "GET":  "login 200   200   403   200   200   200",
            "POST": "login 200   200   403   200   200   200",
        },
    ),
    "job_fair_detail": _r(
        kwargs={"pk": "job_fair"},
        expect={
            "GET":  ("login 200   200   200   200   404   404",
                      "login 404   404   200   200   200   200"),
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "job_fair_edit": _r(
        kwargs={"pk": "job_fair"},
        expect={
            "GET":  ("login 200   200   403   200   404   404",
                      "login 404   404   403   200   200   200"),
            "POST": ("login 200   200   403   200   404   404",
                      "login 404   404   403   200   200   200"),
        },
    ),
    "job_fair_hire_add": _r(
        kwargs={"pk": "job_fair"},
        expect={
            "GET":  ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
            "POST": ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
        },
    ),
    "labour_placements": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    # support/: household support (helpers, visits, plans, support received)
    "support_index": _r(
        expect={
            "GET":  "login 302   302   302   302   302   302",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "support_commune": _r(
        kwargs={"pk": "commune"},
        expect={
            "GET":  ("login 200   200   200   200   404   404",
                      "login 404   404   200   200   200   200"),
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "support_export": _r(
        kwargs={"pk": "commune"},
        expect={
            "GET":  ("login 200   200   200   200   404   404",
                      "login 404   404   200   200   200   200"),
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "support_export_scope": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 405   405   405   405   405   405",
        },
    ),
    "support_helper_add": _r(
        kwargs={"pk": "household"},
        expect={
            "GET":  ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
            "POST": ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
        },
    ),
    "support_helper_end": _r(
        kwargs={"pk": "helper"},
        expect={
            "GET":  ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
            "POST": ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
        },
    ),
    "support_visit_add": _r(
        kwargs={"pk": "helper"},
        expect={
            "GET":  ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
            "POST": ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
        },
    ),
    "support_plan_add": _r(
        kwargs={"pk": "household"},
        expect={
            "GET":  ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
            "POST": ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
        },
    ),
    "support_record_add": _r(
        kwargs={"pk": "household"},
        expect={
            "GET":  ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
            "POST": ("login 200   403   403   200   404   404",
                      "login 404   404   403   200   200   403"),
        },
    ),
    "support_plan_status": _r(
        kwargs={"pk": "plan_item"},
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": ("login 302   403   403   302   404   404",
                      "login 404   404   403   302   302   403"),
        },
    ),
    "healthz": _r(
        expect={
            "GET":  "200   200   200   200   200   200   200",
            "POST": "405   405   405   405   405   405   405",
        },
    ),
    "favicon": _r(
        expect={
            "GET":  "302   302   302   302   302   302   302",
            "POST": "405   405   405   405   405   405   405",
        },
    ),
    # --- the REST API (api/): 401 without credentials, JSON errors; the sweep's clients use
    # the session (tests/api/ covers tokens). An empty POST to a write endpoint is a 400.
    "api_unit_list": _r(
        expect={
            "GET":  "401   200   200   200   200   200   200",
            "POST": "401   405   405   405   405   405   405",
        },
    ),
    "api_round_list": _r(
        expect={
            "GET":  "401   200   200   200   200   200   200",
            "POST": "401   405   405   405   405   405   405",
        },
    ),
    "api_household_list": _r(
        writes="officer admin outsider",
        expect={
            "GET":  "401   200   200   200   200   200   200",
            "POST": "401   400   403   403   400   400   403",
        },
    ),
    "api_household_detail": _r(
        kwargs={"pk": "household"},
        expect={
            "GET":  ("401   200   200   200   200   404   404",
                      "401   404   404   200   200   200   200"),
            "POST": "401   405   405   405   405   405   405",
        },
    ),
    "api_survey_list": _r(
        expect={
            "GET":  "401   200   200   200   200   200   200",
            "POST": "401   405   405   405   405   405   405",
        },
    ),
    "api_survey_detail": _r(
        kwargs={"pk": "survey"},
        expect={
            "GET":  ("401   200   200   200   200   404   404",
                      "401   404   404   200   200   200   200"),
            "POST": "401   405   405   405   405   405   405",
        },
    ),
    "api_indicator_values": _r(
        expect={
            "GET":  "401   200   200   200   200   200   200",
            "POST": "401   405   405   405   405   405   405",
        },
    ),
    "api_target_list": _r(
        expect={
            "GET":  "401   200   200   200   200   200   200",
            "POST": "401   405   405   405   405   405   405",
        },
    ),
    "api_project_list": _r(
        expect={
            "GET":  "401   200   200   200   200   200   200",
            "POST": "401   405   405   405   405   405   405",
        },
    ),
    "api_project_detail": _r(
        kwargs={"pk": "project"},
        expect={
            "GET":  ("401   200   200   200   200   404   404",
                      "401   404   404   200   200   200   200"),
            "POST": "401   405   405   405   405   405   405",
        },
    ),
    "api_schema": _r(
        expect={
            "GET":  "401   200   200   200   200   200   200",
            "POST": "401   405   405   405   405   405   405",
        },
    ),
    "api_docs": _r(
        expect={
            "GET":  "401   200   200   200   200   200   200",
            "POST": "401   405   405   405   405   405   405",
        },
    ),
    "api_tokens": _r(
        expect={
            "GET":  "login 200   200   200   200   200   200",
            "POST": "login 200   200   200   200   200   200",
        },
    ),
    "api_token_revoke": _r(
        kwargs={"pk": "api_token"},
        writes="officer outsider",
        expect={
            "GET":  "login 405   405   405   405   405   405",
            "POST": ("login 302   404   404   404   404   404",
                      "login 404   404   404   404   302   404"),
        },
    ),
}
# fmt: on


def is_swept(name: str) -> bool:
    """URL names the sweep covers: the portal's own, and the admin's index only (the rest of the
    admin is Django's own and staff-only); the language switch is not a page."""
    if name.startswith("admin:"):
        return name == "admin:index"
    return name != "set_language"


def figures() -> dict[str, int]:
    """How many URL patterns, roles and requests (per method) the sweep checks."""
    counts = {"patterns": len(TABLE), "roles": len(ROLES), "GET": 0, "POST": 0}
    counts["scoped"] = sum(row.scoped for row in TABLE.values())
    counts["unknown"] = sum(len(row.expect) * len(ROLES) for row in TABLE.values() if row.scoped)
    for row in TABLE.values():
        for method in row.expect:
            counts[method] += len(row.objects) * len(ROLES)
    counts["requests"] = counts["GET"] + counts["POST"]
    return counts


def url_patterns(resolver=None, prefix: str = "", namespace: str = ""):
    """(name, route) of every named URL pattern, walking the resolver's includes."""
    from django.urls import URLResolver, get_resolver

    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from url_patterns(pattern, route, inner)
        elif pattern.name:
            yield namespace + pattern.name, route


def unnamed_patterns(resolver=None, prefix: str = "") -> list[str]:
    """Routes without a name outside the admin: the sweep could not find them."""
    from django.urls import URLResolver, get_resolver

    resolver = resolver or get_resolver()
    found = []
    for pattern in resolver.url_patterns:
        route = prefix + str(pattern.pattern)
        if isinstance(pattern, URLResolver):
            if pattern.namespace != "admin":
                found += unnamed_patterns(pattern, route)
        elif not pattern.name:
            found.append(route)
    return found


def figures_line() -> str:
    f = figures()
    return (
        f"{f['patterns']} URL patterns × {f['roles']} roles: {f['requests']} requests "
        f"({f['GET']} GET, {f['POST']} POST); {f['scoped']} patterns are tried on an object "
        f"inside and one outside the officer's scope, and with an unknown id "
        f"({f['unknown']} more requests)"
    )


DOC_HEADER = """\
# Permissions

Generated by `.venv/bin/python manage.py permissions_doc` from `povertyportal/permissions.py`;
do not edit by hand. `tests/test_permission_sweep.py` sends every request below and fails when an
outcome differs, when a URL has no row, when a refused POST changes any table, when a page shows
a household or project of a commune the user may not see, or on any server error;
`tests/areas/test_permissions_doc.py` fails when this file is not what the command renders.

**{figures}** (`.venv/bin/python -m pytest tests/test_permission_sweep.py`).

Roles: the commune officer of Ba Tơ (21484); district staff of the group "Huyện Ba Tơ (cũ)"; the
provincial leader (read-only); the administrator (staff, not superuser); the outsiders are a
commune officer of Sơn Tịnh (21220) and district staff of "Huyện Sơn Tịnh (cũ)".
Objects: *inside* is in Ba Tơ (jobs: the Ba Tơ officer's own; saved analyses: the Ba Tơ district
staff's own), *outside* in Sơn Tịnh (jobs: the outsider officer's own; saved analyses: the outsider
district staff's own); *any* is a page without a scoped object (lists, rounds, rollup runs).
Every POST is empty unless its data is given. Outcomes: `200` the page or file, `302` a redirect
after the action, `400` an invalid body (REST API), `401` no credentials (REST API), `login` a
redirect to the login page, `403` refused, `404` not found (outside
scope), `405` method not allowed. *Writes*: the roles whose POST may change data; any other
POST, and every refused one, must leave every table as it was. An unknown id (999999) must get
what an object outside the user's scope gets (the leader and the administrator: a 404, or the
refusal they get for any object), so that no answer tells which ids exist.

The admin beyond its index (Django's own, staff-only) and the language switch are not listed.
"""


def render_markdown() -> str:
    """``docs/permissions.md``: one line per URL, method and object."""
    paths = dict(url_patterns())
    head = ["URL name", "Path", "Method", "Object", *(ROLE_LABELS[r] for r in ROLES), "Writes"]
    lines = [
        DOC_HEADER.format(figures=figures_line()),
        "| " + " | ".join(head) + " |",
        "|" + "---|" * len(head),
    ]
    for name, row in TABLE.items():
        for method in row.expect:
            for obj in row.objects:
                outcomes = row.outcomes(method, obj)
                path = "/" + paths[name]
                if method == "POST" and row.post:
                    data = ", ".join(f"{k}={v}" for k, v in row.post.items())
                    path += f" ({data})"
                cells = [
                    f"`{name}`",
                    f"`{path}`",
                    method,
                    obj,
                    *(outcomes[r] for r in ROLES),
                    ", ".join(row.writes.split()) if method == "POST" else "",
                ]
                lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"
