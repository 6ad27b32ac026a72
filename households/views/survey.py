"""Work in progress."""


def survey_edit(request, pk):
    raise NotImplementedError


def survey_preview(request, pk):
    raise NotImplementedError


def survey_exclude(request, pk):
    raise NotImplementedError


def household_create(request):
    raise NotImplementedError
