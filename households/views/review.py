"""Work in progress."""


def round_list(request):
    raise NotImplementedError


def round_open(request):
    raise NotImplementedError


def round_close(request, pk):
    raise NotImplementedError


def round_detail(request, pk):
    raise NotImplementedError


def commune_round(request, round_pk, commune_pk):
    raise NotImplementedError


def commune_round_act(request, round_pk, commune_pk, action):
    raise NotImplementedError
