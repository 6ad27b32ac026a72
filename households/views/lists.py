"""Work in progress."""


def household_list(request):
    raise NotImplementedError


def household_detail(request, pk):
    raise NotImplementedError


def household_move(request, pk):
    raise NotImplementedError
