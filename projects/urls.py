from django.urls import path

from .views import lists, project, proposal, training

urlpatterns = [
    # lists.py
    path("du-an/", lists.project_list, name="project_list"),
    path("du-an/cho-duyet/", lists.project_queue, name="project_queue"),
    path("mo-hinh/", lists.model_register, name="model_register"),
    # proposal.py: the proposal in steps
    path("du-an/de-xuat/", proposal.project_create, name="project_create"),
    path("du-an/<int:pk>/sua/", proposal.project_edit, name="project_edit"),
    path("du-an/<int:pk>/kinh-phi/", proposal.project_budget, name="project_budget"),
    path(
        "du-an/<int:pk>/kinh-phi/cong/",
        proposal.project_budget_totals,
        name="project_budget_totals",
    ),
    path(
        "du-an/<int:pk>/kinh-phi/them-dong/", proposal.project_budget_row, name="project_budget_row"
    ),
    path("du-an/<int:pk>/ho-tham-gia/", proposal.project_participants, name="project_participants"),
    # project.py: the project page and its actions
    path("du-an/<int:pk>/", project.project_detail, name="project_detail"),
    path("du-an/<int:pk>/bien-ban/", project.project_minutes, name="project_minutes"),
    path("du-an/<int:pk>/danh-gia/", project.project_evaluate, name="project_evaluate"),
    path("du-an/<int:pk>/dieu-chinh/", project.project_amend, name="project_amend"),
    path("du-an/<int:pk>/nhan-rong/", project.model_replicate, name="model_replicate"),
    path("du-an/<int:pk>/buoc/<slug:action>/", project.project_step, name="project_step"),
    # training.py
    path("tap-huan/", training.course_list, name="course_list"),
    path("tap-huan/them/", training.course_create, name="course_create"),
    path("tap-huan/<int:pk>/", training.course_detail, name="course_detail"),
    path("tap-huan/<int:pk>/sua/", training.course_edit, name="course_edit"),
    path(
        "tap-huan/<int:pk>/nguoi-tham-gia/",
        training.course_participants,
        name="course_participants",
    ),
    path("viec-lam/", training.employment_list, name="employment_list"),
    path(
        "viec-lam/thanh-vien/<int:member_pk>/", training.employment_create, name="employment_create"
    ),
]
