"""Every view as anonymous (login redirect), as an outsider (404) and as an allowed user."""

import pytest
from django.urls import reverse

from areas.models import Unit
from tests.conftest import PASSWORD, TODAY

pytestmark = pytest.mark.django_db


def ba_to_pk():
    return Unit.objects.valid_on(TODAY).get(code="21484").pk


@pytest.mark.parametrize("name", ["home", "unit_list"])
def test_anonymous_is_sent_to_login(client, units, name):
    url = reverse(name)
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_anonymous_unit_detail_redirects(client, units):
    response = client.get(reverse("unit_detail", args=[ba_to_pk()]))
    assert response.status_code == 302


def test_login_page_is_vietnamese(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    assert "Đăng nhập" in response.content.decode()


def test_login_with_password(client, cast):
    response = client.post(reverse("login"), {"username": "officer", "password": PASSWORD})
    assert response.status_code == 302
    assert client.get(reverse("home")).status_code == 200


def test_home_shows_units_and_capabilities(client, cast):
    client.force_login(cast.officer)
    body = client.get(reverse("home")).content.decode()
    assert "Xã Ba Tơ" in body
    assert "nhập phiếu rà soát" in body
    assert "Tiếp nhận hoặc trả lại" not in body
    client.force_login(cast.district)
    body = client.get(reverse("home")).content.decode()
    assert "Huyện Ba Tơ (cũ)" in body
    assert "Tiếp nhận hoặc trả lại" in body


def test_navigation_depends_on_role(client, cast):
    client.force_login(cast.officer)
    assert reverse("admin:index") not in client.get(reverse("home")).content.decode()
    client.force_login(cast.admin)
    assert reverse("admin:index") in client.get(reverse("home")).content.decode()


def test_unit_detail_outsider_404_allowed_200(client, cast):
    url = reverse("unit_detail", args=[ba_to_pk()])
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404
    for user in (cast.officer, cast.district, cast.leader, cast.admin):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert "21484" in response.content.decode()


def test_unit_detail_unknown_id_is_404(client, cast):
    client.force_login(cast.leader)
    assert client.get(reverse("unit_detail", args=[999999])).status_code == 404


def test_unit_detail_shows_predecessors(client, cast):
    client.force_login(cast.district)
    body = client.get(reverse("unit_detail", args=[ba_to_pk()])).content.decode()
    assert "Hình thành từ" in body
    assert "Thị trấn Ba Tơ" in body


def test_historic_unit_visible_to_those_assigned_then(client, cast):
    old = Unit.objects.valid_on(TODAY.replace(year=2024)).get(code="535")
    url = reverse("unit_detail", args=[old.pk])
    client.force_login(cast.district)
    assert client.get(url).status_code == 200
    client.force_login(cast.outsider)
    assert client.get(url).status_code == 404


def test_unit_list_is_scoped_and_searchable(client, cast):
    client.force_login(cast.outsider)
    body = client.get(reverse("unit_list")).content.decode()
    assert "Sơn Tịnh" in body
    assert "Ba Tơ" not in body
    client.force_login(cast.leader)
    response = client.get(reverse("unit_list"), {"q": "ba to"})  # no diacritics
    body = response.content.decode()
    assert "Xã Ba Tơ" in body and "Xã Ba Tô" in body
    assert "Cẩm Thành" not in body
    response = client.get(reverse("unit_list"), {"q": "21025"})
    assert "Phường Cẩm Thành" in response.content.decode()


def test_unit_list_at_an_old_date_shows_the_old_tree(client, cast):
    client.force_login(cast.district)
    body = client.get(reverse("unit_list"), {"day": "01/10/2024", "level": "commune"}).content
    assert "Thị trấn Ba Tơ" in body.decode()


def test_unit_list_bad_date_rerenders_with_message(client, cast):
    client.force_login(cast.leader)
    response = client.get(reverse("unit_list"), {"day": "31/02/2024"})
    assert response.status_code == 200
    assert (
        "Nhập một ngày hợp lệ" in response.content.decode() or "hợp lệ" in response.content.decode()
    )


def test_unit_list_empty_state(client, cast):
    client.force_login(cast.officer)
    body = client.get(reverse("unit_list"), {"q": "khongtontai"}).content.decode()
    assert "Không có đơn vị nào" in body


def test_language_switch_to_english(client, cast):
    client.force_login(cast.officer)
    response = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    body = client.get(reverse("home")).content.decode()
    assert "Assigned units" in body
    assert 'lang="en"' in body


def test_password_change_page(client, cast):
    client.force_login(cast.officer)
    assert client.get(reverse("password_change")).status_code == 200
    response = client.post(
        reverse("password_change"),
        {
            "old_password": PASSWORD,
            "new_password1": "Mk-moi-2026!x",
            "new_password2": "Mk-moi-2026!x",
        },
    )
    assert response.status_code == 302
    cast.officer.refresh_from_db()
    assert cast.officer.check_password("Mk-moi-2026!x")


def test_admin_requires_staff(client, cast):
    client.force_login(cast.officer)
    assert client.get(reverse("admin:index")).status_code == 302
    client.force_login(cast.admin)
    # staff without model permissions still reaches the index
    assert client.get(reverse("admin:index")).status_code == 200


def test_vietnamese_whatever_the_browser_asks(client, cast):
    client.force_login(cast.officer)
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert "Đơn vị được phân công" in body


def test_person_name_in_vietnamese_order(client, cast):
    cast.officer.last_name, cast.officer.first_name = "Phạm Thị", "Hoa"
    cast.officer.save()
    client.force_login(cast.officer)
    assert "Xin chào, Phạm Thị Hoa" in client.get(reverse("home")).content.decode()
