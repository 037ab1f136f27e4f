from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from keepwell.accounts import throttle
from tests.factories import make_agent

pytestmark = pytest.mark.django_db


def test_agent_signs_in_and_lands_in_inbox(client: Any) -> None:
    make_agent(email="priya@desk.test", password="correct horse battery")
    response = client.post(
        reverse("login"), {"username": "priya@desk.test", "password": "correct horse battery"}
    )
    assert response.status_code == 302 and response["Location"] == "/desk/"
    assert client.get("/desk/").status_code == 200


def test_wrong_password_is_throttled(client: Any) -> None:
    make_agent(email="priya@desk.test", password="correct horse battery")
    for _ in range(throttle.MAX_FAILURES):
        response = client.post(
            reverse("login"), {"username": "priya@desk.test", "password": "nope"}
        )
        assert response.status_code == 200
        assert "That e-mail address and password do not match" in response.content.decode()
    # Even the right password is refused while the account is locked.
    response = client.post(
        reverse("login"), {"username": "priya@desk.test", "password": "correct horse battery"}
    )
    assert "Too many failed attempts" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_users_without_agent_profile_cannot_sign_in(client: Any, django_user_model: Any) -> None:
    django_user_model.objects.create_user("plain@desk.test", "plain@desk.test", "pw-long-enough-1")
    response = client.post(
        reverse("login"), {"username": "plain@desk.test", "password": "pw-long-enough-1"}
    )
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


def test_deactivated_agent_loses_access(client: Any) -> None:
    user = make_agent()
    client.force_login(user)
    user.is_active = False
    user.save()
    assert client.get("/desk/").status_code == 302
